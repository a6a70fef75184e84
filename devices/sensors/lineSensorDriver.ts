/**
 * A photo-eye on a serial line or TCP (an I/O box that prints its input): one line per change,
 * `sensor.blockedLine` (default "B") or `sensor.clearLine` (default "C"). Any other line is
 * bad input, counted. The raw states go out as sensor events; passages and jams are worked out
 * downstream (passageDetector.ts), with the debounce and jam time of the device's config.
 *
 * @example
 *   devices: [{ id: eye-1, class: sensor, transport: { type: serial, path: /dev/ttyUSB4 }, sensor: { jamMs: 5000 } }]
 */
import { CommandError, type DeviceCommand } from '../driver.ts';
import type { DriverContext } from '../driverContext.ts';
import { LineFramer } from '../frames.ts';
import { LinkedDriver } from '../linkedDriver.ts';
import { connectorFor, delimiterOf } from '../transports/connectorFor.ts';

export class LineSensorDriver extends LinkedDriver {
  private readonly framer: LineFramer;

  constructor(context: DriverContext) {
    super(context, `sensor over ${context.device.transport.type} (line)`, connectorFor(context.device, context.hid));
    this.framer = new LineFramer(delimiterOf(context.device));
  }

  protected onChunk(chunk: Buffer): void {
    const { blockedLine, clearLine } = this.context.device.sensor;
    this.handleFrames(this.framer.push(chunk), (line) => {
      const text = line.toString('latin1').trim();
      if (text === blockedLine) this.emit({ kind: 'sensor', state: 'blocked' });
      else if (text === clearLine) this.emit({ kind: 'sensor', state: 'clear' });
      else if (text !== '') this.recorder.badInput(`expected "${blockedLine}" (blocked) or "${clearLine}" (clear), got "${text}"; check sensor.blockedLine/clearLine`, line);
    });
  }

  protected override onLost(): void {
    this.framer.reset();
  }

  async send(command: DeviceCommand): Promise<void> {
    throw new CommandError(`${this.recorder.what()} is a sensor; it takes no commands (got "${command.kind}")`);
  }
}
