/**
 * Records Zigbee pairing in the event log: an interview result becomes `zigbee.joined` (with
 * what the device can be and the configured id it is bound to), a leave `zigbee.left`, so an
 * admin can see in the log when a shelf light was added, replaced or lost.
 *
 * @example
 *   await new ZigbeePairingRecorder({ coordinator, log, logger }).start();
 */
import type { Logger } from 'pino';
import type { PairingEvent, ZigbeeCoordinator } from '../../devices/zigbee/zigbeeCoordinator.ts';
import type { EventLog } from '../log/eventLog.ts';

export class ZigbeePairingRecorder {
  readonly name = 'zigbee-pairing';
  private unsubscribe?: () => void;

  constructor(private readonly deps: { coordinator: ZigbeeCoordinator; log: EventLog; logger: Logger }) {}

  async start(): Promise<void> {
    this.unsubscribe = this.deps.coordinator.onPairing((event) => void this.record(event));
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
  }

  private async record(event: PairingEvent): Promise<void> {
    const source = event.deviceId ? { device: event.deviceId } : {};
    const bound = event.deviceId ? { deviceId: event.deviceId } : {};
    try {
      if (event.kind === 'interviewed' || event.kind === 'interview-failed') {
        const d = event.device;
        await this.deps.log.append({
          type: 'zigbee.joined',
          source,
          data: {
            ieee: event.ieee,
            ...bound,
            interview: event.kind === 'interviewed' ? 'successful' : 'failed',
            ...(d?.model ? { model: d.model } : {}),
            ...(d?.manufacturer ? { manufacturer: d.manufacturer } : {}),
            classes: d?.possibleClasses ?? [],
          },
        });
      } else if (event.kind === 'left') {
        await this.deps.log.append({ type: 'zigbee.left', source, data: { ieee: event.ieee, ...bound } });
      }
    } catch (err) {
      this.deps.logger.error({ component: this.name, ieee: event.ieee, err: (err as Error).message }, `could not record Zigbee ${event.kind} of ${event.ieee}`);
    }
  }
}
