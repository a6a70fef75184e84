import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/runCli.ts';
import { waitFor } from '../helpers/testGateway.ts';
import { appendMovements, store, useSyncHarness } from '../cloud-sync/syncHarness.ts';

const harness = useSyncHarness();

describe('darkstore-gateway sync', () => {
  it('status shows cursor, backlog, last success and parked items; retry-parked and snapshot act on the running gateway', async () => {
    const oms = await harness.oms({ seedCatalog: false });
    let refuse = true;
    oms.db.rejectRule = (e) => (refuse && (e.data as { bin?: string }).bin === 'Z-99' ? 'bin Z-99 is unknown to the OMS' : undefined);
    const gateway = await harness.gateway(oms.url);
    const dataDir = gateway.config.dataDir;
    await appendMovements(gateway, oms, 12);
    await gateway.log.append({ type: 'stock.received', data: { sku: oms.catalog[1]!.sku, bin: 'Z-99', qty: 3 } });
    oms.db.addFeedItem(store, 'order.released', { orderId: 'X', lines: [] }, 'bad-order-1');
    await waitFor('sync', () => gateway.sync!.status().backlog === 0 && gateway.sync!.status().parkedFeedItems === 1, 10_000);

    const status = await runCli(['sync', 'status', '--data', dataDir]);
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/transport\s+http/);
    expect(status.stdout).toMatch(/push cursor\s+13 of 13 \(backlog 0 events\)/);
    expect(status.stdout).toMatch(/last success\s+20\d\d-/);
    expect(status.stdout).toMatch(/parked\s+1 event\(s\), 1 feed item\(s\)/);
    expect(status.stdout).toContain('event seq 13 (stock.received): bin Z-99 is unknown to the OMS');
    expect(status.stdout).toMatch(/feed item bad-order-1: .*lines/);

    refuse = false;
    const retry = await runCli(['sync', 'retry-parked', '--data', dataDir]);
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain('retried 1 event(s) (0 still parked), 1 feed item(s) (1 still parked)');
    expect(gateway.sync!.status().parkedEvents).toBe(0);

    const snapshot = await runCli(['sync', 'snapshot', '--data', dataDir]);
    expect(snapshot.code).toBe(0);
    expect(snapshot.stdout).toMatch(/as of seq 13: \d+ rows, no drift/);
  });

  it('says what to do when no gateway handles the request', async () => {
    const oms = await harness.oms({ seedCatalog: false });
    const gateway = await harness.gateway(oms.url);
    const dataDir = gateway.config.dataDir;
    await gateway.stop();
    const result = await runCli(['sync', 'snapshot', '--data', dataDir, '--timeout', '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/did not handle the snapshot request within 1 s: is it running with cloud.enabled/);
  });
});
