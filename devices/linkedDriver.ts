/**
 * The shared shell of drivers over a byte transport (serial, TCP, HID): health, a reconnecting
 * link, start/stop. A subclass only says how to read chunks and how to carry out commands.
 *
 * @example
 *   class MyDriver extends LinkedDriver {
 *     protected onChunk(chunk: Buffer) { ... this.emit(event) ... }
 *     async send(command: DeviceCommand) { await this.write(bytes) }
 *   }
 */
import type { DeviceCommand, DeviceDriver, DeviceHealth, DriverEvent } from './driver.ts';
import type { DriverContext } from './driverContext.ts';
import type { Frame } from './frames.ts';
import { HealthRecorder } from './health.ts';
import type { Connection, Connector } from './transports/connection.ts';
import { ReconnectingLink } from './transports/reconnectingLink.ts';

export abstract class LinkedDriver implements DeviceDriver {
  readonly deviceId: string;
  protected readonly recorder: HealthRecorder;
  protected readonly link: ReconnectingLink;

  constructor(
    protected readonly context: DriverContext,
    description: string,
    connector: Connector,
  ) {
    this.deviceId = context.device.id;
    this.recorder = new HealthRecorder({ deviceId: this.deviceId, driver: description, address: connector.address, sink: context.sink, logger: context.logger });
    this.link = new ReconnectingLink({
      connector,
      health: this.recorder,
      onData: (chunk) => this.onChunk(chunk),
      onOpen: (connection) => this.onOpen(connection),
      onLost: () => this.onLost(),
    });
  }

  async start(): Promise<void> {
    await this.link.start();
  }

  async stop(): Promise<void> {
    await this.link.stop();
    this.onLost();
    this.recorder.stopped();
  }

  health(): DeviceHealth {
    return this.recorder.snapshot();
  }

  abstract send(command: DeviceCommand): Promise<void>;

  protected abstract onChunk(chunk: Buffer): void;
  protected onOpen(_connection: Connection): void {}
  protected onLost(): void {}

  protected emit(event: DriverEvent): void {
    this.recorder.eventEmitted();
    this.context.sink.event(this.deviceId, event);
  }

  /** Routes decoder output: bad frames to health, good ones to `use`. */
  protected handleFrames<T>(frames: Frame<T>[], use: (value: T) => void): void {
    for (const frame of frames) {
      if (frame.ok) use(frame.value);
      else this.recorder.badInput(frame.reason, frame.bytes);
    }
  }

  protected async write(bytes: Buffer, what: string): Promise<void> {
    try {
      await this.link.write(bytes);
      this.recorder.commandSent();
    } catch (err) {
      const reason = `cannot send ${what}: ${(err as Error).message}`;
      this.recorder.commandFailed(reason);
      throw new Error(`${this.recorder.what()}: ${reason}`);
    }
  }
}
