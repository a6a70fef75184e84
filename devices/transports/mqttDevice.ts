/**
 * Devices that speak the device MQTT contract (docs/device-mqtt.md). The gateway's MQTT link
 * owns the connection, checks payloads, answers the errors topic and drops redelivered ids;
 * it hands each device's traffic to this driver through `MqttDeviceInbound`, and this driver
 * keeps the device's health, decodes scans and turns typed commands into contract commands.
 *
 * @example
 *   const inbound: MqttDeviceInbound = registry.mqttInbound;
 *   inbound.event('scanner-1', { kind: 'scan', data: '4006381333931' });
 */
import type { DeviceCommandPayload, DeviceEventPayload } from '../contract/deviceContract.ts';
import { CommandError, type DeviceCommand, type DeviceDriver, type DeviceHealth } from '../driver.ts';
import type { DriverContext } from '../driverContext.ts';
import { HealthRecorder } from '../health.ts';
import { toScanEvent } from '../scanners/scanEvent.ts';
import { LightController } from '../lights/lightModel.ts';
import { MqttLightBus } from '../lights/mqttLightBus.ts';

/** Sends a contract command to a device; the gateway's MQTT link implements it. */
export interface MqttCommandPort {
  sendCommand(deviceId: string, command: DeviceCommandPayload): Promise<void>;
}

/** What the MQTT link reports per device; the registry implements it and routes to drivers. */
export interface MqttDeviceInbound {
  event(deviceId: string, event: DeviceEventPayload): void;
  status(deviceId: string, online: boolean): void;
  /** A payload the link refused (and answered on the errors topic). */
  refused(deviceId: string, reason: string, payload: Buffer): void;
}

export class MqttDeviceDriver implements DeviceDriver {
  readonly deviceId: string;
  private readonly recorder: HealthRecorder;
  /** Lights only: what each light should show, re-sent when the device comes back. */
  private readonly lightBus?: MqttLightBus;
  private readonly lights?: LightController;
  private wasOffline = false;

  constructor(private readonly context: DriverContext) {
    this.deviceId = context.device.id;
    this.recorder = new HealthRecorder({ deviceId: this.deviceId, driver: `${context.device.class} over mqtt`, address: 'mqtt', sink: context.sink, logger: context.logger });
    if (context.device.class === 'light' && context.mqtt) {
      this.lightBus = new MqttLightBus(this.deviceId, context.mqtt);
      this.lights = new LightController(this.lightBus);
      this.lights.onRestore((states, error) => {
        if (error) this.recorder.error(`restoring ${states.length} light(s) failed: ${error.message}`);
        else context.logger.info({ deviceId: this.deviceId, lights: states.length }, `${this.recorder.what()}: restored ${states.length} light(s) after it came back`);
      });
    }
  }

  async start(): Promise<void> {
    // The device connects to the broker by itself; until its status says online, we wait.
    this.recorder.connecting();
    this.lights?.start();
  }

  async stop(): Promise<void> {
    this.lights?.stop();
    this.recorder.stopped();
  }

  /** Lights only: the controller, to set many lights in one call. */
  lightController(): LightController | undefined {
    return this.lights;
  }

  health(): DeviceHealth {
    return this.recorder.snapshot();
  }

  onEvent(payload: DeviceEventPayload): void {
    // A device that publishes is evidently connected, even if its retained status was missed.
    if (this.recorder.state !== 'online') this.recorder.online();
    this.recorder.eventEmitted();
    const event = payload.kind === 'scan' ? toScanEvent(payload.data, this.context.barcodes, payload.id) : payload;
    this.context.sink.event(this.deviceId, event);
  }

  onStatus(online: boolean): void {
    if (online) {
      this.recorder.online();
      if (this.wasOffline) this.lightBus?.returned();
      this.wasOffline = false;
    } else {
      // The status topic does not say why (clean disconnect or last will), so neither do we.
      this.recorder.offline();
      this.wasOffline = true;
    }
  }

  onRefused(reason: string, payload: Buffer): void {
    this.recorder.badInput(reason, payload);
  }

  async send(command: DeviceCommand): Promise<void> {
    const mqtt = this.context.mqtt;
    if (!mqtt) throw new CommandError(`${this.recorder.what()}: the gateway has no MQTT connection to send "${command.kind}"`);
    if (command.kind === 'light' && this.lights) {
      const { address = '', color, blink = false, text, beep } = command;
      try {
        await this.lights.set([{ address, color, blink, text, beep }]);
        this.recorder.commandSent();
      } catch (err) {
        this.recorder.commandFailed((err as Error).message);
        throw new Error(`${this.recorder.what()}: cannot send light: ${(err as Error).message}`);
      }
      return;
    }
    const payload = contractPayloadOf(command);
    try {
      await mqtt.sendCommand(this.deviceId, payload);
      this.recorder.commandSent();
    } catch (err) {
      this.recorder.commandFailed((err as Error).message);
      throw new Error(`${this.recorder.what()}: cannot send ${command.kind}: ${(err as Error).message}`);
    }
  }
}

/** The contract payload of a typed command (docs/device-mqtt.md). */
export function contractPayloadOf(command: DeviceCommand): DeviceCommandPayload {
  switch (command.kind) {
    case 'feedback':
      return { kind: 'feedback', result: command.result === 'good' ? 'ok' : 'error', ...(command.message ? { message: command.message } : {}) };
    case 'print':
      if (command.format !== 'zpl') throw new CommandError(`the MQTT device contract carries ZPL print jobs only, not ${command.format}`);
      return { kind: 'print', format: 'zpl', document: command.document, ...(command.copies ? { copies: command.copies } : {}) };
    case 'light': {
      const { kind, color, blink, text, beep, address } = command;
      return Object.fromEntries(Object.entries({ kind, color, blink, text, beep, address }).filter(([, v]) => v !== undefined)) as DeviceCommandPayload;
    }
    default:
      return { kind: command.kind };
  }
}
