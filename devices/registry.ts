/**
 * Builds a driver per enabled device from config, starts and stops them, routes typed commands
 * to the right driver and reports health. `apply(newConfig)` restarts only the drivers whose
 * device config (or effective barcode options) changed; the others keep running untouched.
 *
 * @example
 *   const registry = new DeviceRegistry({ config, sink, logger, mqtt: link });
 *   await registry.start();
 *   await registry.send('scale-1', { kind: 'tare' });
 *   registry.health('scale-1'); // { state: 'online', lastSeen: '...', counters: { ... } }
 *   await registry.apply(newConfig); // { started: ['scanner-9'], stopped: [], restarted: ['scale-1'], unchanged: [...] }
 */
import type { DeviceConfig, GatewayConfig } from '../config/schema.ts';
import type { BarcodeOptions } from './barcode/index.ts';
import type { DeviceCommand, DeviceDriver, DeviceHealth, DeviceLogger, DriverSink } from './driver.ts';
import type { DriverContext } from './driverContext.ts';
import { PrinterDriver } from './printers/printerDriver.ts';
import type { PrintJournal } from './printers/printJournal.ts';
import { LineSensorDriver } from './sensors/lineSensorDriver.ts';
import { ModbusSensorDriver } from './sensors/modbusSensorDriver.ts';
import { ModbusLightDriver } from './lights/modbusLightDriver.ts';
import { HidScaleDriver } from './scales/hidScaleDriver.ts';
import { StreamScaleDriver } from './scales/streamScaleDriver.ts';
import { HidScannerDriver } from './scanners/hidScannerDriver.ts';
import { LineScannerDriver } from './scanners/lineScannerDriver.ts';
import { nodeHidBoundary, type HidBoundary } from './transports/hidBoundary.ts';
import { MqttDeviceDriver, type MqttCommandPort, type MqttDeviceInbound } from './transports/mqttDevice.ts';
import { ZigbeeDeviceDriver } from './zigbee/zigbeeDeviceDriver.ts';
import type { ZigbeeNetwork } from './zigbee/zigbeeNetwork.ts';

export type RegistryConfig = Pick<GatewayConfig, 'devices' | 'barcodes'>;

export interface DeviceRegistryOptions {
  config: RegistryConfig;
  sink: DriverSink;
  logger: DeviceLogger;
  mqtt?: MqttCommandPort;
  /** The HID boundary; node-hid by default. Tests pass recorded reports through a fake. */
  hid?: () => Promise<HidBoundary>;
  hidPollMs?: number;
  /** The Zigbee coordinator, for devices with transport {type: zigbee}. */
  zigbee?: ZigbeeNetwork;
  /** Where print queues keep their jobs; the gateway passes one over its event log. */
  printJournal?: PrintJournal;
}

export interface ApplyResult {
  started: string[];
  stopped: string[];
  restarted: string[];
  unchanged: string[];
}

interface Entry {
  driver: DeviceDriver;
  fingerprint: string;
}

/** Store options with the device's overrides on top (per-key, as documented for `barcodes`). */
export function barcodeOptionsFor(store: GatewayConfig['barcodes'], device: DeviceConfig): BarcodeOptions {
  return { ...store, ...(device.barcodes ?? {}) } as BarcodeOptions;
}

/** Builds the driver for a device; throws a clear error for a class/transport we do not drive. */
export function createDriver(context: DriverContext): DeviceDriver {
  const { device } = context;
  const transport = device.transport.type;
  if (transport === 'mqtt') return new MqttDeviceDriver(context);
  if (transport === 'zigbee') {
    if (!context.zigbee) throw new Error(`Zigbee device "${device.id}" has no coordinator: add a zigbee section to the config (docs/zigbee.md)`);
    return new ZigbeeDeviceDriver(context, context.zigbee);
  }
  if (device.class === 'scanner' && (transport === 'serial' || transport === 'tcp')) return new LineScannerDriver(context);
  if (device.class === 'scanner' && transport === 'hid') return new HidScannerDriver(context);
  if (device.class === 'scale' && (transport === 'serial' || transport === 'tcp')) return new StreamScaleDriver(context);
  if (device.class === 'scale' && transport === 'hid') {
    if (device.protocol !== undefined && device.protocol !== 'hid-pos') throw new Error(`scale "${device.id}": over hid the protocol is "hid-pos", not "${device.protocol}"`);
    return new HidScaleDriver(context);
  }
  if (device.class === 'light' && (transport === 'serial' || transport === 'tcp')) {
    if ((device.protocol ?? 'modbus') !== 'modbus') throw new Error(`light "${device.id}": over ${transport} the protocol is "modbus", not "${device.protocol}"`);
    return new ModbusLightDriver(context);
  }
  if (device.class === 'printer' && (transport === 'tcp' || transport === 'serial')) return new PrinterDriver(context);
  if (device.class === 'sensor' && (transport === 'serial' || transport === 'tcp')) {
    if (device.protocol === 'modbus') return new ModbusSensorDriver(context);
    if ((device.protocol ?? 'line') !== 'line') throw new Error(`sensor "${device.id}": over ${transport} the protocol is "line" or "modbus", not "${device.protocol}"`);
    return new LineSensorDriver(context);
  }
  throw new Error(`no driver for a ${device.class} over ${transport} yet (device "${device.id}"); use the MQTT contract or see docs/devices.md`);
}

export class DeviceRegistry implements MqttDeviceInbound {
  readonly name = 'device-registry';
  private readonly drivers = new Map<string, Entry>();
  private config: RegistryConfig;
  private hidBoundary?: Promise<HidBoundary>;
  private running = false;

  constructor(private readonly options: DeviceRegistryOptions) {
    this.config = options.config;
  }

  async start(): Promise<void> {
    this.running = true;
    await this.apply(this.config);
  }

  async stop(): Promise<void> {
    this.running = false;
    const entries = [...this.drivers.values()];
    this.drivers.clear();
    await Promise.all(entries.map((e) => e.driver.stop()));
  }

  /** Brings the running drivers in line with `config`, touching only what changed. */
  async apply(config: RegistryConfig): Promise<ApplyResult> {
    this.config = config;
    const result: ApplyResult = { started: [], stopped: [], restarted: [], unchanged: [] };
    if (!this.running) return result;
    const wanted = new Map(config.devices.filter((d) => d.enabled).map((d) => [d.id, d]));
    for (const [id, entry] of [...this.drivers]) {
      if (wanted.has(id)) continue;
      this.drivers.delete(id);
      await entry.driver.stop();
      result.stopped.push(id);
    }
    for (const device of wanted.values()) {
      const barcodes = barcodeOptionsFor(config.barcodes, device);
      const fingerprint = JSON.stringify([device, barcodes]);
      const existing = this.drivers.get(device.id);
      if (existing?.fingerprint === fingerprint) {
        result.unchanged.push(device.id);
        continue;
      }
      if (existing) {
        this.drivers.delete(device.id);
        await existing.driver.stop();
      }
      let driver: DeviceDriver;
      try {
        driver = createDriver(this.contextFor(device, barcodes));
      } catch (err) {
        this.options.logger.warn({ component: this.name, deviceId: device.id, err: (err as Error).message }, `device "${device.id}" not started: ${(err as Error).message}`);
        continue;
      }
      this.drivers.set(device.id, { driver, fingerprint });
      await driver.start();
      (existing ? result.restarted : result.started).push(device.id);
    }
    return result;
  }

  /** Sends a typed command to a device; rejects with what to do when it cannot be carried out. */
  async send(deviceId: string, command: DeviceCommand): Promise<void> {
    const entry = this.drivers.get(deviceId);
    if (!entry) throw new Error(`no running device "${deviceId}"; check the id and that it is enabled in the config`);
    await entry.driver.send(command);
  }

  /** Whether a driver runs for this device. */
  has(deviceId: string): boolean {
    return this.drivers.has(deviceId);
  }

  /** Health of one device, or undefined when it is not running. */
  health(deviceId: string): DeviceHealth | undefined {
    return this.drivers.get(deviceId)?.driver.health();
  }

  /** Health of every running device, in config order. */
  healthAll(): DeviceHealth[] {
    return [...this.drivers.values()].map((e) => e.driver.health());
  }

  /** The driver of a device, for tests and diagnostics. */
  driver(deviceId: string): DeviceDriver | undefined {
    return this.drivers.get(deviceId)?.driver;
  }

  /** The MQTT link hands device traffic here (see MqttDeviceInbound). */
  get mqttInbound(): MqttDeviceInbound {
    return this;
  }

  event(deviceId: string, event: Parameters<MqttDeviceInbound['event']>[1]): void {
    this.mqttDriver(deviceId)?.onEvent(event);
  }

  status(deviceId: string, online: boolean): void {
    this.mqttDriver(deviceId)?.onStatus(online);
  }

  refused(deviceId: string, reason: string, payload: Buffer): void {
    this.mqttDriver(deviceId)?.onRefused(reason, payload);
  }

  private mqttDriver(deviceId: string): MqttDeviceDriver | undefined {
    const driver = this.drivers.get(deviceId)?.driver;
    return driver instanceof MqttDeviceDriver ? driver : undefined;
  }

  private contextFor(device: DeviceConfig, barcodes: BarcodeOptions): DriverContext {
    return {
      device,
      barcodes,
      sink: this.options.sink,
      logger: this.options.logger,
      mqtt: this.options.mqtt,
      hidPollMs: this.options.hidPollMs,
      zigbee: this.options.zigbee,
      printJournal: this.options.printJournal,
      hid: this.options.hid ?? (() => (this.hidBoundary ??= nodeHidBoundary())),
    };
  }
}
