/**
 * The driver model: one interface for every floor device, whatever its transport. A driver
 * turns transport bytes into typed events and typed commands into bytes; it holds no workflow
 * logic (DESIGN principle 4). The gateway hands each driver a `DriverSink` (where events and
 * status go) and a `DeviceLogger`; devices/ never imports gateway/.
 *
 * @example
 *   const driver = registry.get('scanner-1');
 *   await driver.send({ kind: 'feedback', result: 'good' });
 *   driver.health(); // { state: 'online', counters: { events: 12, badInput: 1, ... }, ... }
 */
import type { BarcodeResult } from './barcode/index.ts';
import type { LightAddress, LightColor } from './lights/lightModel.ts';

/** A scan: the raw data as the scanner sent it (prefix/suffix stripped) and its decoding. */
export interface ScanEvent {
  kind: 'scan';
  data: string;
  /** The decoded barcode, when the data is a barcode the decoder understands. */
  barcode?: BarcodeResult;
  /** Why decoding failed, e.g. "check digit is 4, expected 3"; the raw data is still here. */
  barcodeError?: string;
  /** Message id from an MQTT device, for deduplication downstream. */
  id?: string;
}
export interface WeightEvent {
  kind: 'weight';
  grams: number;
  /** True when the scale says so and, for streaming scales, readings held within the band. */
  stable: boolean;
  id?: string;
}
export interface ButtonEvent {
  kind: 'button';
  button: 'confirm' | 'short' | 'plus' | 'minus';
  /** Which light on a bus of lights (Modbus unit id, sub-address); unset for a single light. */
  address?: LightAddress;
  id?: string;
}
export interface SensorEvent {
  kind: 'sensor';
  state: 'blocked' | 'clear';
  id?: string;
}
export type DriverEvent = ScanEvent | WeightEvent | ButtonEvent | SensorEvent;

/** Light one light (or turn it off with color 'off'); `address` picks the light on a bus. */
export interface LightCommand {
  kind: 'light';
  color: LightColor;
  blink?: boolean;
  text?: string;
  beep?: boolean;
  address?: LightAddress;
}

/**
 * Print a document. `jobId` makes the job idempotent: a second command with the same id is the
 * same job (printed once); leave it unset and the printer's queue assigns one. A reprint is a
 * new job with `reprintOf` set, so the log shows it was asked for.
 */
export interface PrintCommand {
  kind: 'print';
  format: 'zpl' | 'escpos';
  document: string;
  copies?: number;
  jobId?: string;
  reprintOf?: string;
}

/**
 * A typed command to a device. Scanners take feedback (good read / bad read); scales take zero
 * and tare; lights take light; printers take print. A driver refuses a command its device cannot
 * carry out, with a reason.
 */
export type DeviceCommand =
  | { kind: 'feedback'; result: 'good' | 'bad'; message?: string }
  | { kind: 'zero' }
  | { kind: 'tare' }
  | LightCommand
  | PrintCommand;

/**
 * `connecting`: first attempt; `online`: connected and delivering; `error`: connected but not
 * delivering (no reply, over range, a fault; see lastError); `offline`: away, retrying;
 * `stopped`: the driver is not running.
 */
export type DeviceState = 'stopped' | 'connecting' | 'online' | 'offline' | 'error';

export interface DeviceHealth {
  deviceId: string;
  /** e.g. "scanner over serial (line)". */
  driver: string;
  /** Where the device is, e.g. "/dev/ttyUSB0", "10.0.0.7:4001", "mqtt". */
  address: string;
  state: DeviceState;
  /** When `state` last changed (ISO 8601). */
  since: string;
  /** When the device last sent anything we could read. */
  lastSeen?: string;
  counters: { events: number; badInput: number; reconnects: number; commands: number; commandErrors: number };
  lastError?: { reason: string; at: string; bytesHex?: string };
}

/** Where a driver's output goes; the gateway implements it with its event bus. */
export interface DriverSink {
  event(deviceId: string, event: DriverEvent): void;
  status(deviceId: string, online: boolean, reason?: string): void;
}

/** The subset of pino that drivers use, so tests can pass a silent or recording logger. */
export interface DeviceLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** One device: build, start, stop. The constructor does nothing but store its options. */
export interface DeviceDriver {
  readonly deviceId: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Carries out a command; rejects with an error that says what to do when it cannot. */
  send(command: DeviceCommand): Promise<void>;
  health(): DeviceHealth;
}

/** Thrown when a device cannot carry out a command (wrong class, offline, no such command). */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}
