import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/testGateway.ts';
import { appendMovements, omsMatchesLog, store, useSyncHarness } from './syncHarness.ts';

const harness = useSyncHarness();

describe('cloud sync over HTTP against the simulated OMS', () => {
  it('pushes every log event once, in order, and advances the cursor only on acknowledgement', async () => {
    const oms = await harness.oms();
    const gateway = await harness.gateway(oms.url, { batchSize: 50 });
    await appendMovements(gateway, oms, 230);
    await waitFor('the OMS to hold every event', () => oms.db.heldCount(store) === gateway.log.count() && gateway.sync!.status().backlog === 0, 10_000);
    const m = omsMatchesLog(gateway, oms);
    expect(m.oms).toEqual(m.log);
    expect(m.arrivalsInOrder).toBe(true);
    expect(gateway.sync!.status().pushCursor).toBe(gateway.log.lastSeq());
  });

  it('pulls the catalog, orders and ASNs into the log; a cancellation reaches the floor within one poll', async () => {
    const oms = await harness.oms();
    const gateway = await harness.gateway(oms.url);
    await waitFor('the catalog', () => gateway.log.query({ type: 'catalog.upserted', limit: 100 }).length === 40, 10_000);
    const [orderId] = oms.releaseOrders(store, 3);
    const asn = oms.sendAsn(store);
    await waitFor('the orders', () => gateway.log.query({ type: 'order.released' }).length === 3);
    await waitFor('the ASN', () => gateway.log.query({ type: 'asn.received' }).length === 1);
    expect(gateway.log.query({ type: 'asn.received' }).map((e) => (e.data as { asn: string }).asn)).toEqual([asn]);
    expect(gateway.sync!.status().parkedFeedItems).toBe(0);
    const cancelledAt = Date.now();
    oms.cancelOrder(store, orderId!);
    await waitFor('the cancellation on the floor', () => gateway.log.projections.rows('orders').find((o) => o.order_id === orderId && o.status === 'cancelled'));
    // pullMs is 100 ms here: one interval plus the time to apply.
    expect(Date.now() - cancelledAt).toBeLessThan(2000);
  });

  it('a cancellation mid-pick: the floor sees the order cancelled with what was already picked, the OMS sees both in seq order, then the return task for the picked unit', async () => {
    const oms = await harness.oms({ seedCatalog: false });
    const gateway = await harness.gateway(oms.url);
    const [orderId] = oms.releaseOrders(store, 1);
    const released = await waitFor('the order', () => gateway.log.query({ type: 'order.released' })[0]);
    const line = (released.data as { lines: Array<{ line: number; sku: string; qty: number }> }).lines[0]!;
    await gateway.log.append({ type: 'stock.received', data: { sku: line.sku, bin: 'A-01', qty: 10 } });
    const pick = await gateway.log.append({ type: 'stock.picked', data: { sku: line.sku, bin: 'A-01', qty: 1, orderId: orderId!, line: line.line }, source: { station: 'pick-1', orderId } });
    oms.cancelOrder(store, orderId!);
    await waitFor('the cancellation', () => gateway.log.projections.rows('orders').find((o) => o.order_id === orderId && o.status === 'cancelled'), 3000);
    const lines = gateway.log.projections.rows('order_lines').filter((l) => l.order_id === orderId);
    expect(lines.find((l) => l.line === line.line)!.picked).toBe(1);
    // The picked unit is in a tote at no station: the gateway creates its return putaway task.
    await waitFor('the return task', () => gateway.log.query({ type: 'task.created' }).length === 1);
    await waitFor('the OMS to hold it all', () => gateway.sync!.status().backlog === 0 && oms.db.heldCount(store) === gateway.log.count(), 5000);
    const held = oms.db.heldEvents(store).filter((e) => (e.data as { orderId?: string }).orderId === orderId).map((e) => e.type);
    expect(held).toEqual(['order.released', 'stock.picked', 'order.cancelled', 'task.created']);
    expect(oms.db.heldEvents(store).find((e) => e.type === 'stock.picked')!.seq).toBe(pick.event.seq);
  });

  it('applies a redelivered feed item once (feed id is the event id)', async () => {
    const oms = await harness.oms({ seedCatalog: false });
    const gateway = await harness.gateway(oms.url);
    const [orderId] = oms.releaseOrders(store, 1);
    await waitFor('the order', () => gateway.log.query({ type: 'order.released' }).length === 1);
    // The OMS sends the same item again (e.g. its cursor went back after a failover).
    const item = oms.db.feed(store, undefined, 10).items[0]!;
    oms.db.addFeedItem(store, item.kind, item.data, item.id);
    oms.releaseOrders(store, 1);
    await waitFor('the next order', () => gateway.log.query({ type: 'order.released' }).length === 2);
    expect(gateway.log.query({ orderId }).filter((e) => e.type === 'order.released')).toHaveLength(1);
  });

  it('parks a feed item that does not validate, with its reason, and goes on', async () => {
    const oms = await harness.oms({ seedCatalog: false });
    const gateway = await harness.gateway(oms.url);
    oms.db.addFeedItem(store, 'order.released', { orderId: 'BROKEN-1', lines: [] }, 'broken-1');
    oms.db.addFeedItem(store, 'pallet.teleported', { to: 'mars' }, 'weird-1');
    oms.releaseOrders(store, 1);
    await waitFor('the good order', () => gateway.log.query({ type: 'order.released' }).length === 1);
    const parked = gateway.sync!.puller.parked.list();
    expect(parked.map((p) => p.key).sort()).toEqual(['broken-1', 'weird-1']);
    expect(parked.find((p) => p.key === 'broken-1')!.reason).toMatch(/lines/);
    expect(gateway.sync!.status().parkedFeedItems).toBe(2);
  });

  it('parks an event the OMS rejects without blocking the ones behind it; retry-parked sends it again', async () => {
    const oms = await harness.oms();
    let refuse = true;
    oms.db.rejectRule = (e) => (refuse && (e.data as { reason?: string }).reason === 'bad' ? 'bin A-99 is not in the OMS layout' : undefined);
    const gateway = await harness.gateway(oms.url);
    await appendMovements(gateway, oms, 5);
    await gateway.log.append({ type: 'stock.adjusted', data: { sku: oms.catalog[0]!.sku, bin: 'A-99', delta: 1, reason: 'bad' } });
    await appendMovements(gateway, oms, 5, 5);
    await waitFor('the backlog to drain', () => gateway.sync!.status().backlog === 0 && oms.db.heldCount(store) === gateway.log.count(), 10_000);
    const parked = gateway.sync!.pusher.parked.list();
    expect(parked).toHaveLength(1);
    expect(parked[0]!.reason).toBe('bin A-99 is not in the OMS layout');
    expect(oms.db.heldEvents(store).filter((e) => e.status === 'accepted')).toHaveLength(gateway.log.count() - 1);

    refuse = false;
    const result = await gateway.sync!.retryParked();
    expect(result.events).toEqual({ retried: 1, stillParked: 0 });
    expect(oms.db.heldEvents(store).every((e) => e.status === 'accepted')).toBe(true);
  });

  it('an OMS that rejects a whole kind of event: every one is parked, the rest flows, and retry-parked resends them in batches of batchSize', async () => {
    const oms = await harness.oms();
    let refuse = true;
    oms.db.rejectRule = (e) => (refuse && (e.data as { reason?: string }).reason === 'test' ? 'stock.adjusted is not supported by this OMS version' : undefined);
    const gateway = await harness.gateway(oms.url, { batchSize: 100 });
    await appendMovements(gateway, oms, 450);
    await gateway.log.append({ type: 'stock.received', data: { sku: oms.catalog[0]!.sku, bin: 'A-01', qty: 3 } });
    await waitFor('the backlog to drain', () => gateway.sync!.status().backlog === 0 && oms.db.heldCount(store) === gateway.log.count(), 20_000);
    expect(gateway.sync!.status().parkedEvents).toBe(450);
    expect(oms.db.heldEvents(store).filter((e) => e.status === 'accepted' && e.type.startsWith('stock.')).map((e) => e.type)).toEqual(['stock.received']);

    refuse = false;
    const sizes: number[] = [];
    const ingest = oms.db.ingest.bind(oms.db);
    oms.db.ingest = (s, events) => (sizes.push(events.length), ingest(s, events));
    expect((await gateway.sync!.retryParked()).events).toEqual({ retried: 450, stillParked: 0 });
    expect(sizes).toEqual([100, 100, 100, 100, 50]);
    expect(oms.db.heldEvents(store).every((e) => e.status === 'accepted')).toBe(true);
  });

  it('takes an inventory snapshot with the seq it reflects and keeps the drift reply', async () => {
    const oms = await harness.oms({ seedCatalog: false });
    const gateway = await harness.gateway(oms.url);
    const sku = oms.catalog[0]!.sku;
    await gateway.log.append({ type: 'stock.received', data: { sku, bin: 'A-01', lot: 'L1', qty: 10 } });
    await waitFor('push', () => gateway.sync!.status().backlog === 0);
    let record = await gateway.sync!.snapshotter.takeSnapshot('test');
    expect(record.drift).toEqual([]);
    expect(record.asOfSeq).toBe(gateway.log.lastSeq());
    // The OMS lost one event (e.g. restored from an old backup): the snapshot shows the drift.
    oms.db.db.prepare('DELETE FROM events WHERE seq = 1').run();
    oms.db.db.prepare("INSERT INTO events (store, seq, id, type, at, data, status, arrival) VALUES (?, 1, 'x', 'config.changed', '', '{}', 'accepted', 0)").run(store);
    record = await gateway.sync!.snapshotter.takeSnapshot('test');
    expect(record.drift).toEqual([{ sku, bin: 'A-01', lot: 'L1', store: 10, oms: 0, delta: 10 }]);
    expect(gateway.sync!.status().lastSnapshot?.drift).toHaveLength(1);
  });

  it('snapshots on the configured interval; an OMS that is behind the snapshot says so and it is taken again after the push', async () => {
    const oms = await harness.oms({ seedCatalog: false });
    // Small batches wait up to 1.5 s, so the first scheduled snapshot finds the OMS behind.
    const gateway = await harness.gateway(oms.url, { batchSize: 500, batchMaxAgeMs: 1500, intervals: { pushMs: 100, pullMs: 100, snapshotMs: 300 } });
    await gateway.log.append({ type: 'stock.received', data: { sku: oms.catalog[2]!.sku, bin: 'B-01', qty: 4 } });
    await expect(gateway.sync!.snapshotter.takeSnapshot('test')).rejects.toThrow(/409 behind: the OMS holds events through seq 0, the snapshot reflects seq 1; push first/);
    const snapshot = await waitFor('a scheduled snapshot', () => gateway.sync!.status().lastSnapshot, 5000);
    expect(snapshot).toMatchObject({ trigger: 'interval', asOfSeq: 1, rows: 1, drift: [] });
  });
});
