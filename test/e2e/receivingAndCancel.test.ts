/**
 * Receiving with putaway, and an order cancelled by the OMS mid-pick, over the real broker.
 */
import { describe, expect, it } from 'vitest';
import { FloorDevice } from '../helpers/floorDevice.ts';
import { captureLogs, useTestGateway, waitFor } from '../helpers/testGateway.ts';
import { dev, floorConfig, gtins, seedStore, storeDay } from '../helpers/floorStore.ts';

const gw = useTestGateway();
const config = {
  ...floorConfig,
  devices: [...floorConfig.devices, dev('scanner-recv', 'scanner')],
  stations: [...floorConfig.stations, { id: 'recv-1', kind: 'receiving', devices: ['scanner-recv'] }],
  layout: { bins: [...floorConfig.layout.bins, { id: 'R-01', zone: 'R' }] },
};

describe('receiving and cancellation end to end', () => {
  it('receives a case into the dock, lights the pick face, and a bin scan puts it away', async () => {
    const gateway = await gw.start(config);
    const connect = async (id: string) => FloorDevice.attach(await gw.connect(gateway.broker!.url, { username: id, password: `${id}-secret` }), id);
    const [scanner, lights] = await Promise.all([connect('scanner-recv'), connect('lights-pick')]);
    await seedStore(gateway);
    const caseScan = `]C101${gtins.milk}17${storeDay(40).yymmdd}3006\u001d10L2`;

    lights.mark();
    expect(await scanner.scan(caseScan)).toEqual({ kind: 'feedback', result: 'ok', message: 'received 6 x Whole Milk 1L lot L2: put away to bin A-01' });
    await lights.expectCommand('A-01 blue', (c) => c.kind === 'light' && c.address === 1 && c.color === 'blue' && c.text === '6');
    expect(await scanner.scan('BIN-A-02')).toMatchObject({ result: 'error', message: 'wrong bin: scanned A-02, put Whole Milk 1L into A-01' });
    expect(await scanner.scan('BIN-A-01')).toMatchObject({ result: 'ok', message: '6 x Whole Milk 1L put away in A-01' });
    // An expired case is refused and never booked.
    expect((await scanner.scan(`]C101${gtins.milk}17${storeDay(-3).yymmdd}10OLD`)).message).toMatch(/^lot OLD expired on /);

    const stock = gateway.log.projections.rows('stock').filter((r) => r.qty !== 0).map((r) => `${r.sku}/${r.bin}/${r.lot}=${r.qty}`);
    expect(stock).toEqual(['MILK/A-01/L1=10', 'MILK/A-01/L2=6', 'YOG/A-02/Y1=5']);
    expect(gateway.log.query({ type: 'stock.' }).map((e) => e.type).slice(2)).toEqual(['stock.received', 'stock.putaway']);
  });

  it('an order cancelled mid-pick turns its lights off, tells the picker and creates a return putaway task', async () => {
    const gateway = await gw.start(config);
    const connect = async (id: string) => FloorDevice.attach(await gw.connect(gateway.broker!.url, { username: id, password: `${id}-secret` }), id);
    const [scanner, lights] = await Promise.all([connect('scanner-pick'), connect('lights-pick')]);
    await seedStore(gateway);
    await gateway.log.append({ type: 'order.released', data: { orderId: 'O-9', lines: [{ line: 1, sku: 'MILK', qty: 3 }] } });
    await lights.expectCommand('A-01 lit', (c) => c.kind === 'light' && c.address === 1 && c.text === '3');
    expect(await scanner.scan(`]E0${gtins.milk.slice(1)}`)).toMatchObject({ result: 'ok' });

    lights.mark();
    scanner.mark();
    await gateway.log.append({ type: 'order.cancelled', data: { orderId: 'O-9', reason: 'customer' } });
    expect((await scanner.nextFeedback()).message).toBe('order O-9 was cancelled: stop, put the 1 picked unit in the returns tote');
    await lights.expectCommand('A-01 off', (c) => c.kind === 'light' && c.address === 1 && c.color === 'off');
    await waitFor('return task', () => gateway.log.query({ type: 'task.created' }).length === 1);
    expect(gateway.log.query({ type: 'task.created' })[0]!.data).toEqual({ taskId: 'return-O-9-1', kind: 'putaway', sku: 'MILK', bin: 'A-01', reason: 'order cancelled', orderId: 'O-9' });

    // The station is free again: the next order lights up.
    await gateway.log.append({ type: 'order.released', data: { orderId: 'O-10', lines: [{ line: 1, sku: 'YOG', qty: 1 }] } });
    await lights.expectCommand('A-02 lit for the next order', (c) => c.kind === 'light' && c.address === 2 && c.text === '1');
  });

  it('an order the OMS cancelled before releasing it is not picked, and the log says why', async () => {
    const logs = captureLogs();
    const gateway = await gw.start(config, { logger: logs.logger });
    const lights = await FloorDevice.attach(await gw.connect(gateway.broker!.url, { username: 'lights-pick', password: 'lights-pick-secret' }), 'lights-pick');
    await seedStore(gateway);
    await gateway.log.append({ type: 'order.cancelled', data: { orderId: 'O-7', reason: 'customer' } });
    const before = lights.commands.length;
    await gateway.log.append({ type: 'order.released', data: { orderId: 'O-7', lines: [{ line: 1, sku: 'MILK', qty: 2 }] } });
    const line = await waitFor('the log line', () => logs.lines.find((l) => l.orderId === 'O-7'));
    expect(line).toMatchObject({ level: 30, component: 'stations', msg: 'order O-7 was released after the OMS had cancelled it; it stays cancelled and is not picked' });
    expect(gateway.log.projections.rows('orders')).toMatchObject([{ order_id: 'O-7', status: 'cancelled' }]);

    // The station stays free: the next order is the one it lights.
    lights.mark();
    await gateway.log.append({ type: 'order.released', data: { orderId: 'O-8', lines: [{ line: 1, sku: 'YOG', qty: 1 }] } });
    await lights.expectCommand('A-02 lit for O-8', (c) => c.kind === 'light' && c.address === 2 && c.text === '1');
    // The milk of O-7 (bin A-01) was never lit.
    expect(lights.commands.slice(before).filter((c) => c.kind === 'light' && c.address === 1 && c.color !== 'off')).toEqual([]);
  });

  it('an order cancelled after one of its bags left: only the units still here get a return task, and the log names the bag that left', async () => {
    const logs = captureLogs();
    const gateway = await gw.start(config, { logger: logs.logger });
    await seedStore(gateway);
    const [bag1, bag2] = ['373500530000000019', '373500530000000026'];
    await gateway.log.appendAll([
      { type: 'order.released', data: { orderId: 'O-5', lines: [{ line: 1, sku: 'MILK', qty: 3 }] } },
      { type: 'stock.picked', data: { sku: 'MILK', bin: 'A-01', lot: 'L1', qty: 3, orderId: 'O-5', line: 1 } },
      { type: 'order.picked', data: { orderId: 'O-5', tote: '5', station: 'pick-1' } },
      { type: 'bag.packed', data: { orderId: 'O-5', bag: 1, sscc: bag1, items: [{ sku: 'MILK', qty: 2 }], weightGrams: 2100 } },
      { type: 'label.printed', data: { orderId: 'O-5', sscc: bag1, printer: 'printer-pack', station: 'pack-1', bag: 1 } },
      { type: 'order.packed', data: { orderId: 'O-5', bags: 2, weightGrams: 3170 } },
      { type: 'label.printed', data: { orderId: 'O-5', sscc: bag2, printer: 'printer-pack', station: 'pack-1', bag: 2 } },
      { type: 'bag.dispatched', data: { orderId: 'O-5', sscc: bag1, courier: 'C7' } },
    ]);
    await gateway.log.append({ type: 'order.cancelled', data: { orderId: 'O-5', reason: 'customer' } });
    await waitFor('the return task', () => gateway.log.query({ type: 'task.created' }).length === 1);
    expect(gateway.log.query({ type: 'task.created' })[0]!.data).toEqual({ taskId: 'return-O-5-1', kind: 'putaway', sku: 'MILK', bin: 'A-01', reason: 'order cancelled', orderId: 'O-5', qty: 1 });
    const warning = await waitFor('the warning', () => logs.lines.find((l) => l.level === 40 && l.orderId === 'O-5'));
    expect(warning.msg).toBe(`order O-5 was cancelled after 1 of its bags left (SSCC ${bag1} with C7): their units are not put back; tell the courier or the OMS`);
    // The receiving station asks for the one unit still here.
    const receiver = await FloorDevice.attach(await gw.connect(gateway.broker!.url, { username: 'scanner-recv', password: 'scanner-recv-secret' }), 'scanner-recv');
    expect(await receiver.scan('TOTE-RET-1')).toMatchObject({ result: 'ok', message: 'returns from tote RET-1: 1 unit of cancelled orders to put back; scan an item' });
  });

  it('gives the free station the most urgent order first', async () => {
    const gateway = await gw.start(config);
    const connect = async (id: string) => FloorDevice.attach(await gw.connect(gateway.broker!.url, { username: id, password: `${id}-secret` }), id);
    const [scanner, lights] = await Promise.all([connect('scanner-pick'), connect('lights-pick')]);
    await seedStore(gateway);
    await gateway.log.append({ type: 'order.released', data: { orderId: 'O-1', lines: [{ line: 1, sku: 'MILK', qty: 1 }] } });
    await lights.expectCommand('O-1 lit', (c) => c.kind === 'light' && c.address === 1);
    // While O-1 is picked, a later-due and an urgent order arrive; the urgent one goes next.
    await gateway.log.appendAll([
      { type: 'order.released', data: { orderId: 'O-late', priority: 0, dueAt: '2099-01-01T10:00:00Z', lines: [{ line: 1, sku: 'MILK', qty: 2 }] } },
      { type: 'order.released', data: { orderId: 'O-urgent', priority: 5, lines: [{ line: 1, sku: 'YOG', qty: 1 }] } },
    ]);
    lights.mark();
    expect(await scanner.scan(`]E0${gtins.milk.slice(1)}`)).toMatchObject({ result: 'ok' });
    await lights.expectCommand('the urgent order lights A-02', (c) => c.kind === 'light' && c.address === 2 && c.color === 'green');
    expect(lights.commands.filter((c) => c.kind === 'light' && c.address === 1 && c.color === 'green' && c.text === '2')).toEqual([]);
  });

  it('a pick face below its minimum gets a replenishment task, worked at the receiving station; a short pick gets a count', async () => {
    const gateway = await gw.start(config);
    const connect = async (id: string) => FloorDevice.attach(await gw.connect(gateway.broker!.url, { username: id, password: `${id}-secret` }), id);
    const [picker, lights, receiver] = await Promise.all([connect('scanner-pick'), connect('lights-pick'), connect('scanner-recv')]);
    await seedStore(gateway);
    await gateway.log.append({ type: 'stock.received', data: { sku: 'MILK', bin: 'R-01', lot: 'L9', expiry: storeDay(60).iso, qty: 20 } });

    // Nine of the ten milks in A-01 (min 2): one scan, then confirm for the rest of the line.
    await gateway.log.append({ type: 'order.released', data: { orderId: 'O-20', lines: [{ line: 1, sku: 'MILK', qty: 9 }, { line: 2, sku: 'YOG', qty: 1 }] } });
    await lights.expectCommand('A-01 lit', (c) => c.kind === 'light' && c.address === 1 && c.text === '9');
    expect(await picker.scan(`]E0${gtins.milk.slice(1)}`)).toMatchObject({ result: 'ok' });
    picker.mark();
    await lights.send({ kind: 'button', button: 'confirm' });
    expect((await picker.nextFeedback()).message).toBe('ok: Whole Milk 1L, 9 of 9');
    // The yoghurt is not there: short, which schedules a count of A-02.
    picker.mark();
    await lights.send({ kind: 'button', button: 'short' });
    await picker.nextFeedback();
    await waitFor('replenishment task', () => gateway.log.query({ type: 'task.created' }).some((e) => (e.data as { kind: string }).kind === 'replenish'));

    expect(await receiver.scan('BIN-R-01')).toMatchObject({ result: 'ok', message: 'replenish Whole Milk 1L: take 19 from R-01 (lot L9) to A-01, then scan bin A-01' });
    expect(await receiver.scan('BIN-A-01')).toMatchObject({ result: 'ok', message: '19 x Whole Milk 1L moved from R-01 to A-01' });

    expect(await receiver.scan('BIN-A-02')).toMatchObject({ result: 'ok', message: 'count Yoghurt 150g in bin A-02: scan each unit, then CMD-CONFIRM' });
    for (let i = 0; i < 4; i++) await receiver.scan(`]E0${gtins.yog.slice(1)}`);
    expect(await receiver.scan('CMD-CONFIRM')).toMatchObject({ result: 'ok', message: 'bin A-02: counted 4 x Yoghurt 150g, expected 5 (-1)' });

    // The replenishment is created on the pick's commit, the count on the short: either may land first.
    const tasks = gateway.log.query({ type: 'task.' }).map((e) => `${e.type}:${(e.data as { kind: string }).kind}`);
    expect(tasks.sort()).toEqual(['task.completed:count', 'task.completed:replenish', 'task.created:count', 'task.created:replenish']);
    const stock = gateway.log.projections.rows('stock').filter((r) => r.qty !== 0).map((r) => `${r.sku}/${r.bin}/${r.lot}=${r.qty}`);
    expect(stock).toEqual(['MILK/A-01/L1=1', 'MILK/A-01/L9=19', 'MILK/R-01/L9=1', 'YOG/A-02/Y1=4']);
  });

  it('a pick face emptied in one pick keeps its SKU: it gets a replenishment task, and the next case is put away there', async () => {
    const gateway = await gw.start(config);
    const connect = async (id: string) => FloorDevice.attach(await gw.connect(gateway.broker!.url, { username: id, password: `${id}-secret` }), id);
    const [picker, lights, receiver] = await Promise.all([connect('scanner-pick'), connect('lights-pick'), connect('scanner-recv')]);
    await seedStore(gateway);
    await gateway.log.append({ type: 'stock.received', data: { sku: 'MILK', bin: 'R-01', lot: 'L9', expiry: storeDay(60).iso, qty: 4 } });

    // All ten milks of A-01 in one line: the face is empty, and min 2 is long passed.
    await gateway.log.append({ type: 'order.released', data: { orderId: 'O-30', lines: [{ line: 1, sku: 'MILK', qty: 10 }] } });
    await lights.expectCommand('A-01 lit', (c) => c.kind === 'light' && c.address === 1 && c.text === '10');
    expect(await picker.scan(`]E0${gtins.milk.slice(1)}`)).toMatchObject({ result: 'ok' });
    picker.mark();
    await lights.send({ kind: 'button', button: 'confirm' });
    expect((await picker.nextFeedback()).message).toBe('ok: Whole Milk 1L, 10 of 10');
    await waitFor('replenishment task for the empty face', () => gateway.log.query({ type: 'task.created' }).find((e) => (e.data as { kind: string }).kind === 'replenish'));
    expect(gateway.log.query({ type: 'task.created' }).map((e) => e.data)).toEqual([expect.objectContaining({ kind: 'replenish', sku: 'MILK', bin: 'A-01' })]);
    expect(await receiver.scan('BIN-R-01')).toMatchObject({ result: 'ok', message: 'replenish Whole Milk 1L: take 4 from R-01 (lot L9) to A-01, then scan bin A-01' });
    expect(await receiver.scan('BIN-A-01')).toMatchObject({ result: 'ok', message: '4 x Whole Milk 1L moved from R-01 to A-01' });

    // Pick those four too: the face is empty again, with nothing in reserve. A case that arrives goes to the face.
    await gateway.log.append({ type: 'order.released', data: { orderId: 'O-31', lines: [{ line: 1, sku: 'MILK', qty: 4 }] } });
    await lights.expectCommand('A-01 lit for O-31', (c) => c.kind === 'light' && c.address === 1 && c.text === '4');
    expect(await picker.scan(`]E0${gtins.milk.slice(1)}`)).toMatchObject({ result: 'ok' });
    picker.mark();
    await lights.send({ kind: 'button', button: 'confirm' });
    expect((await picker.nextFeedback()).message).toBe('ok: Whole Milk 1L, 4 of 4');
    await waitFor('O-31 picked', () => gateway.log.query({ type: 'order.picked' }).length === 2);
    expect(await receiver.scan(`]C101${gtins.milk}17${storeDay(40).yymmdd}3006\u001d10L3`)).toMatchObject({ result: 'ok', message: 'received 6 x Whole Milk 1L lot L3: put away to bin A-01' });
    expect(await receiver.scan('BIN-A-01')).toMatchObject({ result: 'ok', message: '6 x Whole Milk 1L put away in A-01' });
  });

  it('a pick face slotted for a SKU in the config takes its first case, though it never held stock', async () => {
    const slotted = { ...config, layout: { bins: [...config.layout.bins, { id: 'A-03', zone: 'A', pickFace: { min: 1, max: 10, sku: 'OAT' } }] } };
    const gateway = await gw.start(slotted);
    const receiver = await FloorDevice.attach(await gw.connect(gateway.broker!.url, { username: 'scanner-recv', password: 'scanner-recv-secret' }), 'scanner-recv');
    await seedStore(gateway);
    expect(await receiver.scan(`]C101${gtins.oat}17${storeDay(40).yymmdd}3004\u001d10OA1`)).toMatchObject({ result: 'ok', message: 'received 4 x Oat Milk 1L lot OA1: put away to bin A-03' });
    expect(await receiver.scan('BIN-A-03')).toMatchObject({ result: 'ok', message: '4 x Oat Milk 1L put away in A-03' });
  });
});
