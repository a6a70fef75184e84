/**
 * The typed in-process event bus. One `emitX`/`onX` pair per event; listeners are registered
 * per owner so a component's `stop()` removes all of its listeners with `removeOwner(this)`.
 *
 * @example
 *   const bus = new EventBus();
 *   bus.onEventsCommitted(this, (events) => console.log(events.length));
 *   bus.removeOwner(this);
 */
import { EventEmitter } from 'node:events';
import type { BarcodeResult } from '../../devices/barcode/index.ts';
import type { LoggedEvent } from '../log/eventCatalogue.ts';

/**
 * A device event from a driver (devices/driver.ts DriverEvent) or the device contract. A scan
 * carries the decoded barcode, or the decoder's reason when it could not decode the data.
 */
export type DeviceEvent =
  | { kind: 'scan'; data: string; id?: string; barcode?: BarcodeResult; barcodeError?: string }
  | { kind: 'weight'; grams: number; stable: boolean; id?: string }
  | { kind: 'button'; button: 'confirm' | 'short' | 'plus' | 'minus'; address?: number | string; id?: string }
  | { kind: 'sensor'; state: 'blocked' | 'clear'; id?: string };

export interface DeviceStatusChange {
  deviceId: string;
  online: boolean;
  reason?: string;
}

/** What a station screen shows now (rendered text, verdict), as JSON. */
export interface StationScreenUpdate {
  station: string;
  phase?: string;
  text?: string;
  verdict?: 'ok' | 'error';
}

interface BusEvents {
  eventsCommitted: [events: LoggedEvent[]];
  deviceEvent: [deviceId: string, event: DeviceEvent];
  deviceEventLive: [deviceId: string, event: DeviceEvent];
  deviceStatus: [change: DeviceStatusChange];
  stationScreen: [screen: StationScreenUpdate];
}

type Listener<K extends keyof BusEvents> = (...args: BusEvents[K]) => void;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyListener = (...args: any[]) => void;

export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly owners = new Map<object, Array<[keyof BusEvents, AnyListener]>>();
  private static readonly maxHeldDeviceEvents = 10_000;
  private held?: Array<[deviceId: string, event: DeviceEvent]>;
  private droppedWhileHeld = new Map<string, number>();

  constructor() {
    // Every component listens; the default limit of 10 would warn on a normal store.
    this.emitter.setMaxListeners(0);
  }

  emitEventsCommitted(events: LoggedEvent[]): void {
    this.emit('eventsCommitted', events);
  }
  onEventsCommitted(owner: object, listener: Listener<'eventsCommitted'>): void {
    this.on(owner, 'eventsCommitted', listener);
  }

  emitDeviceEvent(deviceId: string, event: DeviceEvent): void {
    this.emit('deviceEventLive', deviceId, event);
    if (this.held) {
      // Bounded: a flood while starting drops the oldest, and the release says how many.
      if (this.held.length >= EventBus.maxHeldDeviceEvents) {
        const [dropped] = this.held.shift()!;
        this.droppedWhileHeld.set(dropped, (this.droppedWhileHeld.get(dropped) ?? 0) + 1);
      }
      this.held.push([deviceId, event]);
      return;
    }
    this.emit('deviceEvent', deviceId, event);
  }

  /**
   * Device events wait, in order, until `releaseDeviceEvents()`. The gateway holds them while it
   * starts: drivers and the broker link come up before the stations that answer scans, and a
   * scan that arrives in between (a serial scanner's buffer, QoS 1 messages an external broker
   * kept for the gateway's session while it was down) must get its verdict, not vanish.
   * Listeners registered with `{ live: true }` (activity records, conveyor timing) get every
   * event as it happens, held or not.
   */
  holdDeviceEvents(): void {
    this.held ??= [];
  }

  /** Delivers the held device events to the listeners now registered; returns how many, and how many were dropped per device. */
  releaseDeviceEvents(): { delivered: number; dropped: number; droppedBy: Record<string, number> } {
    const held = this.held ?? [];
    const droppedBy = Object.fromEntries(this.droppedWhileHeld);
    this.held = undefined;
    this.droppedWhileHeld = new Map();
    for (const [deviceId, event] of held) this.emit('deviceEvent', deviceId, event);
    return { delivered: held.length, dropped: Object.values(droppedBy).reduce((n, c) => n + c, 0), droppedBy };
  }
  onDeviceEvent(owner: object, listener: Listener<'deviceEvent'>, options: { live?: boolean } = {}): void {
    if (options.live) this.on(owner, 'deviceEventLive', listener as Listener<'deviceEventLive'>);
    else this.on(owner, 'deviceEvent', listener);
  }

  emitDeviceStatus(change: DeviceStatusChange): void {
    this.emit('deviceStatus', change);
  }
  onDeviceStatus(owner: object, listener: Listener<'deviceStatus'>): void {
    this.on(owner, 'deviceStatus', listener);
  }

  emitStationScreen(screen: StationScreenUpdate): void {
    this.emit('stationScreen', screen);
  }
  onStationScreen(owner: object, listener: Listener<'stationScreen'>): void {
    this.on(owner, 'stationScreen', listener);
  }

  removeOwner(owner: object): void {
    for (const [event, listener] of this.owners.get(owner) ?? []) this.emitter.off(event, listener);
    this.owners.delete(owner);
  }

  private on<K extends keyof BusEvents>(owner: object, event: K, listener: Listener<K>): void {
    this.emitter.on(event, listener);
    const list = this.owners.get(owner) ?? [];
    list.push([event, listener as unknown as AnyListener]);
    this.owners.set(owner, list);
  }

  private emit<K extends keyof BusEvents>(event: K, ...args: BusEvents[K]): void {
    // A throwing listener must not stop the others or the emitter (the log has already committed).
    for (const listener of this.emitter.listeners(event) as Listener<K>[]) {
      try {
        listener(...args);
      } catch (err) {
        this.emitter.emit('listenerError', err, event);
      }
    }
  }

  onListenerError(listener: (err: unknown, event: string) => void): void {
    this.emitter.on('listenerError', listener);
  }
}
