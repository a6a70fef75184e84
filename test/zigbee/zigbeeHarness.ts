/**
 * A Zigbee coordinator over the stand-in radio, with a device registry beside it that records
 * events, status and logs; everything is stopped after each test.
 */
import { afterEach } from 'vitest';
import { configSchema } from '../../config/schema.ts';
import { DeviceRegistry } from '../../devices/registry.ts';
import { ZigbeeCoordinator } from '../../devices/zigbee/zigbeeCoordinator.ts';
import { recordingLogger, type Recorded } from '../devices/deviceHarness.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { StandInRadio } from './standInRadio.ts';

export function useZigbee() {
  const tempDir = useTempDir();
  const running: Array<{ stop(): Promise<void> }> = [];
  afterEach(async () => {
    for (const r of running.splice(0).reverse()) await r.stop();
  });
  return {
    /** `availability` is applied after parsing, so a test can use timeouts shorter than the config allows. */
    async start(devices: unknown[], options: { dataDir?: string; radio?: StandInRadio; zigbee?: Record<string, unknown>; availability?: { mainsTimeoutSeconds: number; batteryTimeoutSeconds: number; checkIntervalSeconds: number } } = {}) {
      const recorded: Recorded = { events: [], status: [], logs: [] };
      const radio = options.radio ?? new StandInRadio();
      const dataDir = options.dataDir ?? tempDir();
      const config = configSchema.parse({
        store: { id: 'zigbee-test' },
        dataDir,
        devices,
        zigbee: { adapter: 'zstack', serial: { path: '/dev/stand-in' }, channel: 15, reconnect: { initialMs: 50, maxMs: 200 }, ...options.zigbee },
      });
      const logger = recordingLogger(recorded.logs);
      const byIeee = new Map(config.devices.flatMap((d) => (d.transport.type === 'zigbee' ? [[d.transport.ieee.toLowerCase(), d.id] as const] : [])));
      const zigbeeConfig = { ...config.zigbee!, ...(options.availability ? { availability: options.availability } : {}) };
      const coordinator = new ZigbeeCoordinator({ config: zigbeeConfig, dataDir, logger, createAdapter: radio.factory, boundDevice: (ieee) => byIeee.get(ieee) });
      const registry = new DeviceRegistry({
        config,
        logger,
        zigbee: coordinator,
        sink: {
          event: (deviceId, event) => recorded.events.push({ deviceId, event }),
          status: (deviceId, online, reason) => recorded.status.push({ deviceId, online, reason }),
        },
      });
      await coordinator.start();
      running.push(coordinator);
      await registry.start();
      running.push(registry);
      return { radio, coordinator, registry, recorded, dataDir };
    },
  };
}
