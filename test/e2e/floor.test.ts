/**
 * One order through the whole floor over the real embedded broker with MQTT devices: picking
 * with put-to-light (a wrong item, an expired lot, a short pick), packing with checkweigh out of
 * and then within tolerance, the bag label arriving at the printer, dispatch by sensor. At the
 * end the log holds exactly the expected events and the stock projection equals the shelf this
 * test kept itself. Then an order packed in two bags, across a gateway restart between them, and
 * one in two bags weighed together at a station that trusts the pick.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Gateway } from '../../gateway/core/gateway.ts';
import { FloorDevice } from '../helpers/floorDevice.ts';
import { dev, floorConfig, gtins, seedStore, storeDay } from '../helpers/floorStore.ts';
import { gatewayUsername } from '../../gateway/broker/embeddedBroker.ts';
import { captureLogs, nextMessage, useTestGateway, waitFor } from '../helpers/testGateway.ts';

const gw = useTestGateway();
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('floor end to end', () => {
  it('picks, packs, labels and dispatches an order, and the log and stock match the shelf', async () => {
    const gateway = await gw.start(floorConfig);
    const url = gateway.broker!.url;
    const device = async (id: string) => FloorDevice.attach(await gw.connect(url, { username: id, password: `${id}-secret` }), id);
    const [pickScanner, lights, packScanner, scale, printer, dispatchScanner, eye] = await Promise.all([
      device('scanner-pick'), device('lights-pick'), device('scanner-pack'), device('scale-pack'), device('printer-pack'), device('scanner-dispatch'), device('eye-dispatch'),
    ]);
    await seedStore(gateway);
    const shelf = new Map([['MILK/A-01/L1', 10], ['YOG/A-02/Y1', 5]]);
    const take = (key: string, n: number) => shelf.set(key, shelf.get(key)! - n);
    const milk = (lot: string, days: number) => `]C101${gtins.milk}17${storeDay(days).yymmdd}10${lot}`;

    // The OMS releases an order: both bins light with their quantity, the first one blinking.
    await gateway.log.append({ type: 'order.released', data: { orderId: 'O-1', shortCode: 'K7', lines: [{ line: 1, sku: 'MILK', qty: 2 }, { line: 2, sku: 'YOG', qty: 2 }] } });
    await lights.expectCommand('A-01 lit', (c) => c.kind === 'light' && c.address === 1 && c.color === 'green' && c.text === '2' && c.blink === true);
    await lights.expectCommand('A-02 lit', (c) => c.kind === 'light' && c.address === 2 && c.color === 'green' && c.text === '2' && c.blink === false);

    // The station screen is retained: a screen that connects now sees what to do.
    const screenClient = await gw.connect(url, { username: gatewayUsername, password: gateway.broker!.gatewayPassword });
    const screen = nextMessage(screenClient, 'dsgw/v1/stations/pick-1/state');
    await screenClient.subscribeAsync('dsgw/v1/stations/pick-1/state', { qos: 1 });
    expect(JSON.parse(await screen)).toMatchObject({ station: 'pick-1', phase: 'picking', orderId: 'O-1', text: 'pick 2 x Whole Milk 1L from bin A-01' });

    expect(await pickScanner.scan('TOTE-7')).toMatchObject({ result: 'ok' });
    // A wrong item: red, with both names.
    lights.mark();
    expect(await pickScanner.scan(`]E0${gtins.oat.slice(1)}`)).toEqual({ kind: 'feedback', result: 'error', message: 'wrong item: scanned Oat Milk 1L, expected Whole Milk 1L' });
    await lights.expectCommand('A-01 red', (c) => c.kind === 'light' && c.address === 1 && c.color === 'red');
    // An expired lot: refused with its date.
    const expired = await pickScanner.scan(milk('LX', -1));
    expect(expired.result).toBe('error');
    expect(expired.message).toContain(`expired lot LX (${storeDay(-1).iso})`);
    // Two good units: the light goes off and the next bin blinks.
    expect(await pickScanner.scan(milk('L1', 30))).toMatchObject({ result: 'ok', message: 'ok: Whole Milk 1L, 1 of 2' });
    lights.mark();
    expect(await pickScanner.scan(milk('L1', 30))).toMatchObject({ result: 'ok', message: 'ok: Whole Milk 1L, 2 of 2' });
    take('MILK/A-01/L1', 2);
    await lights.expectCommand('A-01 off', (c) => c.kind === 'light' && c.address === 1 && c.color === 'off');
    await lights.expectCommand('A-02 blinks', (c) => c.kind === 'light' && c.address === 2 && c.blink === true && c.text === '2');
    // One yoghurt (EAN-13, lot from the plan), then the light's short button for the other.
    expect(await pickScanner.scan(`]E0${gtins.yog.slice(1)}`)).toMatchObject({ result: 'ok' });
    take('YOG/A-02/Y1', 1);
    pickScanner.mark();
    await lights.send({ kind: 'button', button: 'short' });
    expect((await pickScanner.nextFeedback()).message).toBe('short: 1 x Yoghurt 150g missing at bin A-02; recorded, a count is scheduled');
    await waitFor('order picked', () => gateway.log.query({ type: 'order.picked' }).length === 1);

    // Packing: the tote, three units, a heavy bag, then the right weight.
    expect(await packScanner.scan('TOTE-7')).toMatchObject({ result: 'ok', message: 'order O-1: scan 3 units into the bag' });
    expect(await packScanner.scan(`]E0${gtins.milk.slice(1)}`)).toMatchObject({ result: 'ok' });
    expect(await packScanner.scan(`]E0${gtins.oat.slice(1)}`)).toMatchObject({ result: 'error', message: 'not in this order: Oat Milk 1L; put it aside' });
    expect(await packScanner.scan(`]E0${gtins.milk.slice(1)}`)).toMatchObject({ result: 'ok' });
    // 40 g bag + 2 x 1030 + 160 = 2260 g, tolerance max(50, 3 %) = 68 g.
    expect(await packScanner.scan(`]E0${gtins.yog.slice(1)}`)).toMatchObject({ result: 'ok', message: 'put the bag on the scale: expected 2.26 +/- 0.07 kg' });
    packScanner.mark();
    await scale.send({ kind: 'weight', grams: 900, stable: false });
    await scale.send({ kind: 'weight', grams: 2410, stable: true });
    expect((await packScanner.nextFeedback()).message).toBe('bag weighs 2.41 kg, expected 2.26 +/- 0.07 kg: check the items and weigh again, or a supervisor scans a badge');
    await scale.send({ kind: 'weight', grams: 2281, stable: true });
    const passed = await packScanner.nextFeedback();
    expect(passed.message).toMatch(/^bag 2.28 kg ok: label printed \(SSCC 37350053\d{10}\)/);
    const label = await printer.expectCommand('bag label', (c) => c.kind === 'print');
    const sscc = /\(00\) (\d{18})/.exec((label as { document: string }).document)![1]!;
    expect(passed.message).toContain(sscc);
    expect((label as { document: string }).document).toContain('K7');

    // Dispatch: the bag label, then the belt sensor.
    expect(await dispatchScanner.scan(`]C100${sscc}`)).toMatchObject({ result: 'ok', message: 'order O-1: put the bag on the belt (or scan it again)' });
    dispatchScanner.mark();
    await eye.send({ kind: 'sensor', state: 'blocked' });
    expect((await dispatchScanner.nextFeedback()).message).toBe('order O-1 dispatched');

    const floor = gateway.log.query({ limit: 1000 }).filter((e) => !e.type.startsWith('device.'));
    expect(floor.map((e) => (e.type === 'verification.failed' ? `${e.type}:${(e.data as { reason: string }).reason}` : e.type))).toEqual([
      'catalog.upserted', 'catalog.upserted', 'catalog.upserted', 'stock.received', 'stock.received', 'order.released',
      'verification.failed:pick.wrongItem', 'verification.failed:pick.expired',
      'stock.picked', 'stock.picked', 'stock.picked', 'stock.short', 'task.created', 'order.picked',
      'verification.failed:pack.notInOrder', 'verification.failed:pack.weightOutOfTolerance',
      'order.packed', 'label.printed', 'order.dispatched',
    ]);
    expect(floor.find((e) => e.type === 'order.picked')!.data).toEqual({ orderId: 'O-1', tote: '7', station: 'pick-1' });
    expect(floor.find((e) => e.type === 'stock.short')!.data).toMatchObject({ sku: 'YOG', bin: 'A-02', qty: 1, orderId: 'O-1', line: 2 });
    expect(floor.find((e) => e.type === 'order.dispatched')!.data).toEqual({ orderId: 'O-1', sscc });
    const stock = gateway.log.projections.rows('stock').map((r) => [`${r.sku}/${r.bin}/${r.lot}`, r.qty]);
    expect(new Map(stock as [string, number][])).toEqual(shelf);
    expect(gateway.log.projections.rows('orders')[0]).toMatchObject({ order_id: 'O-1', status: 'dispatched' });

    const metrics = await (await fetch(`${gateway.http.url}/metrics`)).text();
    expect(metrics).toContain('dsgw_floor_failures_total{station="pick-1",reason="pick.wrongItem"} 1');
    expect(metrics).toContain('dsgw_floor_short_picks_total{station="pick-1"} 1');
    expect(metrics).toContain('dsgw_floor_out_of_tolerance_total{station="pack-1"} 1');
  });

  it('an order too big for one bag: each bag weighed and labelled on its own, across a restart, and dispatched bag by bag', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dsgw-bags-'));
    dirs.push(dataDir);
    const start = async (previous?: Gateway) => {
      await previous?.stop();
      const gateway = await gw.start({ ...floorConfig, dataDir });
      const device = async (id: string) => FloorDevice.attach(await gw.connect(gateway.broker!.url, { username: id, password: `${id}-secret` }), id);
      const [pickScanner, packScanner, scale, printer, dispatchScanner, eye] = await Promise.all(
        ['scanner-pick', 'scanner-pack', 'scale-pack', 'printer-pack', 'scanner-dispatch', 'eye-dispatch'].map(device),
      );
      return { gateway, pickScanner: pickScanner!, packScanner: packScanner!, scale: scale!, printer: printer!, dispatchScanner: dispatchScanner!, eye: eye! };
    };
    const milk = `]E0${gtins.milk.slice(1)}`;
    const yog = `]E0${gtins.yog.slice(1)}`;
    const weigh = async (floor: Awaited<ReturnType<typeof start>>, grams: number) => {
      floor.packScanner.mark();
      await floor.scale.send({ kind: 'weight', grams, stable: true });
      return (await floor.packScanner.nextFeedback()).message;
    };
    const labelSscc = async (floor: Awaited<ReturnType<typeof start>>) => {
      const printed = await floor.printer.expectCommand('a bag label', (c) => c.kind === 'print');
      floor.printer.mark();
      return /\(00\) (\d{18})/.exec((printed as { document: string }).document)![1]!;
    };

    const first = await start();
    await seedStore(first.gateway);
    await first.gateway.log.append({ type: 'order.released', data: { orderId: 'O-2', lines: [{ line: 1, sku: 'MILK', qty: 2 }, { line: 2, sku: 'YOG', qty: 1 }] } });
    await waitFor('the order at the pick station', () => (first.gateway.stations.stationState('pick-1') as { order?: unknown }).order);
    for (const code of ['TOTE-8', milk, milk, yog]) expect(await first.pickScanner.scan(code)).toMatchObject({ result: 'ok' });
    await waitFor('order picked', () => first.gateway.log.query({ type: 'order.picked' }).length === 1);

    // Bag 1: one milk, closed with CMD-NEXTBAG; 1030 + 40 g packaging.
    expect(await first.packScanner.scan('TOTE-8')).toMatchObject({ result: 'ok', message: 'order O-2: scan 3 units into the bag' });
    expect(await first.packScanner.scan(milk)).toMatchObject({ result: 'ok' });
    expect(await first.packScanner.scan('CMD-NEXTBAG')).toMatchObject({ result: 'ok', message: 'put bag 1 on the scale: expected 1.07 +/- 0.05 kg' });
    expect(await weigh(first, 1080)).toMatch(/^bag 1 1.08 kg ok: label printed \(SSCC \d{18}\), stick it on; scan the other 2 units into bag 2$/);
    const bag1 = await labelSscc(first);

    // The gateway restarts between the bags: bag 1 stays packed.
    const second = await start(first.gateway);
    expect(await second.packScanner.scan('TOTE-8')).toMatchObject({ result: 'ok', message: 'order O-2: 1 bag packed already; scan the other 2 units into bag 2' });
    expect(await second.packScanner.scan(milk)).toMatchObject({ result: 'ok' });
    expect(await second.packScanner.scan(yog)).toMatchObject({ result: 'ok', message: 'put bag 2 on the scale: expected 1.23 +/- 0.05 kg' });
    expect(await weigh(second, 1235)).toMatch(/^bag 2 1.24 kg ok: label printed \(SSCC \d{18}\), stick it on; order O-2 is packed in 2 bags: put them all on dispatch$/);
    const bag2 = await labelSscc(second);

    // Dispatch: each bag by its own label.
    expect(await second.dispatchScanner.scan('BAG-O-2')).toMatchObject({ result: 'error', message: "order O-2 is packed in 2 bags: scan each bag's own label" });
    expect(await second.dispatchScanner.scan(`]C100${bag2}`)).toMatchObject({ result: 'ok', message: 'order O-2: put bag 2 of 2 on the belt (or scan it again)' });
    second.dispatchScanner.mark();
    await second.eye.send({ kind: 'sensor', state: 'blocked' });
    expect((await second.dispatchScanner.nextFeedback()).message).toBe('order O-2: bag 2 of 2 gone; 1 bag of it still to go');
    await second.eye.send({ kind: 'sensor', state: 'clear' });
    expect(await second.dispatchScanner.scan(`]C100${bag1}`)).toMatchObject({ result: 'ok', message: 'order O-2: put bag 1 of 2 on the belt (or scan it again)' });
    second.dispatchScanner.mark();
    await second.eye.send({ kind: 'sensor', state: 'blocked' });
    expect((await second.dispatchScanner.nextFeedback()).message).toBe('order O-2 dispatched');

    const log = second.gateway.log;
    const bagEvents = log.query({ orderId: 'O-2', limit: 1000 }).filter((e) => /^(bag|order|label)\./.test(e.type) && e.type !== 'order.released');
    expect(bagEvents.map((e) => [e.type, e.data])).toEqual([
      ['order.picked', { orderId: 'O-2', tote: '8', station: 'pick-1' }],
      ['bag.packed', { orderId: 'O-2', bag: 1, sscc: bag1, items: [{ sku: 'MILK', qty: 1 }], weightGrams: 1080 }],
      ['label.printed', { orderId: 'O-2', sscc: bag1, printer: 'printer-pack', station: 'pack-1', bag: 1 }],
      ['order.packed', { orderId: 'O-2', bags: 2, weightGrams: 2315 }],
      ['label.printed', { orderId: 'O-2', sscc: bag2, printer: 'printer-pack', station: 'pack-1', bag: 2 }],
      ['bag.dispatched', { orderId: 'O-2', sscc: bag2 }],
      ['order.dispatched', { orderId: 'O-2', sscc: bag1 }],
    ]);
    expect(log.projections.rows('orders')[0]).toMatchObject({ order_id: 'O-2', status: 'dispatched' });
  });

  it('a station that trusts the pick: two bags weighed together, a label each, dispatched bag by bag; cancelled after one left, the units still here are counted back', async () => {
    const logs = captureLogs();
    const trusting = {
      ...floorConfig,
      devices: [...floorConfig.devices, dev('scanner-recv', 'scanner')],
      stations: [...floorConfig.stations.map((s) => (s.id === 'pack-1' ? { ...s, trustPick: true } : s)), { id: 'recv-1', kind: 'receiving', devices: ['scanner-recv'] }],
    };
    const gateway = await gw.start(trusting, { logger: logs.logger });
    const device = async (id: string) => FloorDevice.attach(await gw.connect(gateway.broker!.url, { username: id, password: `${id}-secret` }), id);
    const [pickScanner, packScanner, scale, printer, dispatchScanner, eye] = await Promise.all(['scanner-pick', 'scanner-pack', 'scale-pack', 'printer-pack', 'scanner-dispatch', 'eye-dispatch'].map(device));
    await seedStore(gateway);
    await gateway.log.append({ type: 'order.released', data: { orderId: 'O-3', lines: [{ line: 1, sku: 'MILK', qty: 2 }, { line: 2, sku: 'YOG', qty: 1 }] } });
    await waitFor('the order at the pick station', () => (gateway.stations.stationState('pick-1') as { order?: unknown }).order);
    for (const code of ['TOTE-9', `]E0${gtins.milk.slice(1)}`, `]E0${gtins.milk.slice(1)}`, `]E0${gtins.yog.slice(1)}`]) expect(await pickScanner!.scan(code)).toMatchObject({ result: 'ok' });
    await waitFor('order picked', () => gateway.log.query({ type: 'order.picked' }).length === 1);

    // 2 x 1030 + 160 + 2 x 40 g packaging = 2300 g, tolerance max(50, 3 % = 69) g.
    expect(await packScanner!.scan('TOTE-9')).toMatchObject({ result: 'ok', message: 'put the bag on the scale: expected 2.26 +/- 0.07 kg (more than one bag: scan CMD-NEXTBAG once per extra bag, then weigh them together)' });
    expect(await packScanner!.scan('CMD-NEXTBAG')).toMatchObject({ result: 'ok', message: 'order O-3 in 2 bags: put all 2 on the scale together: expected 2.30 +/- 0.07 kg' });
    packScanner!.mark();
    await scale!.send({ kind: 'weight', grams: 2310, stable: true });
    const passed = (await packScanner!.nextFeedback()).message;
    expect(passed).toMatch(/^2 bags 2.31 kg ok: labels printed \(SSCC \d{18}, \d{18}\), stick one on each bag; order O-3: put all 2 bags on dispatch$/);
    await printer!.expectCommand('the second label', (c) => c.kind === 'print' && (c as { document: string }).document.includes('bag 2 of 2'));
    const documents = printer!.commands.filter((c) => c.kind === 'print').map((c) => (c as { document: string }).document);
    // The store's label template (templates/labels/bag.zpl): the bag's number of how many, and the order's units.
    expect(documents.map((d) => /order O-3 {2}(bag \d of 2) {2}3 items/.exec(d)?.[1])).toEqual(['bag 1 of 2', 'bag 2 of 2']);
    const [bag1, bag2] = documents.map((d) => /\(00\) (\d{18})/.exec(d)![1]!);

    // Bag 1 leaves; then the OMS cancels the order: bag 2 is kept back.
    expect(await dispatchScanner!.scan(`]C100${bag1}`)).toMatchObject({ result: 'ok', message: 'order O-3: put bag 1 of 2 on the belt (or scan it again)' });
    dispatchScanner!.mark();
    await eye!.send({ kind: 'sensor', state: 'blocked' });
    expect((await dispatchScanner!.nextFeedback()).message).toBe('order O-3: bag 1 of 2 gone; 1 bag of it still to go');
    await eye!.send({ kind: 'sensor', state: 'clear' });
    await gateway.log.append({ type: 'order.cancelled', data: { orderId: 'O-3', reason: 'customer' } });
    expect((await dispatchScanner!.scan(`]C100${bag2}`)).result).toBe('error');

    // Nobody scanned what bag 1 held: each line gets a return task whose units are counted, and the log says so.
    await waitFor('the return tasks', () => gateway.log.query({ type: 'task.created' }).filter((e) => (e.data as { kind: string }).kind === 'putaway').length === 2);
    const returns = gateway.log.query({ type: 'task.created' }).map((e) => e.data).filter((d) => (d as { kind: string }).kind === 'putaway');
    expect(returns).toEqual([
      { taskId: 'return-O-3-1', kind: 'putaway', sku: 'MILK', bin: 'A-01', reason: 'order cancelled', orderId: 'O-3', countUnits: true },
      { taskId: 'return-O-3-2', kind: 'putaway', sku: 'YOG', bin: 'A-02', reason: 'order cancelled', orderId: 'O-3', countUnits: true },
    ]);
    const warning = await waitFor('the warning', () => logs.lines.find((l) => l.level === 40 && l.orderId === 'O-3'));
    expect(warning.msg).toBe(
      `order O-3 was cancelled after 1 of its bags left (SSCC ${bag1}): what they held was never scanned (weighed together at a station that trusts the pick), so the return tasks ask the worker to scan each unit that is here, up to every unit picked, and put back those; tell the courier or the OMS`,
    );
    // Bag 2 held one milk and the yoghurt: the worker scans what is here, and only that goes back.
    const receiver = await device('scanner-recv');
    const milkAt = () => gateway.log.projections.rows('stock').find((r) => r.sku === 'MILK' && r.bin === 'A-01')!.qty as number;
    const milkBefore = milkAt();
    expect(await receiver.scan('TOTE-RET-1')).toMatchObject({ result: 'ok', message: 'returns from tote RET-1: 3 units of cancelled orders to put back; scan an item' });
    expect(await receiver.scan(`]E0${gtins.milk.slice(1)}`)).toMatchObject({ result: 'ok', message: '1 of up to 2 x Whole Milk 1L (order O-3): scan each unit you have, then bin A-01 (the rest left with a bag)' });
    expect(await receiver.scan('BIN-A-01')).toMatchObject({ result: 'ok', message: '1 x Whole Milk 1L back in A-01: 1 unit left to put back' });
    expect(await receiver.scan(`]E0${gtins.yog.slice(1)}`)).toMatchObject({ result: 'ok' });
    expect(await receiver.scan('BIN-A-02')).toMatchObject({ result: 'ok', message: '1 x Yoghurt 150g back in A-02: all returns done' });
    expect(milkAt()).toBe(milkBefore + 1);
    expect(gateway.log.query({ type: 'stock.returned' }).map((e) => [(e.data as { sku: string }).sku, (e.data as { qty: number }).qty])).toEqual([['MILK', 1], ['YOG', 1]]);
    const bagEvents = gateway.log.query({ orderId: 'O-3', limit: 1000 }).filter((e) => /^(bag|order|label)\./.test(e.type) && e.type !== 'order.released');
    expect(bagEvents.map((e) => [e.type, e.data])).toEqual([
      ['order.picked', { orderId: 'O-3', tote: '9', station: 'pick-1' }],
      ['order.packed', { orderId: 'O-3', bags: 2, weightGrams: 2310 }],
      ['label.printed', { orderId: 'O-3', sscc: bag1, printer: 'printer-pack', station: 'pack-1', bag: 1 }],
      ['label.printed', { orderId: 'O-3', sscc: bag2, printer: 'printer-pack', station: 'pack-1', bag: 2 }],
      ['bag.dispatched', { orderId: 'O-3', sscc: bag1 }],
      ['order.cancelled', { orderId: 'O-3', reason: 'customer' }],
    ]);
  });
});
