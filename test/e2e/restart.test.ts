/** A gateway restarted mid-order picks up where the picker left off: the log is the state. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FloorDevice } from '../helpers/floorDevice.ts';
import type { Gateway } from '../../gateway/core/gateway.ts';
import { EventLog } from '../../gateway/log/eventLog.ts';
import { dev, floorConfig, gtins, seedStore } from '../helpers/floorStore.ts';
import { useTestGateway, waitFor } from '../helpers/testGateway.ts';

const gw = useTestGateway();
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('restart mid-order', () => {
  it('re-assigns the order with only what is left to pick, and lights the remaining quantity', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dsgw-restart-'));
    dirs.push(dataDir);
    const first = await gw.start({ ...floorConfig, dataDir });
    const connect = async (url: string, id: string) => FloorDevice.attach(await gw.connect(url, { username: id, password: `${id}-secret` }), id);
    const scanner1 = await connect(first.broker!.url, 'scanner-pick');
    await seedStore(first);
    await first.log.append({ type: 'order.released', data: { orderId: 'O-1', lines: [{ line: 1, sku: 'MILK', qty: 3 }] } });
    await waitFor('order assigned', () => (first.stations.stationState('pick-1') as { order?: unknown }).order);
    expect(await scanner1.scan(`]E0${gtins.milk.slice(1)}`)).toMatchObject({ result: 'ok', message: 'ok: Whole Milk 1L, 1 of 3' });
    await first.stop();

    const second = await gw.start({ ...floorConfig, dataDir });
    const scanner2 = await connect(second.broker!.url, 'scanner-pick');
    await waitFor('order re-assigned', () => (second.stations.stationState('pick-1') as { order?: unknown }).order);
    expect((second.stations.stationState('pick-1') as { order: { lines: unknown[] } }).order.lines).toMatchObject([{ qty: 3, picked: 1, bin: 'A-01' }]);
    expect(await scanner2.scan(`]E0${gtins.milk.slice(1)}`)).toMatchObject({ result: 'ok', message: 'ok: Whole Milk 1L, 2 of 3' });
    expect(await scanner2.scan(`]E0${gtins.milk.slice(1)}`)).toMatchObject({ result: 'ok', message: 'ok: Whole Milk 1L, 3 of 3' });
    await waitFor('order picked', () => second.log.projections.rows('orders').find((o) => o.status === 'picked'));
    expect(second.log.projections.rows('order_lines')[0]).toMatchObject({ order_id: 'O-1', qty: 3, picked: 3, short: 0 });
  });

  it('gives each pick station back the order and tote it had, even with nothing picked yet and a more urgent order waiting', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dsgw-restart-'));
    dirs.push(dataDir);
    const config = {
      ...floorConfig,
      dataDir,
      devices: [...floorConfig.devices, dev('scanner-pick-2', 'scanner')],
      stations: [...floorConfig.stations, { id: 'pick-2', kind: 'pick', zone: 'A', devices: ['scanner-pick-2'] }],
    };
    const orderAt = (g: Gateway, station: string) => (g.stations.stationState(station) as { order?: { orderId: string; tote?: string } }).order;
    const first = await gw.start(config);
    const scanner = await FloorDevice.attach(await gw.connect(first.broker!.url, { username: 'scanner-pick-2', password: 'scanner-pick-2-secret' }), 'scanner-pick-2');
    await seedStore(first);
    await first.log.append({ type: 'order.released', data: { orderId: 'O-1', lines: [{ line: 1, sku: 'MILK', qty: 1 }] } });
    await first.log.append({ type: 'order.released', data: { orderId: 'O-2', lines: [{ line: 1, sku: 'YOG', qty: 1 }] } });
    await waitFor('both orders assigned', () => orderAt(first, 'pick-1') && orderAt(first, 'pick-2'));
    const before = { 'pick-1': orderAt(first, 'pick-1')!.orderId, 'pick-2': orderAt(first, 'pick-2')!.orderId };
    expect(await scanner.scan('TOTE-9')).toMatchObject({ result: 'ok' });
    // A rush order arrives: without a memory of who had what, it would go to the first free station.
    await first.log.append({ type: 'order.released', data: { orderId: 'O-3', priority: 5, lines: [{ line: 1, sku: 'MILK', qty: 1 }] } });
    await first.stop();

    const second = await gw.start(config);
    await waitFor('orders re-assigned', () => orderAt(second, 'pick-1') && orderAt(second, 'pick-2'));
    expect(orderAt(second, 'pick-1')!.orderId).toBe(before['pick-1']);
    expect(orderAt(second, 'pick-2')).toMatchObject({ orderId: before['pick-2'], tote: '9' });
  });

  it('an order cancelled after picking while the gateway was stopping gets its return tasks at the next start, once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dsgw-restart-'));
    dirs.push(dataDir);
    const first = await gw.start({ ...floorConfig, dataDir });
    await seedStore(first);
    await first.log.appendAll([
      { type: 'order.released', data: { orderId: 'O-5', lines: [{ line: 1, sku: 'MILK', qty: 2 }] } },
      { type: 'stock.picked', data: { sku: 'MILK', bin: 'A-01', lot: 'L1', qty: 2, orderId: 'O-5', line: 1 } },
      { type: 'order.picked', data: { orderId: 'O-5', tote: '5', station: 'pick-1' } },
    ]);
    await first.stop();
    // The cancellation was committed, and the gateway stopped before it could act on it.
    const log = EventLog.open({ file: join(dataDir, 'gateway.db') });
    await log.append({ type: 'order.cancelled', data: { orderId: 'O-5', reason: 'customer' } });
    log.close();

    const second = await gw.start({ ...floorConfig, dataDir });
    await waitFor('the return task', () => second.log.query({ type: 'task.created' }).length === 1);
    expect(second.log.query({ type: 'task.created' })[0]!.data).toEqual({ taskId: 'return-O-5-1', kind: 'putaway', sku: 'MILK', bin: 'A-01', reason: 'order cancelled', orderId: 'O-5' });
    await second.stop();
    const third = await gw.start({ ...floorConfig, dataDir });
    await new Promise((r) => setTimeout(r, 200));
    expect(third.log.query({ type: 'task.created' })).toHaveLength(1);
  });
});
