/** A gateway with cloud sync pointed at a simulated OMS, both on ephemeral loopback ports. */
import { afterEach } from 'vitest';
import { startCloudOms, type CloudOms, type CloudOmsOptions } from '../../simulators/cloud-oms/cloudOms.ts';
import type { Gateway } from '../../gateway/core/gateway.ts';
import { useTestGateway } from '../helpers/testGateway.ts';

export const store = 'test-store';

export function useSyncHarness() {
  const gateways = useTestGateway();
  const omses: CloudOms[] = [];
  afterEach(async () => {
    for (const o of omses.splice(0)) await o.stop();
  });
  return {
    async oms(options: CloudOmsOptions = {}): Promise<CloudOms> {
      const oms = await startCloudOms({ port: 0, catalogSize: 40, tokens: { [store]: 'test-token' }, ...options });
      omses.push(oms);
      return oms;
    },
    gateway(url: string, cloud: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}): Promise<Gateway> {
      return gateways.start({
        cloud: {
          url,
          token: 'test-token',
          intervals: { pushMs: 100, pullMs: 100, snapshotMs: 3_600_000 },
          batchMaxAgeMs: 20,
          backoff: { baseMs: 20, maxMs: 200 },
          requestTimeoutMs: 2000,
          ...cloud,
        },
        ...overrides,
      });
    },
  };
}

/** n stock movements on catalog skus, appended through the real log. */
export async function appendMovements(gateway: Gateway, oms: CloudOms, n: number, offset = 0): Promise<void> {
  await gateway.log.appendAll(
    Array.from({ length: n }, (_, i) => ({
      type: 'stock.adjusted' as const,
      data: { sku: oms.catalog[(i + offset) % oms.catalog.length]!.sku, bin: `A-0${i % 5}`, delta: 1 + (i % 3), reason: 'test' },
    })),
  );
}

/** The OMS holds exactly the log's events, each once, in seq order (and arrived in that order). */
export function omsMatchesLog(gateway: Gateway, oms: CloudOms): { log: string[]; oms: string[]; arrivalsInOrder: boolean } {
  const held = oms.db.heldEvents(store);
  const log = gateway.log.readAfter(0, 1_000_000).map((e) => `${e.seq}:${e.id}`);
  const arrivals = held.map((h) => h.arrival);
  return { log, oms: held.map((h) => `${h.seq}:${h.id}`), arrivalsInOrder: arrivals.every((a, i) => i === 0 || a > arrivals[i - 1]!) };
}
