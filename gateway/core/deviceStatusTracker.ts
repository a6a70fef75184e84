/**
 * Turns device status reports (retained MQTT status, driver health) into `device.online` and
 * `device.offline` events in the log, once per transition, and keeps the online gauge.
 */
import type { Logger } from 'pino';
import type { EventLog } from '../log/eventLog.ts';
import type { DeviceStatusChange, EventBus } from './eventBus.ts';
import type { Metrics } from './metrics.ts';

export class DeviceStatusTracker {
  readonly name = 'device-status';
  private readonly online = new Map<string, boolean>();

  constructor(private readonly deps: { bus: EventBus; log: EventLog; logger: Logger; metrics: Metrics }) {}

  async start(): Promise<void> {
    this.deps.bus.onDeviceStatus(this, (change) => void this.record(change));
  }

  async stop(): Promise<void> {
    this.deps.bus.removeOwner(this);
  }

  isOnline(deviceId: string): boolean {
    return this.online.get(deviceId) ?? false;
  }

  private async record(change: DeviceStatusChange): Promise<void> {
    if (this.online.get(change.deviceId) === change.online) return;
    this.online.set(change.deviceId, change.online);
    this.deps.metrics.devicesOnline.set([...this.online.values()].filter(Boolean).length);
    const type = change.online ? 'device.online' : 'device.offline';
    try {
      await this.deps.log.append({ type, data: { deviceId: change.deviceId, reason: change.reason }, source: { device: change.deviceId } });
      this.deps.logger.info({ component: this.name, deviceId: change.deviceId }, change.online ? 'device online' : 'device offline');
    } catch (err) {
      this.deps.logger.error({ component: this.name, deviceId: change.deviceId, err: (err as Error).message }, `could not record ${type}`);
    }
  }
}
