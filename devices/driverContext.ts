/**
 * What the registry hands every driver when it builds one: the device's config, where events
 * and status go, the logger, the barcode options for scanners, and the shared transports that
 * are not per-device (the HID device list, the gateway's MQTT connection).
 */
import type { DeviceConfig } from '../config/schema.ts';
import type { BarcodeOptions } from './barcode/index.ts';
import type { DeviceLogger, DriverSink } from './driver.ts';
import type { PrintJournal } from './printers/printJournal.ts';
import type { HidBoundary } from './transports/hidBoundary.ts';
import type { MqttCommandPort } from './transports/mqttDevice.ts';
import type { ZigbeeNetwork } from './zigbee/zigbeeNetwork.ts';

export interface DriverContext {
  device: DeviceConfig;
  sink: DriverSink;
  logger: DeviceLogger;
  /** Store barcode options merged with the device's overrides. */
  barcodes: BarcodeOptions;
  /** node-hid, or a fake in tests; loaded only when a HID device is configured. */
  hid: () => Promise<HidBoundary>;
  /** The gateway's MQTT connection, for commands to MQTT devices. */
  mqtt?: MqttCommandPort;
  /** How often HID device lists are polled for unplug (ms). */
  hidPollMs?: number;
  /** The Zigbee coordinator, when the config has a zigbee section. */
  zigbee?: ZigbeeNetwork;
  /** Where print queues keep their jobs (the gateway's event log); in memory when unset. */
  printJournal?: PrintJournal;
}
