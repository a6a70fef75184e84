/**
 * Back of house over the real broker, with cloud sync to the simulated OMS: an ASN from the OMS
 * received against (a case not on it included) and closed with a discrepancy the OMS gets; an
 * order cancelled mid-pick, and one cancelled at the pack station, and their units put back; a scheduled count created and worked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Gateway } from '../../gateway/core/gateway.ts';
import { startCloudOms, type CloudOms } from '../../simulators/cloud-oms/cloudOms.ts';
import { FloorDevice } from '../helpers/floorDevice.ts';
import { dev, floorConfig, gtins, seedStore, storeDay } from '../helpers/floorStore.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { useTestGateway, waitFor } from '../helpers/testGateway.ts';

const gw = useTestGateway();
const tempDir = useTempDir();
const omses: CloudOms[] = [];
afterEach(async () => {
  for (const o of omses.splice(0)) await o.stop();
});

const store = 'e2e-store';
const config = (omsUrl: string, extra: Record<string, unknown> = {}) => ({
  ...floorConfig,
  devices: [...floorConfig.devices, dev('scanner-recv', 'scanner')],
  stations: [...floorConfig.stations, { id: 'recv-1', kind: 'receiving', devices: ['scanner-recv'] }],
  layout: { bins: [...floorConfig.layout.bins, { id: 'R-01', zone: 'R' }] },
  http: { host: '127.0.0.1', port: 0, tokens: [{ name: 'vic', role: 'viewer', token: 'viewer-token-0123456789' }] },
  cloud: { url: omsUrl, token: 'oms-token', intervals: { pushMs: 50, pullMs: 50, snapshotMs: 3_600_000 }, batchMaxAgeMs: 10, backoff: { baseMs: 20, maxMs: 200 }, requestTimeoutMs: 5000 },
  ...extra,
});

async function startStore(extra: Record<string, unknown> = {}): Promise<{ gateway: Gateway; oms: CloudOms; connect: (id: string) => Promise<FloorDevice> }> {
  const oms = await startCloudOms({ port: 0, catalogSize: 10, seedCatalog: false, tokens: { [store]: 'oms-token' } });
  omses.push(oms);
  const gateway = await gw.start(config(oms.url, extra));
  const connect = async (id: string) => FloorDevice.attach(await gw.connect(gateway.broker!.url, { username: id, password: `${id}-secret` }), id);
  return { gateway, oms, connect };
}

async function sim(oms: CloudOms, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${oms.url}/_sim/stores/${store}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

const stockRows = (gateway: Gateway) =>
  gateway.log.projections
    .rows('stock')
    .filter((r) => r.qty !== 0)
    .map((r) => `${r.sku}/${r.bin}/${r.lot}=${r.qty}`);

describe('back of house end to end', () => {
  it('an ASN from the OMS is received against, a case not on it is refused then accepted by a supervisor, and the close reaches the OMS with the discrepancy', async () => {
    const { gateway, oms, connect } = await startStore();
    const [receiver, lights] = await Promise.all([connect('scanner-recv'), connect('lights-pick')]);
    await seedStore(gateway);
    await sim(oms, '/asns', { asn: 'DC-4711', supplier: 'Central DC', lines: [{ sku: 'MILK', qty: 12 }, { sku: 'YOG', qty: 6 }] });
    await waitFor('the ASN from the OMS feed', () => gateway.log.query({ type: 'asn.received' }).length === 1);

    expect(await receiver.scan('ASN-DC-4711')).toEqual({ kind: 'feedback', result: 'ok', message: 'ASN DC-4711 from Central DC: 2 lines, 0 of 18 units received; scan the cases, CMD-CONFIRM closes it' });
    lights.mark();
    expect((await receiver.scan(`]C101${gtins.milk}17${storeDay(40).yymmdd}3006\u001d10L2`)).message).toBe('received 6 x Whole Milk 1L lot L2 (ASN DC-4711: 6 of 12): put away to bin A-01');
    await lights.expectCommand('A-01 blue', (c) => c.kind === 'light' && c.address === 1 && c.color === 'blue' && c.text === '6');
    expect((await receiver.scan('BIN-A-01')).message).toBe('6 x Whole Milk 1L put away in A-01');

    // Oat milk is not on the ASN: refused, and nothing is booked, until a supervisor accepts it.
    const oatCase = `]C101${gtins.oat}3004`;
    expect(await receiver.scan(oatCase)).toMatchObject({ result: 'error', message: 'Oat Milk 1L is not on ASN DC-4711: set the case aside, or a supervisor scans a badge to receive it as an over-receipt' });
    expect(await receiver.scan('EMP-42')).toMatchObject({ result: 'error', message: 'badge 42 may not accept a case that is not on the ASN; ask a supervisor' });
    expect(await receiver.scan(oatCase)).toMatchObject({ result: 'error' });
    expect((await receiver.scan('EMP-SUP-1')).message).toBe('received 4 x Oat Milk 1L (ASN DC-4711: not on it, accepted by SUP-1): put away to bin R-01');
    expect((await receiver.scan('BIN-R-01')).message).toBe('4 x Oat Milk 1L put away in R-01');

    const progress = await fetch(`${gateway.http.url}/api/v1/asns`, { headers: { authorization: 'Bearer viewer-token-0123456789' } });
    expect(((await progress.json()) as { rows: Array<{ lines: unknown[] }> }).rows[0]!.lines).toEqual([
      { sku: 'MILK', name: 'Whole Milk 1L', expected: 12, received: 6 },
      { sku: 'YOG', name: 'Yoghurt 150g', expected: 6, received: 0 },
      { sku: 'OAT', name: 'Oat Milk 1L', expected: 0, received: 4 },
    ]);

    expect((await receiver.scan('CMD-CONFIRM')).message).toBe('ASN DC-4711 closed with discrepancies: 2 lines short, 1 line over or not on the ASN; the OMS is told');
    // Blind receiving again: the next milk case belongs to no open ASN.
    expect((await receiver.scan(`]C101${gtins.milk}3002`)).message).toBe('received 2 x Whole Milk 1L: put away to bin A-01');

    const closed = await waitFor('asn.closed at the OMS', () => oms.db.heldEvents(store).find((e) => e.type === 'asn.closed'));
    expect(closed.status).toBe('accepted');
    expect((closed.data as { discrepancies: unknown }).discrepancies).toEqual([
      { sku: 'MILK', expected: 12, received: 6, delta: -6, kind: 'short' },
      { sku: 'YOG', expected: 6, received: 0, delta: -6, kind: 'short' },
      { sku: 'OAT', expected: 0, received: 4, delta: 4, kind: 'notOnAsn' },
    ]);
    const receipts = oms.db.heldEvents(store).filter((e) => e.type === 'stock.received' && (e.data as { asn?: string }).asn === 'DC-4711');
    expect(receipts.map((e) => e.data)).toEqual([
      { sku: 'MILK', bin: 'DOCK', lot: 'L2', expiry: storeDay(40).iso, qty: 6, asn: 'DC-4711' },
      { sku: 'OAT', bin: 'DOCK', qty: 4, asn: 'DC-4711' },
    ]);
    const overridden = gateway.log.query({ type: 'verification.overridden' });
    expect(overridden.map((e) => [e.source.actor, (e.data as { reason: string }).reason])).toEqual([['SUP-1', 'asn.notOnAsn']]);
  });

  it('an order cancelled by the OMS mid-pick: its units go back to their bin, and the stock equals the shelf at the gateway and at the OMS', async () => {
    const { gateway, oms, connect } = await startStore();
    const [picker, lights, receiver] = await Promise.all([connect('scanner-pick'), connect('lights-pick'), connect('scanner-recv')]);
    await seedStore(gateway);
    const shelf = new Map([['MILK/A-01/L1', 10], ['YOG/A-02/Y1', 5]]);

    oms.db.addFeedItem(store, 'order.released', { orderId: 'O-9', lines: [{ line: 1, sku: 'MILK', qty: 3 }, { line: 2, sku: 'YOG', qty: 1 }] }, 'O-9-released');
    await lights.expectCommand('A-01 lit for O-9', (c) => c.kind === 'light' && c.address === 1 && c.text === '3');
    for (let i = 0; i < 2; i++) expect(await picker.scan(`]E0${gtins.milk.slice(1)}`)).toMatchObject({ result: 'ok' });
    shelf.set('MILK/A-01/L1', 8);
    expect(stockRows(gateway)).toEqual([...shelf].map(([k, v]) => `${k}=${v}`));

    picker.mark();
    await sim(oms, '/orders/O-9/cancel');
    expect((await picker.nextFeedback()).message).toBe('order O-9 was cancelled: stop, put the 2 picked units in the returns tote');
    await waitFor('the return putaway task', () => gateway.log.query({ type: 'task.created' }).length === 1);

    expect((await receiver.scan('TOTE-RET-1')).message).toBe('returns from tote RET-1: 2 units of cancelled orders to put back; scan an item');
    lights.mark();
    expect((await receiver.scan(`]E0${gtins.milk.slice(1)}`)).message).toBe('put 2 x Whole Milk 1L (order O-9) back in bin A-01, then scan bin A-01');
    await lights.expectCommand('A-01 blue with the units to put back', (c) => c.kind === 'light' && c.address === 1 && c.color === 'blue' && c.text === '2');
    expect(await receiver.scan('BIN-A-02')).toMatchObject({ result: 'error', message: 'wrong bin: scanned A-02, put Whole Milk 1L back into A-01' });
    expect((await receiver.scan('BIN-A-01')).message).toBe('2 x Whole Milk 1L back in A-01: all returns done');
    await lights.expectCommand('A-01 off', (c) => c.kind === 'light' && c.address === 1 && c.color === 'off');
    shelf.set('MILK/A-01/L1', 10);

    expect(stockRows(gateway)).toEqual([...shelf].map(([k, v]) => `${k}=${v}`));
    expect(gateway.log.query({ type: 'task.completed' }).map((e) => e.data)).toEqual([{ taskId: 'return-O-9-1', kind: 'putaway' }]);
    // The OMS applies stock.returned to its own copy: a snapshot finds no drift.
    await waitFor('the OMS holds every event', () => oms.db.maxSeq(store) === gateway.log.lastSeq());
    const snapshot = await gateway.sync!.snapshotter.takeSnapshot('test');
    expect(snapshot.drift).toEqual([]);
    expect(oms.db.heldEvents(store).filter((e) => e.type === 'stock.returned').map((e) => e.data)).toEqual([{ sku: 'MILK', bin: 'A-01', lot: 'L1', qty: 2, orderId: 'O-9', line: 1 }]);
  });

  it('an order cancelled at the pack station: the packer is told, each line gets a return task, its units go back and the OMS agrees', async () => {
    const { gateway, oms, connect } = await startStore();
    const [picker, packer, receiver, dispatcher] = await Promise.all([connect('scanner-pick'), connect('scanner-pack'), connect('scanner-recv'), connect('scanner-dispatch')]);
    await seedStore(gateway);
    const shelf = new Map([['MILK/A-01/L1', 10], ['YOG/A-02/Y1', 5]]);

    oms.db.addFeedItem(store, 'order.released', { orderId: 'O-9', lines: [{ line: 1, sku: 'MILK', qty: 2 }, { line: 2, sku: 'YOG', qty: 1 }] }, 'O-9-released');
    await waitFor('O-9 at the pick station', () => (gateway.stations.stationState('pick-1') as { order?: { orderId: string } }).order?.orderId === 'O-9');
    expect(await picker.scan('TOTE-4')).toMatchObject({ result: 'ok' });
    for (let i = 0; i < 2; i++) expect(await picker.scan(`]E0${gtins.milk.slice(1)}`)).toMatchObject({ result: 'ok' });
    expect(await picker.scan(`]E0${gtins.yog.slice(1)}`)).toMatchObject({ result: 'ok' });
    await waitFor('O-9 picked', () => gateway.log.query({ type: 'order.picked' }).length === 1);
    shelf.set('MILK/A-01/L1', 8).set('YOG/A-02/Y1', 4);
    expect(await packer.scan('TOTE-4')).toMatchObject({ result: 'ok', message: 'order O-9: scan 3 units into the bag' });
    expect(await packer.scan(`]E0${gtins.milk.slice(1)}`)).toMatchObject({ result: 'ok' });

    packer.mark();
    await sim(oms, '/orders/O-9/cancel');
    expect(await packer.nextFeedback()).toMatchObject({ result: 'error', message: 'order O-9 was cancelled: stop, put its 3 units in the returns tote' });
    await waitFor('a return task per line', () => gateway.log.query({ type: 'task.created' }).length === 2);
    expect(gateway.log.query({ type: 'task.created' }).map((e) => e.data)).toEqual([
      { taskId: 'return-O-9-1', kind: 'putaway', sku: 'MILK', bin: 'A-01', reason: 'order cancelled', orderId: 'O-9' },
      { taskId: 'return-O-9-2', kind: 'putaway', sku: 'YOG', bin: 'A-02', reason: 'order cancelled', orderId: 'O-9' },
    ]);
    // The tote cannot be packed or shipped any more.
    expect(await packer.scan('TOTE-4')).toMatchObject({ result: 'error', message: 'order O-9 was cancelled: do not pack it; put its units in the returns tote' });
    expect(await dispatcher.scan('O-9')).toMatchObject({ result: 'error', message: 'order O-9 was cancelled: do not ship it; put its units in the returns tote' });

    expect((await receiver.scan('TOTE-RET-1')).message).toBe('returns from tote RET-1: 3 units of cancelled orders to put back; scan an item');
    expect((await receiver.scan(`]E0${gtins.yog.slice(1)}`)).message).toBe('put 1 x Yoghurt 150g (order O-9) back in bin A-02, then scan bin A-02');
    expect((await receiver.scan('BIN-A-02')).message).toBe('1 x Yoghurt 150g back in A-02: 2 units left to put back');
    expect((await receiver.scan(`]E0${gtins.milk.slice(1)}`)).message).toBe('put 2 x Whole Milk 1L (order O-9) back in bin A-01, then scan bin A-01');
    expect((await receiver.scan('BIN-A-01')).message).toBe('2 x Whole Milk 1L back in A-01: all returns done');
    shelf.set('MILK/A-01/L1', 10).set('YOG/A-02/Y1', 5);

    expect(stockRows(gateway)).toEqual([...shelf].map(([k, v]) => `${k}=${v}`));
    await waitFor('the OMS holds every event', () => oms.db.maxSeq(store) === gateway.log.lastSeq());
    const snapshot = await gateway.sync!.snapshotter.takeSnapshot('test');
    expect(snapshot.drift).toEqual([]);
  });

  it('a scheduled cycle count is created for the bin counted longest ago, worked at the receiving station, and not repeated after a restart', async () => {
    const dataDir = tempDir();
    const cycleCount = { workflows: { ...floorConfig.workflows, cycleCount: { every: '24h', binsPerRun: 1 } }, dataDir };
    const first = await startStore(cycleCount);
    const receiver = await first.connect('scanner-recv');
    await seedStore(first.gateway);
    const task = await waitFor('the cycle count task', () => first.gateway.log.query({ type: 'task.created' })[0]);
    expect(task.data).toMatchObject({ kind: 'count', sku: 'MILK', bin: 'A-01', reason: 'cycle count' });
    expect(task.source).toMatchObject({ origin: 'cycle-count' });

    expect((await receiver.scan('BIN-A-01')).message).toBe('count Whole Milk 1L in bin A-01: scan each unit, then CMD-CONFIRM');
    for (let i = 0; i < 9; i++) await receiver.scan(`]E0${gtins.milk.slice(1)}`);
    expect((await receiver.scan('CMD-CONFIRM')).message).toBe('bin A-01: counted 9 x Whole Milk 1L, expected 10 (-1)');
    expect(first.gateway.log.query({ type: 'stock.counted' }).map((e) => e.data)).toEqual([{ sku: 'MILK', bin: 'A-01', lot: 'L1', counted: 9, expected: 10, delta: -1 }]);
    expect(first.gateway.log.query({ type: 'task.completed' }).map((e) => e.data)).toEqual([{ taskId: (task.data as { taskId: string }).taskId, kind: 'count' }]);
    await first.gateway.stop();

    // Restarted within the period: the run is remembered, no second count is created.
    const second = await gw.start(config(first.oms.url, cycleCount));
    await second.log.append({ type: 'stock.received', data: { sku: 'YOG', bin: 'A-02', lot: 'Y2', qty: 1 } });
    await new Promise((r) => setTimeout(r, 300));
    expect(second.log.query({ type: 'task.created' })).toHaveLength(1);
  });
});
