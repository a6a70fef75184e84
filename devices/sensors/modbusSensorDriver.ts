/**
 * A photo-eye read from a Modbus input register (RTU over RS-485 or Modbus TCP), polled every
 * `sensor.pollMs`: non-zero is blocked. Each change goes out as a raw sensor event; a Modbus
 * exception or timeout is counted in health and the last known state is kept.
 *
 * @example
 *   devices: [{ id: eye-2, class: sensor, protocol: modbus, transport: { type: tcp, host: 10.0.0.30, port: 502 }, sensor: { unit: 3, register: 0, pollMs: 50 } }]
 */
import { CommandError, type DeviceCommand, type DeviceDriver, type DeviceHealth } from '../driver.ts';
import type { DriverContext } from '../driverContext.ts';
import { HealthRecorder } from '../health.ts';
import { ModbusLink } from '../transports/modbusLink.ts';

export class ModbusSensorDriver implements DeviceDriver {
  readonly deviceId: string;
  private readonly recorder: HealthRecorder;
  private readonly link: ModbusLink;
  private timer?: NodeJS.Timeout;
  private running = false;
  private last?: 'blocked' | 'clear';

  constructor(private readonly context: DriverContext) {
    const { device } = context;
    this.deviceId = device.id;
    const t = device.transport;
    if (t.type !== 'serial' && t.type !== 'tcp') throw new Error(`sensor "${device.id}": Modbus runs over serial (RTU) or tcp, not ${t.type}`);
    this.link = new ModbusLink({ transport: t, timeoutMs: device.sensor.timeoutMs, what: `sensor "${device.id}"` });
    this.recorder = new HealthRecorder({ deviceId: device.id, driver: `sensor over Modbus ${t.type === 'tcp' ? 'TCP' : 'RTU'}`, address: this.link.address, sink: context.sink, logger: context.logger });
    this.link.onOpen(() => this.recorder.online());
    this.link.onLost((reason) => this.recorder.offline(reason));
  }

  async start(): Promise<void> {
    this.running = true;
    this.recorder.connecting();
    await this.link.start();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.link.stop();
    this.recorder.stopped();
  }

  health(): DeviceHealth {
    return this.recorder.snapshot();
  }

  async send(command: DeviceCommand): Promise<void> {
    throw new CommandError(`${this.recorder.what()} is a sensor; it takes no commands (got "${command.kind}")`);
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => void this.poll().finally(() => this.schedule()), this.context.device.sensor.pollMs);
  }

  private async poll(): Promise<void> {
    if (!this.link.isOpen) return;
    const { unit, register } = this.context.device.sensor;
    let value: number;
    try {
      [value = 0] = await this.link.readInputRegisters(unit, register, 1);
    } catch (err) {
      if ((err as { kind?: string }).kind !== 'offline') this.recorder.error((err as Error).message);
      return;
    }
    this.recorder.answered();
    const state = value !== 0 ? 'blocked' : 'clear';
    if (state === this.last) return;
    // The first reading only says where the beam is; a clear beam at start is no news.
    const first = this.last === undefined;
    this.last = state;
    if (first && state === 'clear') return;
    this.recorder.eventEmitted();
    this.context.sink.event(this.deviceId, { kind: 'sensor', state });
  }
}
