/**
 * Keeps a driver's health (state, last seen, counters, last error) and reports transitions to
 * the sink once each. Bad input is counted and logged once per occurrence with its bytes in
 * hex, so a technician can see exactly what the device sent.
 *
 * @example
 *   const health = new HealthRecorder({ deviceId: 'scale-1', driver: 'scale over tcp (mt-sics)', address: '10.0.0.7:4001', sink, logger });
 *   health.online();
 *   health.badInput('wrong checksum 0x12, expected 0x34', frame);
 */
import type { DeviceHealth, DeviceLogger, DeviceState, DriverSink } from './driver.ts';

const maxHexBytes = 64;
/**
 * The same error again within this time is counted, not logged: a polled device that stopped
 * answering fails every poll (ten times a second for a photo-eye), and a flaky one flips between
 * error and online as often. The next line logged after the quiet minute says how many there were.
 */
const repeatedErrorLogMs = 60_000;

export function toHex(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes.subarray(0, maxHexBytes)).toString('hex').replace(/(..)(?!$)/g, '$1 ');
  return bytes.length > maxHexBytes ? `${hex} ... (${bytes.length} bytes)` : hex;
}

export interface HealthRecorderOptions {
  deviceId: string;
  driver: string;
  address: string;
  sink: DriverSink;
  logger: DeviceLogger;
}

export class HealthRecorder {
  private readonly current: DeviceHealth;
  private wasOnline = false;
  /** When the device was last heard from (Date.now()); made into `lastSeen` text only when read, not per event. */
  private lastSeenMs?: number;
  /** The error last logged, when, and how many like it were only counted since. */
  private loggedError?: { reason: string; at: number; repeats: number };
  /** Whether the current `error` episode was logged: its end is then logged too. */
  private errorLogged = false;

  constructor(private readonly options: HealthRecorderOptions) {
    this.current = {
      deviceId: options.deviceId,
      driver: options.driver,
      address: options.address,
      state: 'stopped',
      since: new Date().toISOString(),
      counters: { events: 0, badInput: 0, reconnects: 0, commands: 0, commandErrors: 0 },
    };
  }

  snapshot(): DeviceHealth {
    const snapshot = structuredClone(this.current);
    if (this.lastSeenMs !== undefined) snapshot.lastSeen = new Date(this.lastSeenMs).toISOString();
    return snapshot;
  }

  get state(): DeviceState {
    return this.current.state;
  }

  setAddress(address: string): void {
    this.current.address = address;
  }

  connecting(): void {
    this.setState('connecting');
  }

  online(): void {
    if (this.current.state === 'online') return;
    this.setState('online');
    this.seen();
    if (this.wasOnline) this.current.counters.reconnects++;
    this.wasOnline = true;
    this.options.logger.info(this.logFields(), `${this.what()} is online`);
    this.options.sink.status(this.options.deviceId, true);
  }

  /**
   * The device went away (unplugged, connection closed); the driver keeps trying. `reason` is
   * undefined when nobody knows why (an MQTT device's status just says "offline").
   */
  offline(reason?: string): void {
    const was = this.current.state;
    if (reason !== undefined) this.recordError(reason);
    this.setState('offline');
    // Only a connected -> offline transition is news; repeated failed attempts are not.
    if (was === 'online' || was === 'error') {
      this.options.logger.warn({ ...this.logFields(), reason }, `${this.what()} is offline${reason ? `: ${reason}` : ''}`);
      this.options.sink.status(this.options.deviceId, false, reason);
    }
  }

  /**
   * The device is connected but cannot deliver (no reply, over range, a fault): state `error`
   * until it delivers an event again. Connection-wise it is still online (no status change).
   */
  error(reason: string): void {
    this.recordError(reason);
    const entering = this.current.state !== 'error';
    if (this.current.state === 'online') this.setState('error');
    const now = Date.now();
    const last = this.loggedError;
    if (last && last.reason === reason && now - last.at < repeatedErrorLogMs) {
      last.repeats++;
      if (entering) this.errorLogged = false;
      return;
    }
    const since = last?.repeats ? ` (${last.repeats} more like the last since ${new Date(last.at).toISOString()})` : '';
    this.options.logger.warn({ ...this.logFields(), reason, ...(last?.repeats ? { repeats: last.repeats } : {}) }, `${this.what()}: ${reason}${since}`);
    this.loggedError = { reason, at: now, repeats: 0 };
    this.errorLogged = true;
  }

  stopped(): void {
    const was = this.current.state;
    this.setState('stopped');
    if (was === 'online' || was === 'error') this.options.sink.status(this.options.deviceId, false, 'driver stopped');
  }

  seen(): void {
    this.lastSeenMs = Date.now();
  }

  /**
   * The device answered again after a failure (a poll that timed out now gets its reply): back
   * to `online` from `error`. For devices polled for events that may not come for hours (a light's
   * buttons, a photo-eye's beam), which `eventEmitted` alone would leave in `error` all that time.
   */
  answered(): void {
    this.seen();
    if (this.current.state === 'error') {
      this.setState('online');
      if (this.errorLogged) this.options.logger.info(this.logFields(), `${this.what()} answers again`);
      this.errorLogged = false;
    }
  }

  eventEmitted(): void {
    this.current.counters.events++;
    this.seen();
    if (this.current.state === 'error') {
      this.setState('online');
      this.errorLogged = false;
    }
  }

  /** Bytes the driver could not read: counted, logged once with the bytes in hex. */
  badInput(reason: string, bytes: Uint8Array): void {
    this.current.counters.badInput++;
    const bytesHex = toHex(bytes);
    this.recordError(reason, bytesHex);
    this.options.logger.warn({ ...this.logFields(), reason, bytesHex }, `${this.what()} sent unreadable input: ${reason} [${bytesHex}]`);
  }

  commandSent(): void {
    this.current.counters.commands++;
  }

  commandFailed(reason: string): void {
    this.current.counters.commandErrors++;
    this.recordError(reason);
  }

  /** "scale "pack-2" on /dev/ttyUSB1", the start of every message about this device. */
  what(): string {
    const kind = this.options.driver.split(' ')[0];
    return `${kind} "${this.options.deviceId}" on ${this.current.address}`;
  }

  private setState(state: DeviceState): void {
    if (this.current.state === state) return;
    this.current.state = state;
    this.current.since = new Date().toISOString();
  }

  private recordError(reason: string, bytesHex?: string): void {
    this.current.lastError = { reason, at: new Date().toISOString(), ...(bytesHex ? { bytesHex } : {}) };
  }

  private logFields(): object {
    return { component: 'devices', deviceId: this.options.deviceId, address: this.current.address };
  }
}
