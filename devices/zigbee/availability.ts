/**
 * Availability by last seen, as Zigbee2MQTT does it: a mains-powered device (a router: bulbs,
 * plugs) gone quiet is pinged, because pinging it costs nothing and a quiet bulb may simply
 * have had nothing to say; a battery device sleeps and cannot be pinged, so it only times out
 * (after a day by default: most report their battery at least that often).
 *
 * @example
 *   const availability = new Availability(config.availability, logger);
 *   await availability.pingQuiet([device]);          // pings it if mains-powered and quiet
 *   availability.awayReason(device, describeDevice(device)); // 'not heard from for 700 s and no answer to a ping'
 */
import type { Models } from 'zigbee-herdsman';
import type { ZigbeeConfig } from '../../config/schema.ts';
import type { DeviceLogger } from '../driver.ts';
import { describeDevice } from './deviceInfo.ts';
import type { ZigbeeDeviceInfo } from './zigbeeNetwork.ts';

export class Availability {
  /** When a device last answered a ping: answers come back through the adapter, not as frames, so herdsman's lastSeen misses them. */
  private readonly pingedAt = new Map<string, number>();
  private readonly pinging = new Set<string>();

  constructor(
    private readonly settings: ZigbeeConfig['availability'],
    private readonly logger: DeviceLogger,
  ) {}

  /** Why a paired device counts as away, or undefined while it is reachable (or being pinged). */
  awayReason(device: Models.Device, info: ZigbeeDeviceInfo): string | undefined {
    const age = this.silenceMs(device);
    if (age === undefined || age <= this.limitMs(info.mainsPowered) || this.pinging.has(info.ieee.toLowerCase())) return undefined;
    return `not heard from for ${Math.round(age / 1000)} s${info.mainsPowered ? ' and no answer to a ping' : ' (battery empty or out of range?)'}`;
  }

  /** Pings the mains-powered devices that have been quiet past their timeout; resolves when each answered or failed. */
  async pingQuiet(devices: Models.Device[]): Promise<void> {
    await Promise.all(
      devices.map(async (device) => {
        const ieee = device.ieeeAddr.toLowerCase();
        if (this.pinging.has(ieee) || !describeDevice(device).mainsPowered) return;
        const age = this.silenceMs(device);
        if (age === undefined || age <= this.limitMs(true)) return;
        this.pinging.add(ieee);
        try {
          await device.ping();
          this.pingedAt.set(ieee, Date.now());
        } catch (err) {
          this.logger.debug({ component: 'zigbee', ieee, err: String((err as Error)?.message ?? err).split('\n')[0] }, `Zigbee device ${ieee} did not answer a ping`);
        } finally {
          this.pinging.delete(ieee);
        }
      }),
    );
  }

  private limitMs(mainsPowered: boolean): number {
    return (mainsPowered ? this.settings.mainsTimeoutSeconds : this.settings.batteryTimeoutSeconds) * 1000;
  }

  private silenceMs(device: Models.Device): number | undefined {
    const last = Math.max(device.lastSeen ?? 0, this.pingedAt.get(device.ieeeAddr.toLowerCase()) ?? 0);
    return last === 0 ? undefined : Date.now() - last;
  }
}
