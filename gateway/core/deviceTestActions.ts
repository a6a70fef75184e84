/**
 * What "print a test label" and "blink" send to a device, shared by the console's test buttons
 * and `darkstore-gateway device test`. The test label comes from the printer's templates folder
 * (test.zpl), so an admin who edits it sees the change on the next test.
 *
 * @example
 *   const command = await testLabelCommand(device); // { kind: 'print', format: 'zpl', document: '^XA...', jobId: 'test-label-1-...' }
 *   blinkCommand(); // { kind: 'light', color: 'white', blink: true }
 */
import type { DeviceConfig } from '../../config/schema.ts';
import type { LightCommand, PrintCommand } from '../../devices/driver.ts';
import { renderLabelFile } from '../../devices/printers/labelTemplates.ts';

export async function testLabelCommand(device: DeviceConfig, now = new Date()): Promise<PrintCommand> {
  const at = now.toISOString().replace('T', ' ').slice(0, 19);
  const jobId = `test-${device.id}-${now.getTime()}`;
  if (device.printer.language === 'escpos') {
    return { kind: 'print', format: 'escpos', document: `TEST LABEL\nprinter ${device.id}\n${at}\n#barcode ${device.id}`, jobId };
  }
  const document = await renderLabelFile(device.printer.templates, 'test', { printer: device.id, at });
  return { kind: 'print', format: 'zpl', document, jobId };
}

/** A test blink: every light of the device (all modules of a Modbus line) blinks white. */
export function blinkCommand(): LightCommand {
  return { kind: 'light', color: 'white', blink: true, text: 'TEST' };
}

export const blinkOffCommand: LightCommand = { kind: 'light', color: 'off' };
