/**
 * Serial and TCP line scanners: one barcode per line, optionally wrapped in a configured
 * prefix and suffix (stripped); an AIM identifier at the start (`]C1`, `]E0`, `]d2`) passes
 * through to the decoder. Good-read and bad-read feedback writes the configured bytes.
 *
 * @example
 *   devices: [{ id: scanner-1, class: scanner, transport: { type: serial, path: /dev/ttyUSB0 }, scanner: { suffix: "\t", goodRead: "\u0007" } }]
 */
import { CommandError, type DeviceCommand } from '../driver.ts';
import type { DriverContext } from '../driverContext.ts';
import { configBytes, LineFramer } from '../frames.ts';
import { LinkedDriver } from '../linkedDriver.ts';
import { connectorFor, delimiterOf } from '../transports/connectorFor.ts';
import { stripScannerLine, toScanEvent } from './scanEvent.ts';

export class LineScannerDriver extends LinkedDriver {
  private readonly framer: LineFramer;

  constructor(context: DriverContext) {
    super(context, `scanner over ${context.device.transport.type} (line)`, connectorFor(context.device, context.hid));
    this.framer = new LineFramer(delimiterOf(context.device));
  }

  protected onChunk(chunk: Buffer): void {
    this.handleFrames(this.framer.push(chunk), (line) => {
      const settings = { prefix: configBytes(this.context.device.scanner.prefix).toString('latin1'), suffix: configBytes(this.context.device.scanner.suffix).toString('latin1') };
      const stripped = stripScannerLine(line, settings);
      if (!stripped.ok) {
        if (stripped.reason !== 'empty scan') this.recorder.badInput(stripped.reason, line);
        return;
      }
      this.emit(toScanEvent(stripped.data, this.context.barcodes));
    });
  }

  protected override onLost(): void {
    this.framer.reset();
  }

  async send(command: DeviceCommand): Promise<void> {
    if (command.kind !== 'feedback') throw new CommandError(`${this.recorder.what()} is a scanner; it takes feedback commands, not "${command.kind}"`);
    const setting = command.result === 'good' ? 'goodRead' : 'badRead';
    const bytes = this.context.device.scanner[setting];
    if (bytes === undefined) throw new CommandError(`${this.recorder.what()} has no scanner.${setting} bytes configured; set them to the scanner's beep/LED command (see docs/devices.md)`);
    await this.write(configBytes(bytes), `${setting} feedback`);
  }
}
