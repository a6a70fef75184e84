/**
 * One configured Zigbee device (transport {type: zigbee, ieee}) as a driver like any other:
 * a button's presses and a sensor's state changes become our typed events, a light takes
 * colour and blink, and the health carries what matters for a battery device (battery level,
 * link quality, last seen). The coordinator owns the radio; this only attaches by IEEE address.
 *
 * @example
 *   const driver = new ZigbeeDeviceDriver({ ...context, zigbee: coordinator });
 *   await driver.start();
 *   await driver.setLight({ color: 'green', blink: true });
 *   driver.health().zigbee; // { ieee: '0x...', battery: 87, linkQuality: 142, model: '...' }
 */
import type { DeviceConfig } from '../../config/schema.ts';
import { CommandError, type DeviceCommand, type DeviceDriver, type DeviceHealth } from '../driver.ts';
import type { DriverContext } from '../driverContext.ts';
import { HealthRecorder } from '../health.ts';
import { LightController } from '../lights/lightModel.ts';
import { batteryPercent, batteryVolts, toDriverEvent, type LightState, type ZigbeeDeviceClass } from './clusterMapping.ts';
import { ZigbeeLightBus } from './zigbeeLightBus.ts';
import type { ZigbeeIncoming, ZigbeeNetwork } from './zigbeeNetwork.ts';

/**
 * The light command Devices II adds to DeviceCommand ({kind: 'light', color, blink, ...}); read
 * structurally here so this driver takes it through `send` as soon as both are merged.
 */
type LightCommandLike = { kind: 'light'; color: LightState['color']; blink?: boolean };

export interface ZigbeeDeviceHealth extends DeviceHealth {
  zigbee: {
    ieee: string;
    model?: string;
    powerSource?: string;
    /** Percent, from the last genPowerCfg report. */
    battery?: number;
    batteryVolts?: number;
    /** 0-255, of the last frame received. */
    linkQuality?: number;
    interview?: string;
  };
}

/** The Zigbee classes we drive, from the config class. */
export function zigbeeClassOf(device: DeviceConfig): ZigbeeDeviceClass | undefined {
  return device.class === 'light' || device.class === 'button' || device.class === 'sensor' ? device.class : undefined;
}

export class ZigbeeDeviceDriver implements DeviceDriver {
  readonly deviceId: string;
  readonly ieee: string;
  private readonly recorder: HealthRecorder;
  private readonly deviceClass: ZigbeeDeviceClass;
  private detach?: () => void;
  private battery?: number;
  private volts?: number;
  private linkQuality?: number;
  /** Lights only: remembers what the bulb should show and re-sends it when the bulb or the coordinator comes back. */
  private readonly lightBus?: ZigbeeLightBus;
  private readonly lights?: LightController;

  constructor(
    private readonly context: DriverContext,
    private readonly network: ZigbeeNetwork,
  ) {
    const { device } = context;
    if (device.transport.type !== 'zigbee') throw new Error(`device "${device.id}" is not a Zigbee device`);
    const deviceClass = zigbeeClassOf(device);
    if (!deviceClass) throw new Error(`no Zigbee driver for a ${device.class} (device "${device.id}"); Zigbee devices are lights, buttons or sensors (docs/zigbee.md)`);
    this.deviceId = device.id;
    this.deviceClass = deviceClass;
    this.ieee = device.transport.ieee.toLowerCase();
    this.recorder = new HealthRecorder({ deviceId: device.id, driver: `${device.class} over zigbee`, address: `zigbee ${this.ieee}`, sink: context.sink, logger: context.logger });
    if (deviceClass === 'light') {
      this.lightBus = new ZigbeeLightBus({ network, addresses: [this.ieee] });
      this.lights = new LightController(this.lightBus);
      this.lights.onRestore((states, error) => {
        if (error) this.recorder.error(`re-sending what the light should show after it came back failed: ${error.message}`);
      });
    }
  }

  async start(): Promise<void> {
    this.recorder.connecting();
    this.detach = this.network.attach(this.ieee, {
      message: (m) => this.onMessage(m),
      presence: (online, reason) => (online ? this.recorder.online() : this.recorder.offline(reason)),
    });
    this.lightBus?.start();
    this.lights?.start();
  }

  async stop(): Promise<void> {
    this.lights?.stop();
    this.lightBus?.stop();
    this.detach?.();
    this.detach = undefined;
    this.recorder.stopped();
  }

  health(): ZigbeeDeviceHealth {
    const info = this.network.device(this.ieee);
    return {
      ...this.recorder.snapshot(),
      zigbee: {
        ieee: this.ieee,
        ...(info?.model ? { model: info.model } : {}),
        ...(info?.powerSource ? { powerSource: info.powerSource } : {}),
        ...(this.battery !== undefined ? { battery: this.battery } : {}),
        ...(this.volts !== undefined ? { batteryVolts: this.volts } : {}),
        ...((this.linkQuality ?? info?.linkQuality) !== undefined ? { linkQuality: this.linkQuality ?? info?.linkQuality } : {}),
        ...(info ? { interview: info.interview } : {}),
      },
    };
  }

  /** A light takes light commands; nothing here takes scanner, scale or printer commands. */
  async send(command: DeviceCommand): Promise<void> {
    const maybeLight = command as DeviceCommand | LightCommandLike;
    if (maybeLight.kind === 'light' && this.deviceClass === 'light') return this.setLight({ color: maybeLight.color, blink: maybeLight.blink });
    throw new CommandError(`${this.recorder.what()}: a Zigbee ${this.deviceClass} cannot carry out "${command.kind}"${this.deviceClass === 'light' ? '; send it a light state' : ''}`);
  }

  /** Shows a colour (blinking or not) or goes dark; rejects with what to do when the light does not answer. */
  async setLight(state: LightState): Promise<void> {
    if (!this.lights) throw new CommandError(`${this.recorder.what()} is a ${this.deviceClass}, not a light`);
    try {
      await this.lights.set([{ address: this.ieee, color: state.color, blink: state.blink ?? false }]);
      this.recorder.commandSent();
    } catch (err) {
      this.recorder.commandFailed((err as Error).message);
      throw new Error(`${this.recorder.what()}: cannot show ${state.color}: ${(err as Error).message}`);
    }
  }

  private onMessage(message: ZigbeeIncoming): void {
    this.linkQuality = message.linkQuality;
    this.recorder.seen();
    this.battery = batteryPercent(message) ?? this.battery;
    this.volts = batteryVolts(message) ?? this.volts;
    const event = toDriverEvent(this.deviceClass, message);
    if (!event) return;
    this.recorder.eventEmitted();
    this.context.sink.event(this.deviceId, event);
  }
}
