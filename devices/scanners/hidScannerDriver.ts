/**
 * USB HID scanners, in keyboard-wedge mode (protocol "hid-keyboard", the default) or HID POS
 * mode (protocol "hid-pos", usage page 0x8C). Reports come from node-hid; the device list is
 * watched so an unplugged scanner goes offline and comes back by itself. HID scanners take no
 * feedback over this interface (their beep is configured on the scanner).
 *
 * @example
 *   devices: [{ id: scanner-2, class: scanner, transport: { type: hid, vendorId: "0x0c2e", productId: "0x0b61" }, protocol: hid-pos }]
 */
import { CommandError, type DeviceCommand } from '../driver.ts';
import type { DriverContext } from '../driverContext.ts';
import type { Frame } from '../frames.ts';
import { LinkedDriver } from '../linkedDriver.ts';
import { connectorFor } from '../transports/connectorFor.ts';
import { HidPosScanReader } from './hidPosScanner.ts';
import { KeyboardWedgeReader } from './keyboardWedge.ts';
import { toScanEvent } from './scanEvent.ts';

export const hidScannerProtocols = ['hid-keyboard', 'hid-pos'] as const;

export class HidScannerDriver extends LinkedDriver {
  private readonly reader: { push(report: Buffer): Frame<string>[]; reset(): void };

  constructor(context: DriverContext) {
    const protocol = context.device.protocol ?? 'hid-keyboard';
    if (!(hidScannerProtocols as readonly string[]).includes(protocol)) {
      throw new Error(`scanner "${context.device.id}": protocol "${protocol}" is not a HID scanner protocol; use ${hidScannerProtocols.join(' or ')}`);
    }
    super(context, `scanner over hid (${protocol})`, connectorFor(context.device, context.hid, context.hidPollMs));
    this.reader = protocol === 'hid-pos' ? new HidPosScanReader() : new KeyboardWedgeReader(context.device.scanner.keyboardLayout);
  }

  protected onChunk(report: Buffer): void {
    this.handleFrames(this.reader.push(report), (data) => this.emit(toScanEvent(data, this.context.barcodes)));
  }

  protected override onLost(): void {
    this.reader.reset();
  }

  async send(command: DeviceCommand): Promise<void> {
    throw new CommandError(`${this.recorder.what()} is a HID scanner; it takes no ${command.kind} command over USB HID (set its beep on the scanner)`);
  }
}
