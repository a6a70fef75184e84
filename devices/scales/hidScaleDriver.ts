/**
 * USB HID POS scales (usage page 0x8D). They report by themselves whenever the weight or
 * status changes, with their own stable/in-motion status; zero and tare are buttons on the
 * scale (the HID POS scale page has no standard output report for them).
 *
 * @example
 *   devices: [{ id: scale-2, class: scale, transport: { type: hid, vendorId: "0x0922", productId: "0x8003" } }]
 */
import { CommandError, type DeviceCommand } from '../driver.ts';
import type { DriverContext } from '../driverContext.ts';
import { LinkedDriver } from '../linkedDriver.ts';
import { connectorFor } from '../transports/connectorFor.ts';
import { parseHidPosScaleReport } from './hidPosScale.ts';

export class HidScaleDriver extends LinkedDriver {
  private lastStatus?: string;

  constructor(context: DriverContext) {
    super(context, 'scale over hid (hid-pos)', connectorFor(context.device, context.hid, context.hidPollMs));
  }

  protected onChunk(report: Buffer): void {
    this.handleFrames([parseHidPosScaleReport(report)], (message) => {
      if (message.type === 'weight') {
        this.lastStatus = undefined;
        this.emit({ kind: 'weight', grams: message.grams, stable: message.stable });
      } else if (message.type === 'status' && message.reason !== this.lastStatus) {
        this.lastStatus = message.reason;
        this.recorder.error(message.reason);
      }
    });
  }

  async send(command: DeviceCommand): Promise<void> {
    throw new CommandError(`${this.recorder.what()} is a HID POS scale; ${command.kind} is a button on the scale, not a USB command`);
  }
}
