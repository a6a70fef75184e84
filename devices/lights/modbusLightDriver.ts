/**
 * The driver of a line of Modbus pick-to-light modules (RTU over RS-485, or Modbus TCP): one
 * device in config, many lights on it, each addressed by its unit id. `send({ kind: 'light',
 * address })` sets one light; `lights()` gives the `LightController` to set many at once.
 * Button presses become `{ kind: 'button', button, address }` events. After the line or a
 * module comes back, the controller re-sends what each light should show.
 *
 * @example
 *   await registry.send('lights-aisle-3', { kind: 'light', address: 12, color: 'green', text: '3' });
 *   await (registry.driver('lights-aisle-3') as ModbusLightDriver).lights().set([...]);
 */
import { CommandError, type DeviceCommand, type DeviceDriver, type DeviceHealth } from '../driver.ts';
import type { DriverContext } from '../driverContext.ts';
import { HealthRecorder } from '../health.ts';
import { ModbusLink } from '../transports/modbusLink.ts';
import { LightController, type LightState } from './lightModel.ts';
import { ModbusLightBus } from './modbusLightBus.ts';
import { registerMapOf, type LightRegisterMap } from './modbusLightProfile.ts';

export class ModbusLightDriver implements DeviceDriver {
  readonly deviceId: string;
  private readonly recorder: HealthRecorder;
  private readonly link: ModbusLink;
  private readonly bus: ModbusLightBus;
  private readonly controller: LightController;

  constructor(private readonly context: DriverContext) {
    const { device } = context;
    this.deviceId = device.id;
    const transport = device.transport;
    if (transport.type !== 'serial' && transport.type !== 'tcp') throw new Error(`light "${device.id}": Modbus runs over serial (RTU) or tcp, not ${transport.type}`);
    if (device.light.addresses.length === 0) throw new Error(`light "${device.id}": list the unit ids of its modules in light.addresses, e.g. [1, 2, 3]`);
    const what = `light "${device.id}"`;
    this.link = new ModbusLink({ transport, timeoutMs: device.light.timeoutMs, what });
    this.recorder = new HealthRecorder({ deviceId: device.id, driver: `light over Modbus ${transport.type === 'tcp' ? 'TCP' : 'RTU'}`, address: this.link.address, sink: context.sink, logger: context.logger });
    this.bus = new ModbusLightBus({
      link: this.link,
      map: registerMapOf(device.light as { profile: 'pick-iq'; registers?: Partial<LightRegisterMap> }),
      addresses: device.light.addresses,
      pollMs: device.light.pollMs,
      what,
      onError: (err) => this.recorder.error(err.message),
      onModule: (unit, present) => {
        context.logger.info({ deviceId: device.id, unit }, `${what}: module ${unit} ${present ? 'answers again' : 'stopped answering'}`);
        // Every module answers again: the line is healthy, though no button may be pressed for hours.
        if (present && this.bus.missingAddresses().length === 0) this.recorder.answered();
      },
    });
    this.controller = new LightController(this.bus);
    this.link.onOpen(() => this.recorder.online());
    this.link.onLost((reason) => this.recorder.offline(reason));
    this.controller.onRestore((states, error) => {
      if (error) this.recorder.error(`restoring ${states.length} light(s) failed: ${error.message}`);
      else context.logger.info({ deviceId: device.id, lights: states.length }, `${what}: restored ${states.length} light(s) after an outage`);
    });
    this.bus.onButton((press) => {
      this.recorder.eventEmitted();
      context.sink.event(device.id, { kind: 'button', button: press.button, address: press.address });
    });
  }

  async start(): Promise<void> {
    this.recorder.connecting();
    this.controller.start();
    this.bus.start();
    await this.link.start();
  }

  async stop(): Promise<void> {
    this.bus.stop();
    this.controller.stop();
    await this.link.stop();
    this.recorder.stopped();
  }

  health(): DeviceHealth {
    return this.recorder.snapshot();
  }

  /** The controller of this line's lights, to set many in one call. */
  lights(): LightController {
    return this.controller;
  }

  /** A light command; without an address it applies to every module on the line (a test blink). */
  async send(command: DeviceCommand): Promise<void> {
    if (command.kind !== 'light') throw new CommandError(`${this.recorder.what()} is a light; it takes light commands, not ${command.kind}`);
    const addresses = command.address === undefined ? this.context.device.light.addresses : [command.address];
    const states: LightState[] = addresses.map((address) => ({ address, color: command.color, blink: command.blink ?? false, text: command.text, beep: command.beep }));
    try {
      await this.controller.set(states);
      this.recorder.commandSent();
    } catch (err) {
      this.recorder.commandFailed((err as Error).message);
      throw new CommandError((err as Error).message);
    }
  }
}
