import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultKinds } from '../../simulators/cloud-oms/faultPlan.ts';
import { startCloudOms } from '../../simulators/cloud-oms/cloudOms.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/testGateway.ts';
import { appendMovements, omsMatchesLog, store, useSyncHarness } from './syncHarness.ts';

const harness = useSyncHarness();
const tempDir = useTempDir();

describe('cloud sync through the simulator faults', () => {
  it.each(faultKinds)('%s: every event still reaches the OMS exactly once, in order', async (kind) => {
    const oms = await harness.oms({ faults: { retryAfterSeconds: 0.2 } });
    const gateway = await harness.gateway(oms.url, { batchSize: 20 });
    oms.faults.injectNext(kind, 4);
    await appendMovements(gateway, oms, 100);
    await waitFor('the backlog to drain', () => gateway.sync!.status().backlog === 0 && oms.db.heldCount(store) === gateway.log.count(), 15_000);
    const m = omsMatchesLog(gateway, oms);
    expect(m.oms).toEqual(m.log);
    expect(m.arrivalsInOrder).toBe(true);
    expect(oms.faults.injected[kind]).toBe(4);
    expect(gateway.sync!.status().parkedEvents).toBe(0);
  });

  it('a mix of every fault during a busy push and pull: nothing lost, nothing doubled', async () => {
    const oms = await harness.oms({ faults: { retryAfterSeconds: 0.1, latencyMs: 2, seed: 3, rates: { error5xx: 0.08, tooMany: 0.05, html: 0.05, reset: 0.08, replyLost: 0.1 } } });
    const gateway = await harness.gateway(oms.url, { batchSize: 25 });
    const orders = oms.releaseOrders(store, 20);
    for (let i = 0; i < 10; i++) await appendMovements(gateway, oms, 30, i * 30);
    await waitFor('the orders', () => gateway.log.query({ type: 'order.released', limit: 100 }).length === 20, 15_000);
    await waitFor('the backlog to drain', () => gateway.sync!.status().backlog === 0 && oms.db.heldCount(store) === gateway.log.count(), 20_000);
    const m = omsMatchesLog(gateway, oms);
    expect(m.oms).toEqual(m.log);
    expect(m.arrivalsInOrder).toBe(true);
    expect(gateway.log.query({ type: 'order.released', limit: 100 }).map((e) => (e.data as { orderId: string }).orderId).sort()).toEqual(orders.sort());
    expect(Object.values(oms.faults.injected).every((n) => n > 0)).toBe(true);
  });

  it('a proxy HTML page is reported with its status and first bytes', async () => {
    const oms = await harness.oms({ seedCatalog: false });
    oms.faults.set({ rates: { html: 1 } });
    const gateway = await harness.gateway(oms.url);
    await appendMovements(gateway, oms, 1);
    const error = await waitFor('an error', () => gateway.sync!.status().lastError);
    expect(error).toMatch(/HTTP 502/);
    expect(error).toMatch(/text\/html/);
    expect(error).toContain('502 Bad Gateway');
    expect(error).toMatch(/check cloud\.url/);
  });

  it('a wrong token says so', async () => {
    const oms = await harness.oms({ seedCatalog: false });
    const gateway = await harness.gateway(oms.url, { token: 'wrong' });
    const error = await waitFor('an error', () => gateway.sync!.status().lastError);
    expect(error).toMatch(/401.*check cloud\.token/);
  });

  it('cloud down for a while: the floor keeps working, /healthz says degraded, /readyz stays ready, the backlog drains in order', async () => {
    const file = join(tempDir(), 'oms.db');
    const first = await startCloudOms({ port: 0, file, catalogSize: 40, seedCatalog: false });
    const port = Number(new URL(first.url).port);
    const gateway = await harness.gateway(first.url, { degradedAfterMs: 200 });
    await appendMovements(gateway, first, 10);
    await waitFor('first push', () => gateway.sync!.status().backlog === 0);
    await first.stop();

    for (let i = 0; i < 5; i++) await appendMovements(gateway, first, 40, i * 40);
    const healthz = async () => ((await (await fetch(`${gateway.http.url}/healthz`)).json()) as { status: string }).status;
    let status = await healthz();
    for (let i = 0; i < 50 && !status.startsWith('degraded'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = await healthz();
    }
    expect(status).toMatch(/^degraded: cloud unreachable for \d+s$/);
    expect((await fetch(`${gateway.http.url}/readyz`)).status).toBe(200);
    expect(gateway.sync!.status().backlog).toBe(200);
    const metrics = await (await fetch(`${gateway.http.url}/metrics`)).text();
    expect(metrics).toMatch(/dsgw_sync_backlog_events 200/);
    expect(metrics).toMatch(/dsgw_sync_oldest_unsent_age_seconds [0-9.]+/);

    const second = await startCloudOms({ port, file, catalogSize: 40, seedCatalog: false });
    try {
      await waitFor('the backlog to drain', () => gateway.sync!.status().backlog === 0, 15_000);
      const m = omsMatchesLog(gateway, second);
      expect(m.oms).toEqual(m.log);
      expect(m.arrivalsInOrder).toBe(true);
      const body = (await (await fetch(`${gateway.http.url}/healthz`)).json()) as { status: string };
      expect(body.status).toBe('ok');
    } finally {
      await second.stop();
    }
  });
});
