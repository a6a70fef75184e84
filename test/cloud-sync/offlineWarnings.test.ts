import { describe, expect, it } from 'vitest';
import { CloudSync } from '../../cloud-sync/cloudSync.ts';
import { OmsRequestError } from '../../cloud-sync/errors.ts';
import type { OmsTransport } from '../../cloud-sync/omsTransport.ts';
import type { LogRow } from '../../cloud-sync/syncPorts.ts';
import { cloudSchema } from '../../config/schema.ts';
import { waitFor } from '../helpers/testGateway.ts';

/** An OMS that never answers, and a log held in memory: what the floor sees during a long outage. */
function offlineSync(events: number, overrides: Record<string, unknown> = {}) {
  const rows: LogRow[] = Array.from({ length: events }, (_, i) => ({ seq: i + 1, id: `e${i + 1}`, type: 'stock.adjusted', at: new Date().toISOString(), data: {} }));
  const kv = new Map<string, string>();
  const warnings: string[] = [];
  let attempts = 0;
  const down = () => {
    attempts++;
    return Promise.reject(new OmsRequestError('POST http://oms/v1/stores/s/events: ECONNREFUSED; the OMS is unreachable, will retry'));
  };
  const transport: OmsTransport = { kind: 'http', start: async () => {}, close: async () => {}, pushEvents: down, fetchFeed: down, putInventory: down };
  const sync = new CloudSync({
    config: cloudSchema.parse({ url: 'http://oms', batchMaxAgeMs: 0, backoff: { baseMs: 5, maxMs: 10 }, intervals: { pushMs: 10, pullMs: 10, snapshotMs: 3_600_000 }, ...overrides }),
    storeId: 's',
    reader: { readAfter: (after, n) => rows.filter((r) => r.seq > after).slice(0, n), lastSeq: () => rows.length, readSeq: (s) => rows[s - 1] },
    applier: { apply: async () => ({ applied: true, duplicate: false }) },
    state: { get: (k) => kv.get(k), set: (k, v) => void kv.set(k, v) },
    stock: { snapshot: () => ({ asOfSeq: rows.length, stock: [] }) },
    logger: { info: () => {}, debug: () => {}, error: () => {}, warn: (_o, msg) => void warnings.push(msg) },
    transport,
  });
  return { sync, warnings, attempts: () => attempts };
}

describe('cloud sync with the OMS away', () => {
  it('warns once when the backlog passes the threshold, and logs a failure streak sparsely', async () => {
    const { sync, warnings, attempts } = offlineSync(12, { backlogWarnEvents: 10 });
    await sync.start();
    try {
      await waitFor('many attempts', () => attempts() > 60, 5000);
    } finally {
      await sync.stop();
    }
    expect(warnings.filter((w) => w.includes('cloud.backlogWarnEvents=10'))).toHaveLength(1);
    // Three loops failing 60+ times in all: the first failure of each streak and every tenth after it.
    const failures = warnings.filter((w) => w.includes('failed; retrying'));
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures.length).toBeLessThan(attempts() / 5);
    expect(sync.status().backlog).toBe(12);
    expect(sync.status().lastError).toMatch(/ECONNREFUSED/);
  });
});
