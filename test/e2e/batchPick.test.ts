/**
 * Batch picking with put-to-light over the real embedded broker with MQTT devices: three orders
 * in one batch into three totes, bin lights with the batch's totals, the slot light after each
 * scan, a wrong tote refused, a short pick, one order cancelled mid-batch; then a batch that
 * survives a gateway restart. At the end the log holds the expected events and the stock
 * projection equals the shelf the test kept.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gatewayUsername } from '../../gateway/broker/embeddedBroker.ts';
import type { Gateway } from '../../gateway/core/gateway.ts';
import { FloorDevice } from '../helpers/floorDevice.ts';
import { dev, floorConfig, gtins, seedStore } from '../helpers/floorStore.ts';
import { useTestGateway, waitFor } from '../helpers/testGateway.ts';

const gw = useTestGateway();
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const config = {
  ...floorConfig,
  devices: [...floorConfig.devices, dev('wall-pick', 'light')],
  stations: [
    {
      id: 'pick-1',
      kind: 'pick',
      zone: 'A',
      devices: ['scanner-pick', 'lights-pick'],
      batch: { maxOrders: 3, putWall: [1, 2, 3, 4].map((slot) => ({ slot, light: { device: 'wall-pick', address: slot } })) },
    },
    ...floorConfig.stations.filter((s) => s.kind !== 'pick'),
  ],
};
const milkScan = `]E0${gtins.milk.slice(1)}`;

async function devices<const T extends string[]>(gateway: Gateway, ...ids: T): Promise<{ [K in keyof T]: FloorDevice }> {
  return Promise.all(ids.map(async (id) => FloorDevice.attach(await gw.connect(gateway.broker!.url, { username: id, password: `${id}-secret` }), id))) as Promise<{ [K in keyof T]: FloorDevice }>;
}
const isLight = (address: number, color: string, text?: string) => (c: { kind: string; address?: unknown; color?: unknown; text?: unknown }) =>
  c.kind === 'light' && c.address === address && c.color === color && (text === undefined || c.text === text);

describe('batch picking with put-to-light end to end', () => {
  it('groupBy bins: the most urgent order, then the one sharing its bin, not the next by urgency', async () => {
    const pick = config.stations[0] as (typeof config.stations)[number] & { batch: object };
    const grouped = { ...config, stations: [{ ...pick, batch: { ...pick.batch, maxOrders: 2, groupBy: 'bins' } }, ...config.stations.slice(1)] };
    const gateway = await gw.start(grouped);
    await seedStore(gateway);
    await gateway.log.appendAll([
      { type: 'order.released', data: { orderId: 'O-1', lines: [{ line: 1, sku: 'MILK', qty: 1 }] } },
      { type: 'order.released', data: { orderId: 'O-2', lines: [{ line: 1, sku: 'YOG', qty: 1 }] } },
      { type: 'order.released', data: { orderId: 'O-3', lines: [{ line: 1, sku: 'MILK', qty: 2 }] } },
    ]);
    const started = await waitFor('batch started', () => gateway.log.query({ type: 'batch.started' })[0]);
    // Both from bin A-01: one stop instead of two.
    expect(started.data).toMatchObject({ orders: [{ orderId: 'O-1', slot: 1 }, { orderId: 'O-3', slot: 2 }] });
  });

  it('picks three orders in one walk into three totes: summed bin lights, put-to-light, a wrong tote, a short, a cancellation', async () => {
    const gateway = await gw.start(config);
    const [scanner, lights, wall] = await devices(gateway, 'scanner-pick', 'lights-pick', 'wall-pick');
    await seedStore(gateway);
    const shelf = new Map([['MILK/A-01/L1', 10], ['YOG/A-02/Y1', 5]]);
    const take = (key: string, n: number) => shelf.set(key, shelf.get(key)! - n);

    await gateway.log.appendAll([
      { type: 'order.released', data: { orderId: 'O-1', lines: [{ line: 1, sku: 'MILK', qty: 2 }, { line: 2, sku: 'YOG', qty: 1 }] } },
      { type: 'order.released', data: { orderId: 'O-2', lines: [{ line: 1, sku: 'MILK', qty: 1 }, { line: 2, sku: 'YOG', qty: 2 }] } },
      { type: 'order.released', data: { orderId: 'O-3', priority: 5, lines: [{ line: 1, sku: 'MILK', qty: 1 }] } },
    ]);
    // The urgent order takes slot 1; the wall asks for a tote there first.
    await wall.expectCommand('slot 1 asks for a tote', isLight(1, 'yellow', 'TOTE'));
    await waitFor('batch started', () => gateway.log.query({ type: 'batch.started' })[0]);
    expect(gateway.log.query({ type: 'batch.started' })[0]!.data).toMatchObject({ station: 'pick-1', orders: [{ orderId: 'O-3', slot: 1 }, { orderId: 'O-1', slot: 2 }, { orderId: 'O-2', slot: 3 }] });
    expect(await scanner.scan(milkScan)).toMatchObject({ result: 'error', message: 'scan a tote for slot 1 first (order O-3)' });
    expect(await scanner.scan('TOTE-41')).toMatchObject({ result: 'ok', message: 'tote 41 in slot 1 for order O-3' });
    expect(await scanner.scan('TOTE-41')).toMatchObject({ result: 'error', message: 'tote 41 is already in slot 1: scan an empty tote for slot 2' });
    expect(await scanner.scan('TOTE-42')).toMatchObject({ result: 'ok' });
    lights.mark();
    expect(await scanner.scan('TOTE-43')).toMatchObject({ result: 'ok', message: 'tote 43 in slot 3 for order O-2' });

    // Every bin lights with the total for the whole batch: 1 + 2 + 1 milk, 1 + 2 yoghurts.
    await lights.expectCommand('A-01 blinks with 4', (c) => isLight(1, 'green', '4')(c) && c.kind === 'light' && c.blink === true);
    await lights.expectCommand('A-02 shows 3', (c) => isLight(2, 'green', '3')(c) && c.kind === 'light' && c.blink === false);

    const screenClient = await gw.connect(gateway.broker!.url, { username: gatewayUsername, password: gateway.broker!.gatewayPassword });
    // Screens on MQTT are coalesced (latest state within 100 ms): the retained one may be a moment behind.
    let latest: { text: string; phase: string; slots: Array<{ slot: number; orderId?: string; tote?: string; status: string }> } | undefined;
    screenClient.on('message', (_topic, payload) => (latest = JSON.parse(payload.toString()) as typeof latest));
    await screenClient.subscribeAsync('dsgw/v1/stations/pick-1/state', { qos: 1 });
    const shown = await waitFor('the screen shows the walk', () => (latest?.phase === 'picking' ? latest : undefined));
    expect(shown).toMatchObject({ phase: 'picking', text: 'pick 4 x Whole Milk 1L from bin A-01 for 3 orders' });
    expect(shown.slots.map((s) => `${s.slot}:${s.orderId ?? '-'}:${s.tote ?? '-'}:${s.status}`)).toEqual(['1:O-3:41:open', '2:O-1:42:open', '3:O-2:43:open', '4:-:-:empty']);

    // The first milk goes to slot 1 (O-3, its only line): the slot lights with 1.
    wall.mark();
    expect(await scanner.scan(milkScan)).toMatchObject({ result: 'ok', message: 'put 1 x Whole Milk 1L in tote slot 1 (41)' });
    take('MILK/A-01/L1', 1);
    await wall.expectCommand('slot 1 lit with 1', isLight(1, 'green', '1'));
    // The wrong tote is refused, and the put still waits.
    expect(await scanner.scan('TOTE-42')).toEqual({ kind: 'feedback', result: 'error', message: 'wrong tote: tote 42 (slot 2); put 1 x Whole Milk 1L in tote slot 1 (41)' });
    scanner.mark();
    wall.mark();
    await wall.send({ kind: 'button', button: 'confirm', address: 1 });
    expect((await scanner.nextFeedback()).message).toBe('ok: 1 x Whole Milk 1L in slot 1; order O-3 is complete');
    await wall.expectCommand('slot 1 off', isLight(1, 'off'));

    // Two milks for O-1 (slot 2), confirmed by its tote label; one for O-2 (slot 3).
    for (let i = 0; i < 2; i++) {
      expect(await scanner.scan(milkScan)).toMatchObject({ result: 'ok', message: 'put 1 x Whole Milk 1L in tote slot 2 (42)' });
      expect(await scanner.scan('TOTE-42')).toMatchObject({ result: 'ok', message: 'ok: 1 x Whole Milk 1L in slot 2' });
    }
    expect(await scanner.scan(milkScan)).toMatchObject({ result: 'ok', message: 'put 1 x Whole Milk 1L in tote slot 3 (43)' });
    expect(await scanner.scan('TOTE-43')).toMatchObject({ result: 'ok' });
    take('MILK/A-01/L1', 3);

    // The OMS cancels O-2 mid-batch: its slot goes off, its milk gets a return task, the rest goes on.
    scanner.mark();
    wall.mark();
    lights.mark();
    await gateway.log.append({ type: 'order.cancelled', data: { orderId: 'O-2', reason: 'customer' } });
    expect((await scanner.nextFeedback()).message).toBe('order O-2 in slot 3 (43) was cancelled: take the tote out, put its 1 picked unit in the returns tote; the batch goes on');
    await wall.expectCommand('slot 3 off', isLight(3, 'off'));
    // A-02 now shows only O-1's yoghurt.
    await lights.expectCommand('A-02 blinks with 1', (c) => isLight(2, 'green', '1')(c) && c.kind === 'light' && c.blink === true);
    await waitFor('its return task', () => gateway.log.query({ type: 'task.created' }).length === 1);

    // The yoghurt is not there: the light's short button shorts what the batch needs at A-02.
    scanner.mark();
    await lights.send({ kind: 'button', button: 'short', address: 2 });
    expect((await scanner.nextFeedback()).message).toBe('short: 1 x Yoghurt 150g missing at bin A-02; recorded, a count is scheduled');
    await waitFor('batch done', () => gateway.log.query({ type: 'order.picked' }).length === 2);
    await waitFor('idle screen', () => (gateway.stations.stationState('pick-1') as { batch?: unknown }).batch === undefined);

    const floor = gateway.log.query({ limit: 1000 }).filter((e) => !e.type.startsWith('device.'));
    expect(floor.map((e) => (e.type === 'verification.failed' ? `${e.type}:${(e.data as { reason: string }).reason}` : e.type))).toEqual([
      'catalog.upserted', 'catalog.upserted', 'catalog.upserted', 'stock.received', 'stock.received',
      'order.released', 'order.released', 'order.released', 'batch.started',
      'verification.failed:batch.totesFirst', 'batch.toteAssigned', 'verification.failed:batch.toteInUse', 'batch.toteAssigned', 'batch.toteAssigned',
      'stock.picked', 'order.picked', 'verification.failed:batch.wrongTote', 'batch.put',
      'stock.picked', 'batch.put', 'stock.picked', 'batch.put', 'stock.picked', 'batch.put',
      'order.cancelled', 'task.created',
      'stock.short', 'task.created', 'order.picked',
    ]);
    const data = (type: string) => floor.filter((e) => e.type === type).map((e) => e.data);
    expect(data('order.picked')).toEqual([{ orderId: 'O-3', station: 'pick-1', tote: '41' }, { orderId: 'O-1', station: 'pick-1', tote: '42' }]);
    expect(data('stock.picked').map((d) => (d as { orderId: string }).orderId)).toEqual(['O-3', 'O-1', 'O-1', 'O-2']);
    expect(data('task.created')).toEqual([
      { taskId: 'return-O-2-1', kind: 'putaway', sku: 'MILK', bin: 'A-01', reason: 'order cancelled', orderId: 'O-2' },
      { taskId: expect.stringMatching(/^count-B-pick-1-.+-A-02-YOG$/), kind: 'count', sku: 'YOG', bin: 'A-02', reason: 'short pick' },
    ]);
    expect(data('stock.short')).toEqual([{ sku: 'YOG', bin: 'A-02', qty: 1, orderId: 'O-1', line: 2, reason: 'not in bin' }]);
    const stock = gateway.log.projections.rows('stock').map((r) => [`${r.sku}/${r.bin}/${r.lot}`, r.qty]);
    expect(new Map(stock as [string, number][])).toEqual(shelf);
    expect(Object.fromEntries(gateway.log.projections.rows('orders').map((o) => [o.order_id, o.status]))).toEqual({ 'O-1': 'picked', 'O-2': 'cancelled', 'O-3': 'picked' });

    // The station is free again: the next order released starts a new batch at slot 1.
    wall.mark();
    await gateway.log.append({ type: 'order.released', data: { orderId: 'O-4', lines: [{ line: 1, sku: 'YOG', qty: 1 }] } });
    await wall.expectCommand('a new batch asks for a tote at slot 1', isLight(1, 'yellow', 'TOTE'));
    expect(gateway.log.query({ type: 'batch.started' }).map((e) => (e.data as { orders: unknown[] }).orders)).toEqual([
      [{ orderId: 'O-3', slot: 1 }, { orderId: 'O-1', slot: 2 }, { orderId: 'O-2', slot: 3 }],
      [{ orderId: 'O-4', slot: 1 }],
    ]);

    // The packer finds each order by its tote.
    const [packScanner] = await devices(gateway, 'scanner-pack');
    expect(await packScanner.scan('TOTE-42')).toMatchObject({ result: 'ok', message: 'order O-1: scan 2 units into the bag' });

    const metrics = await (await fetch(`${gateway.http.url}/metrics`)).text();
    expect(metrics).toContain('dsgw_floor_failures_total{station="pick-1",reason="batch.wrongTote"} 1');
    expect(metrics).toContain('dsgw_floor_short_picks_total{station="pick-1"} 1');
    expect(metrics).toContain('dsgw_floor_verdicts_total{station="pick-1",result="ok"} 4');
  });

  it('an order of a running batch cancelled after its last put gets its return task, and the batch goes on', async () => {
    const gateway = await gw.start(config);
    const [scanner, wall] = await devices(gateway, 'scanner-pick', 'wall-pick');
    await seedStore(gateway);
    await gateway.log.appendAll([
      { type: 'order.released', data: { orderId: 'O-5', priority: 5, lines: [{ line: 1, sku: 'MILK', qty: 1 }] } },
      { type: 'order.released', data: { orderId: 'O-6', lines: [{ line: 1, sku: 'YOG', qty: 1 }] } },
    ]);
    await waitFor('batch started', () => gateway.log.query({ type: 'batch.started' })[0]);
    expect(await scanner.scan('TOTE-51')).toMatchObject({ result: 'ok' });
    expect(await scanner.scan('TOTE-52')).toMatchObject({ result: 'ok' });
    expect(await scanner.scan(milkScan)).toMatchObject({ result: 'ok', message: 'put 1 x Whole Milk 1L in tote slot 1 (51)' });
    expect(await scanner.scan('TOTE-51')).toMatchObject({ result: 'ok', message: 'ok: 1 x Whole Milk 1L in slot 1; order O-5 is complete' });
    await waitFor('O-5 picked', () => gateway.log.query({ type: 'order.picked' }).length === 1);

    // O-5 is complete in its tote on the wall while the batch walks on: the OMS cancels it.
    scanner.mark();
    await gateway.log.append({ type: 'order.cancelled', data: { orderId: 'O-5', reason: 'customer' } });
    expect((await scanner.nextFeedback()).message).toBe('order O-5 in slot 1 (51) was cancelled: take the tote out, put its 1 picked unit in the returns tote; the batch goes on');
    await waitFor('the return task', () => gateway.log.query({ type: 'task.created' }).length === 1);
    expect(gateway.log.query({ type: 'task.created' })[0]!.data).toEqual({ taskId: 'return-O-5-1', kind: 'putaway', sku: 'MILK', bin: 'A-01', reason: 'order cancelled', orderId: 'O-5' });
    wall.mark();
    expect(await scanner.scan(`]E0${gtins.yog.slice(1)}`)).toMatchObject({ result: 'ok', message: 'put 1 x Yoghurt 150g in tote slot 2 (52)' });
    expect(await scanner.scan('TOTE-52')).toMatchObject({ result: 'ok' });
    await waitFor('O-6 picked', () => gateway.log.query({ type: 'order.picked' }).length === 2);
    expect(Object.fromEntries(gateway.log.projections.rows('orders').map((o) => [o.order_id, o.status]))).toEqual({ 'O-5': 'cancelled', 'O-6': 'picked' });
  });

  it('a batch survives a restart: same slots and totes, units already picked stay picked', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dsgw-batch-restart-'));
    dirs.push(dataDir);
    const first = await gw.start({ ...config, dataDir });
    const [scanner1] = await devices(first, 'scanner-pick');
    await seedStore(first);
    await first.log.appendAll([
      { type: 'order.released', data: { orderId: 'O-1', lines: [{ line: 1, sku: 'MILK', qty: 2 }] } },
      { type: 'order.released', data: { orderId: 'O-2', lines: [{ line: 1, sku: 'MILK', qty: 1 }] } },
    ]);
    await waitFor('batch assigned', () => (first.stations.stationState('pick-1') as { batch?: unknown }).batch);
    await scanner1.scan('TOTE-7');
    await scanner1.scan('TOTE-8');
    expect(await scanner1.scan(milkScan)).toMatchObject({ result: 'ok', message: 'put 1 x Whole Milk 1L in tote slot 1 (7)' });
    expect(await scanner1.scan('TOTE-7')).toMatchObject({ result: 'ok' });
    await first.stop();

    const second = await gw.start({ ...config, dataDir });
    const [scanner2, lights2] = await devices(second, 'scanner-pick', 'lights-pick');
    await waitFor('batch resumed', () => (second.stations.stationState('pick-1') as { batch?: unknown }).batch);
    const resumed = (second.stations.stationState('pick-1') as { batch: { orders: Array<{ orderId: string; slot: number; tote?: string; lines: Array<{ picked: number }> }> } }).batch;
    expect(resumed.orders.map((o) => [o.orderId, o.slot, o.tote, o.lines[0]!.picked])).toEqual([['O-1', 1, '7', 1], ['O-2', 2, '8', 0]]);
    expect(second.log.query({ type: 'batch.started' })).toHaveLength(1);
    // No tote round again, and the next milk is O-1's second.
    expect(await scanner2.scan(milkScan)).toMatchObject({ result: 'ok', message: 'put 1 x Whole Milk 1L in tote slot 1 (7)' });
    expect(await scanner2.scan('TOTE-7')).toMatchObject({ result: 'ok', message: 'ok: 1 x Whole Milk 1L in slot 1; order O-1 is complete' });
    expect(await scanner2.scan(milkScan)).toMatchObject({ result: 'ok', message: 'put 1 x Whole Milk 1L in tote slot 2 (8)' });
    expect(await scanner2.scan('TOTE-8')).toMatchObject({ result: 'ok' });
    expect(lights2.commands.some((c) => c.kind === 'light' && c.address === 1 && c.color === 'off')).toBe(true);
    await waitFor('both picked', () => second.log.query({ type: 'order.picked' }).length === 2);
    expect(second.log.query({ type: 'order.picked' }).map((e) => e.data)).toEqual([{ orderId: 'O-1', station: 'pick-1', tote: '7' }, { orderId: 'O-2', station: 'pick-1', tote: '8' }]);
    expect(second.log.projections.rows('stock').find((r) => r.bin === 'A-01')).toMatchObject({ qty: 7 });
  });

  it('a unit picked but not yet put when the gateway stops is asked for again after the restart, also an order\'s last', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dsgw-batch-put-'));
    dirs.push(dataDir);
    const restart = async (previous?: Gateway) => {
      await previous?.stop();
      const gateway = await gw.start({ ...config, dataDir });
      const [scanner, wall] = await devices(gateway, 'scanner-pick', 'wall-pick');
      return { gateway, scanner, wall };
    };
    const first = await restart();
    await seedStore(first.gateway);
    await first.gateway.log.appendAll([
      { type: 'order.released', data: { orderId: 'O-1', lines: [{ line: 1, sku: 'MILK', qty: 2 }] } },
      { type: 'order.released', data: { orderId: 'O-2', lines: [{ line: 1, sku: 'MILK', qty: 1 }] } },
    ]);
    await waitFor('batch assigned', () => (first.gateway.stations.stationState('pick-1') as { batch?: unknown }).batch);
    await first.scanner.scan('TOTE-7');
    await first.scanner.scan('TOTE-8');
    // Picked, and the gateway stops before the picker puts it in tote 7.
    expect(await first.scanner.scan(milkScan)).toMatchObject({ result: 'ok', message: 'put 1 x Whole Milk 1L in tote slot 1 (7)' });

    const second = await restart(first.gateway);
    // The station screen (retained on MQTT) asks for the put.
    const screenClient = await gw.connect(second.gateway.broker!.url, { username: gatewayUsername, password: second.gateway.broker!.gatewayPassword });
    let latest: { text: string; phase: string } | undefined;
    screenClient.on('message', (_topic, payload) => (latest = JSON.parse(payload.toString()) as typeof latest));
    await screenClient.subscribeAsync('dsgw/v1/stations/pick-1/state', { qos: 1 });
    expect(await waitFor('the screen asks for the put', () => (latest?.phase === 'put' ? latest : undefined))).toMatchObject({ text: 'put 1 x Whole Milk 1L in tote slot 1 (7)' });
    expect(await second.scanner.scan(milkScan)).toMatchObject({ result: 'error', message: 'put 1 x Whole Milk 1L in tote slot 1 (7) first: scan its tote or press its light' });
    expect(await second.scanner.scan('TOTE-7')).toMatchObject({ result: 'ok', message: 'ok: 1 x Whole Milk 1L in slot 1' });
    await second.wall.expectCommand('slot 1 off after the put', (c) => c.kind === 'light' && c.address === 1 && c.color === 'off');
    expect(await second.scanner.scan(milkScan)).toMatchObject({ result: 'ok', message: 'put 1 x Whole Milk 1L in tote slot 1 (7)' });
    expect(await second.scanner.scan('TOTE-7')).toMatchObject({ result: 'ok', message: 'ok: 1 x Whole Milk 1L in slot 1; order O-1 is complete' });
    // The batch's last unit, picked: O-2 is complete in the log, its put is not.
    expect(await second.scanner.scan(milkScan)).toMatchObject({ result: 'ok', message: 'put 1 x Whole Milk 1L in tote slot 2 (8)' });

    const third = await restart(second.gateway);
    await waitFor('the put asked again', () => (third.gateway.stations.stationState('pick-1') as { batch?: { put?: unknown } }).batch?.put);
    expect(await third.scanner.scan('TOTE-8')).toMatchObject({ result: 'ok', message: 'ok: 1 x Whole Milk 1L in slot 2; order O-2 is complete' });
    await waitFor('the batch done', () => !(third.gateway.stations.stationState('pick-1') as { batch?: unknown }).batch);
    // Both orders count, also O-1, finished before the restart (it stayed on the wall).
    expect(await waitFor('the screen says done', () => third.gateway.stationScreens.get('pick-1')?.text)).toBe('batch done: 2 orders picked: take the totes to packing');
    const log = third.gateway.log;
    expect(log.query({ type: 'stock.picked' }).map((e) => (e.data as { orderId: string }).orderId)).toEqual(['O-1', 'O-1', 'O-2']);
    expect(log.query({ type: 'batch.put' }).map((e) => [(e.data as { orderId: string }).orderId, (e.data as { slot: number }).slot])).toEqual([['O-1', 1], ['O-1', 1], ['O-2', 2]]);
    expect(log.query({ type: 'batch.started' })).toHaveLength(1);
    expect(log.projections.rows('stock').find((r) => r.bin === 'A-01')).toMatchObject({ qty: 7 });
  });
});
