/**
 * Records what devices report in the event log, modestly: every scan becomes `device.scanned`
 * (so `darkstore-gateway log --follow` shows scans as they happen, and an audit can replay
 * them); a scale's weight becomes `device.weighed` only when it settles on a new stable value,
 * because a streaming scale sends seven readings a second and the log is not a telemetry store.
 *
 * @example
 *   const recorder = new DeviceActivityRecorder({ bus, log, logger });
 *   await recorder.start();
 */
import type { Logger } from 'pino';
import type { EventLog } from '../log/eventLog.ts';
import type { DeviceEvent, EventBus } from './eventBus.ts';

/** A new stable weight within this many grams of the last logged one is the same weighing. */
const sameWeighingGrams = 1;

export class DeviceActivityRecorder {
  readonly name = 'device-activity';
  private readonly lastStable = new Map<string, number | undefined>();

  constructor(private readonly deps: { bus: EventBus; log: EventLog; logger: Logger }) {}

  async start(): Promise<void> {
    // Live: the record carries the time the device spoke, also while the gateway starts.
    this.deps.bus.onDeviceEvent(this, (deviceId, event) => void this.record(deviceId, event), { live: true });
  }

  async stop(): Promise<void> {
    this.deps.bus.removeOwner(this);
  }

  private async record(deviceId: string, event: DeviceEvent): Promise<void> {
    try {
      if (event.kind === 'scan') {
        const b = event.barcode;
        await this.deps.log.append({
          type: 'device.scanned',
          source: { device: deviceId },
          data: {
            deviceId,
            data: event.data,
            ...(b?.gtin ? { gtin: b.gtin } : {}),
            ...(b?.storeLabel ? { label: b.storeLabel.kind } : {}),
            ...(event.barcodeError ? { barcodeError: event.barcodeError } : {}),
          },
        });
      } else if (event.kind === 'weight') {
        const last = this.lastStable.get(deviceId);
        if (!event.stable) {
          // Lifting the load and putting it back is a new weighing, even at the same weight.
          if (last !== undefined && Math.abs(event.grams - last) > sameWeighingGrams) this.lastStable.set(deviceId, undefined);
          return;
        }
        if (Math.abs(event.grams) <= sameWeighingGrams) {
          // An empty scale settling at zero is not a weighing; the next load is a new one.
          this.lastStable.set(deviceId, undefined);
          return;
        }
        if (last !== undefined && Math.abs(event.grams - last) <= sameWeighingGrams) return;
        this.lastStable.set(deviceId, event.grams);
        await this.deps.log.append({ type: 'device.weighed', source: { device: deviceId }, data: { deviceId, grams: event.grams } });
      }
    } catch (err) {
      this.deps.logger.error({ component: this.name, deviceId, err: (err as Error).message }, `could not record a ${event.kind} from "${deviceId}"`);
    }
  }
}
