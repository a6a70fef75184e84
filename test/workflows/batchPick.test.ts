import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../gateway/messages/messages.ts';
import { applyBatchPick, initialBatchPickState, type BatchPickInput, type BatchPickState } from '../../gateway/workflows/batchPickWorkflow.ts';
import type { BatchOrder, BatchPlan } from '../../gateway/workflows/batchPlanner.ts';
import type { PickLine } from '../../gateway/workflows/pickWorkflow.ts';
import type { Effect, StationScreen } from '../../gateway/workflows/types.ts';
import { catalog, cheeseLabel, events, gtin, itemScan, label, runWorkflow, said, today } from './fixtures.ts';

const ctx = { catalog, today };
const A01 = { bin: 'A-01', light: { device: 'lights', address: 1 } };
const A02 = { bin: 'A-02', light: { device: 'lights', address: 2 } };
const pickLine = (over: Partial<PickLine>): PickLine => ({ line: 1, sku: 'MILK', name: 'Whole Milk 1L', qty: 1, picked: 0, short: 0, substitutes: [], ...over });
const milk = (over: Partial<PickLine> = {}) => pickLine({ sku: 'MILK', name: 'Whole Milk 1L', lot: 'L1', lotExpiry: '2026-12-20', ...A02, ...over });
const yog = (over: Partial<PickLine> = {}) => pickLine({ sku: 'YOG', name: 'Yoghurt 150g', lot: 'Y1', lotExpiry: '2026-12-20', ...A01, ...over });
const order = (orderId: string, slot: number, lines: PickLine[], over: Partial<BatchOrder> = {}): BatchOrder => ({ orderId, slot, status: 'open', lines, ...over });

/**
 * The batch of the table: walk A-01 (yoghurt: 1 for O-1, 2 for O-3), A-02 (milk: 2 for O-1,
 * 1 for O-2), then the oat milk of O-3 that has no stock (no bin).
 */
const batch: BatchPlan = {
  batchId: 'B-1',
  orders: [
    order('O-1', 1, [milk({ line: 1, qty: 2 }), yog({ line: 2, qty: 1 })]),
    order('O-2', 2, [milk({ line: 1, qty: 1 })]),
    order('O-3', 3, [yog({ line: 1, qty: 2 }), pickLine({ line: 2, sku: 'OAT', name: 'Oat Milk 1L' })]),
  ],
};
const slots = [1, 2, 3, 4].map((slot) => ({ slot, light: { device: 'wall', address: slot } }));

function run(inputs: BatchPickInput[], opts: { requireToteScan?: boolean; requireBinScan?: boolean } = {}): { state: BatchPickState; effects: Effect[][] } {
  const state = initialBatchPickState({ station: 'pick-w', scanner: 'scanner-w', requireBinScan: opts.requireBinScan ?? false, requireToteScan: opts.requireToteScan ?? false, slots });
  return runWorkflow(applyBatchPick, state, ctx, inputs);
}
const scan = (barcode: ReturnType<typeof label>): BatchPickInput => ({ kind: 'scan', device: 'scanner-w', barcode });
const assign = (plan: BatchPlan = batch): BatchPickInput => ({ kind: 'assign', batch: plan });
const tote = (id: string) => scan(label(`TOTE-${id}`));
const yogScan = () => scan(itemScan(gtin.yog));
const milkScan = () => scan(itemScan(gtin.milk));
const slotButton = (slot: number, button: 'confirm' | 'short' | 'plus' = 'confirm'): BatchPickInput => ({ kind: 'button', device: 'wall', button, address: slot });
const binButton = (button: 'confirm' | 'short' | 'plus'): BatchPickInput => ({ kind: 'button', device: 'lights', button, address: 1 });
const lights = (effects: Effect[], device?: string) =>
  effects.flatMap((e) => (e.type === 'command' && e.command.kind === 'light' && (!device || e.device === device) ? [`${e.device}#${e.command.address} ${e.command.color}${e.command.blink ? ' blink' : ''}${e.command.text ? ` ${e.command.text}` : ''}`] : []));
const screenOf = (effects: Effect[]): StationScreen => (effects.filter((e) => e.type === 'screen').at(-1) as Extract<Effect, { type: 'screen' }>).screen;
const screenText = (effects: Effect[]) => renderMessage(screenOf(effects).message);
const types = (effects: Effect[]) => events(effects).map((e) => (e.type === 'verification.failed' ? `verification.failed:${(e.data as { reason: string }).reason}` : e.type));
const reason = (effects: Effect[]) => (events(effects).find((e) => e.type === 'verification.failed')?.data as { reason?: string } | undefined)?.reason;

/** Picks the whole of stop A-01 (three yoghurts, each put and confirmed): O-1 gets one, O-3 two. */
const walkA01: BatchPickInput[] = [yogScan(), slotButton(1), yogScan(), slotButton(3), yogScan(), slotButton(3)];

describe('batch pick: starting a batch', () => {
  it('records batch.started with each order\'s slot', () => {
    const { effects } = run([assign()]);
    expect(events(effects[0]!)).toEqual([
      { type: 'batch.started', data: { batchId: 'B-1', station: 'pick-w', orders: [{ orderId: 'O-1', slot: 1 }, { orderId: 'O-2', slot: 2 }, { orderId: 'O-3', slot: 3 }], recordsPuts: true }, source: { station: 'pick-w', device: 'scanner-w' } },
    ]);
  });

  it('lights every bin with the total for all orders of the batch, the first stop blinking', () => {
    const { effects } = run([assign()]);
    expect(lights(effects[0]!)).toEqual(['lights#1 green blink 3', 'lights#2 green 3']);
    expect(screenText(effects[0]!)).toBe('pick 3 x Yoghurt 150g from bin A-01 for 2 orders');
  });

  it('a resumed batch records no second batch.started', () => {
    const { effects } = run([assign({ ...batch, resumed: true })]);
    expect(events(effects[0]!)).toEqual([]);
  });

  it('a resumed batch lights only what is left', () => {
    const half = { ...batch, resumed: true, orders: [order('O-1', 1, [milk({ line: 1, qty: 2, picked: 1 }), yog({ line: 2, qty: 1, picked: 1 })])] };
    const { effects } = run([assign(half)]);
    expect(lights(effects[0]!)).toEqual(['lights#2 green blink 1']);
  });

  it('the screen shows every slot with its order, tote and lines, and the walk with totals', () => {
    const { effects } = run([assign()]);
    const screen = screenOf(effects[0]!);
    expect(screen).toMatchObject({ station: 'pick-w', kind: 'pick', phase: 'picking', batchId: 'B-1' });
    expect(screen.slots!.map((s) => [s.slot, s.orderId, s.status, s.lines.length])).toEqual([[1, 'O-1', 'open', 2], [2, 'O-2', 'open', 1], [3, 'O-3', 'open', 2], [4, undefined, 'empty', 0]]);
    expect(screen.lines!.map((l) => `${l.bin ?? '-'} ${l.sku} ${l.done}/${l.qty}`)).toEqual(['A-01 YOG 0/3', 'A-02 MILK 0/3', '- OAT 0/1']);
  });

  it('a scan with no batch tells the picker to wait and records nothing', () => {
    const { effects } = run([yogScan()]);
    expect(said(effects[0]!)).toEqual(['error: no order: waiting for the next one']);
    expect(events(effects[0]!)).toEqual([]);
  });
});

describe('batch pick: totes into slots (requireToteScan)', () => {
  it('asks for a tote for the first slot, its light yellow, and no bin lit yet', () => {
    const { effects } = run([assign()], { requireToteScan: true });
    expect(lights(effects[0]!)).toEqual(['wall#1 yellow blink TOTE']);
    expect(screenText(effects[0]!)).toBe('scan an empty tote for slot 1 (order O-1)');
    expect(screenOf(effects[0]!).phase).toBe('totes');
  });

  it('a tote scan records batch.toteAssigned and moves to the next slot', () => {
    const { effects, state } = run([assign(), tote('41')], { requireToteScan: true });
    expect(events(effects[1]!)).toEqual([{ type: 'batch.toteAssigned', data: { batchId: 'B-1', station: 'pick-w', orderId: 'O-1', slot: 1, tote: '41' }, source: { station: 'pick-w', device: 'scanner-w', orderId: 'O-1' } }]);
    expect(said(effects[1]!)).toEqual(['ok: tote 41 in slot 1 for order O-1']);
    expect(lights(effects[1]!)).toEqual(['wall#1 off', 'wall#2 yellow blink TOTE']);
    expect(state.batch!.orders[0]!.tote).toBe('41');
  });

  it('refuses a tote already in another slot', () => {
    const { effects, state } = run([assign(), tote('41'), tote('41')], { requireToteScan: true });
    expect(said(effects[2]!)).toEqual(['error: tote 41 is already in slot 1: scan an empty tote for slot 2']);
    expect(types(effects[2]!)).toEqual(['verification.failed:batch.toteInUse']);
    expect(state.batch!.orders[1]!.tote).toBeUndefined();
  });

  it('refuses an item before every slot has its tote', () => {
    const { effects } = run([assign(), tote('41'), yogScan()], { requireToteScan: true });
    expect(said(effects[2]!)).toEqual(['error: scan a tote for slot 2 first (order O-2)']);
    expect(types(effects[2]!)).toEqual(['verification.failed:batch.totesFirst']);
  });

  it('after the last tote, the bins light with their totals', () => {
    const { effects } = run([assign(), tote('41'), tote('42'), tote('43')], { requireToteScan: true });
    expect(lights(effects[3]!)).toEqual(['wall#3 off', 'lights#1 green blink 3', 'lights#2 green 3']);
    expect(screenText(effects[3]!)).toBe('pick 3 x Yoghurt 150g from bin A-01 for 2 orders');
  });

  it('a resumed batch asks only for the totes still missing', () => {
    const resumed: BatchPlan = { ...batch, resumed: true, orders: batch.orders.map((o) => (o.slot === 2 ? o : { ...o, tote: `4${o.slot}` })) };
    const { effects } = run([assign(resumed)], { requireToteScan: true });
    expect(screenText(effects[0]!)).toBe('scan an empty tote for slot 2 (order O-2)');
  });
});

describe('batch pick: a unit and its put', () => {
  it('records stock.picked for the first order at the stop needing the SKU and lights its slot with the quantity', () => {
    const { effects, state } = run([assign(), yogScan()]);
    expect(events(effects[1]!)).toEqual([
      { type: 'stock.picked', data: { sku: 'YOG', bin: 'A-01', lot: 'Y1', qty: 1, orderId: 'O-1', line: 2, gtin: gtin.yog }, source: { station: 'pick-w', device: 'scanner-w', orderId: 'O-1' } },
    ]);
    expect(said(effects[1]!)).toEqual(['ok: put 1 x Yoghurt 150g in tote slot 1']);
    // Only what changed: the stop counts down (steady while the put waits), A-02 is not sent again.
    expect(lights(effects[1]!)).toEqual(['lights#1 green 2', 'wall#1 green blink 1']);
    expect(state.batch!.put).toEqual({ orderId: 'O-1', slot: 1, sku: 'YOG', name: 'Yoghurt 150g', qty: 1 });
    expect(screenOf(effects[1]!).phase).toBe('put');
  });

  it('names the tote in the put message when the slot has one', () => {
    const { effects } = run([assign(), tote('0042'), tote('2'), tote('3'), yogScan()], { requireToteScan: true });
    expect(said(effects[4]!)).toEqual(['ok: put 1 x Yoghurt 150g in tote slot 1 (0042)']);
  });

  it('the slot light\'s confirm button confirms the put and turns it off', () => {
    const { effects, state } = run([assign(), yogScan(), slotButton(1)]);
    expect(said(effects[2]!)).toEqual(['ok: ok: 1 x Yoghurt 150g in slot 1']);
    expect(lights(effects[2]!, 'wall')).toEqual(['wall#1 off']);
    expect(lights(effects[2]!, 'lights')).toEqual(['lights#1 green blink 2']);
    // Recorded, so a restart before the put asks for it again, and not after.
    expect(events(effects[2]!)).toEqual([{ type: 'batch.put', data: { batchId: 'B-1', station: 'pick-w', orderId: 'O-1', slot: 1, sku: 'YOG', qty: 1 }, source: { station: 'pick-w', device: 'scanner-w', orderId: 'O-1' } }]);
    expect(state.batch!.put).toBeUndefined();
  });

  it('scanning the slot\'s tote confirms the put', () => {
    const { effects } = run([assign(), tote('41'), tote('42'), tote('43'), yogScan(), tote('41')], { requireToteScan: true });
    expect(said(effects[5]!)).toEqual(['ok: ok: 1 x Yoghurt 150g in slot 1']);
    expect(events(effects[5]!).map((e) => e.type)).toEqual(['batch.put']);
  });

  it('a batch resumed with a put to confirm asks for it first, and takes the tote or the slot button', () => {
    const pending = { orderId: 'O-2', slot: 2, sku: 'YOG', name: 'Yoghurt 150g', qty: 1 };
    const { effects, state } = run([assign({ ...batch, resumed: true, put: pending }), yogScan(), slotButton(2)]);
    expect(screenOf(effects[0]!)).toMatchObject({ phase: 'put' });
    expect(lights(effects[0]!, 'wall')).toEqual(['wall#2 green blink 1']);
    expect(said(effects[1]!)).toEqual(['error: put 1 x Yoghurt 150g in tote slot 2 first: scan its tote or press its light']);
    expect(said(effects[2]!)).toEqual(['ok: ok: 1 x Yoghurt 150g in slot 2']);
    expect(events(effects[2]!)).toMatchObject([{ type: 'batch.put', data: { orderId: 'O-2', slot: 2, qty: 1 } }]);
    expect(state.batch!.put).toBeUndefined();
  });

  it('the next unit of the same SKU goes to the next order that needs it', () => {
    const { effects } = run([assign(), yogScan(), slotButton(1), yogScan()]);
    expect(events(effects[3]!)[0]!.data).toMatchObject({ orderId: 'O-3', line: 1 });
    expect(said(effects[3]!)).toEqual(['ok: put 1 x Yoghurt 150g in tote slot 3']);
  });

  it('after the stop is done its light goes off and the next bin blinks with its total', () => {
    const { effects } = run([assign(), ...walkA01]);
    expect(lights(effects[5]!)).toEqual(['lights#1 off', 'wall#3 green blink 1']);
    expect(lights(effects[6]!)).toEqual(['wall#3 off', 'lights#2 green blink 3']);
    expect(screenText(effects[6]!)).toBe('pick 3 x Whole Milk 1L from bin A-02 for 2 orders');
  });

  it('a case with a count goes to the first order with room for it', () => {
    const { effects } = run([assign(), scan(itemScan(gtin.yog, { count: 2 }))]);
    expect(events(effects[1]!)[0]!.data).toMatchObject({ orderId: 'O-3', qty: 2 });
    expect(said(effects[1]!)).toEqual(['ok: put 2 x Yoghurt 150g in tote slot 3']);
  });

  it('a count no order has room for is refused as too many', () => {
    const { effects } = run([assign(), scan(itemScan(gtin.yog, { count: 3 }))]);
    expect(reason(effects[1]!)).toBe('pick.tooMany');
  });

  it('the plus key picks one more of the last verified item, for the next order', () => {
    const { effects } = run([assign(), yogScan(), slotButton(1), binButton('plus')]);
    expect(events(effects[3]!)[0]!.data).toMatchObject({ sku: 'YOG', orderId: 'O-3', qty: 1 });
  });

  it('the bin light\'s confirm does nothing in a batch (a put is confirmed at its slot)', () => {
    const { effects } = run([assign(), yogScan(), slotButton(1), binButton('confirm')]);
    expect(effects[3]).toEqual([]);
  });

  it('uses the lot on the barcode when there is one', () => {
    const { effects } = run([assign(), scan(itemScan(gtin.yog, { lot: 'Y7', expiry: '2026-12-31' }))]);
    expect(events(effects[1]!)[0]!.data).toMatchObject({ lot: 'Y7' });
  });

  it('records a substitute with the SKU it replaces, for the order that allows it', () => {
    const sub: BatchPlan = { batchId: 'B-2', orders: [order('O-1', 1, [milk({ qty: 1 })]), order('O-2', 2, [milk({ qty: 1, substitutes: ['MILK-LF'] })])] };
    const { effects } = run([assign(sub), scan(itemScan(gtin.lactoseFree))]);
    expect(events(effects[1]!)[0]!.data).toMatchObject({ sku: 'MILK-LF', substituteFor: 'MILK', orderId: 'O-2' });
  });
});

describe('batch pick: refusals', () => {
  it.each<[string, BatchPickInput[], string, string]>([
    ['a wrong item at the stop', [scan(itemScan(gtin.oat))], 'pick.wrongItem', 'wrong item: scanned Oat Milk 1L, expected Yoghurt 150g'],
    ['an item of a later stop', [milkScan()], 'pick.wrongItem', 'wrong item: scanned Whole Milk 1L, expected Yoghurt 150g'],
    ['an unknown GTIN', [scan(itemScan(gtin.unknown))], 'pick.unknownItem', `unknown item ${gtin.unknown}: not in the catalog; put it aside and call a supervisor`],
    ['an expired lot', [scan(itemScan(gtin.yog, { expiry: '2026-12-01', lot: 'OLD' }))], 'pick.expired', 'expired lot OLD (2026-12-01): do not pick it, take one with a later date'],
    ['too little shelf life', [scan(itemScan(gtin.yog, { expiry: '2026-12-05' }))], 'pick.shortShelfLife', 'too close to expiry: 2026-12-05 leaves 2 days, 5 needed; take one with a later date'],
    ['a badge', [scan(label('EMP-42'))], 'pick.notAnItem', 'that is a badge label, not an item: scan Yoghurt 150g'],
    ['free text', [scan(label('hello'))], 'pick.notAnItem', 'that is a non-item label, not an item: scan Yoghurt 150g'],
    ['the wrong bin', [scan(label('BIN-A-02'))], 'pick.wrongBin', 'wrong bin: scanned A-02, expected A-01'],
    ['a tote with nothing to put', [tote('41')], 'batch.noPut', 'nothing to put in tote 41: pick Yoghurt 150g from bin A-01 first'],
    ['an unreadable scan', [{ kind: 'unreadable', device: 'scanner-w', detail: 'bad check digit' }], 'scan.unreadable', 'unreadable barcode: bad check digit; scan again or key it in'],
    ['a second item before the put', [yogScan(), yogScan()], 'batch.putFirst', 'put 1 x Yoghurt 150g in tote slot 1 first: scan its tote or press its light'],
    ['a short before the put', [yogScan(), scan(label('CMD-SHORT'))], 'batch.putFirst', 'put 1 x Yoghurt 150g in tote slot 1 first: scan its tote or press its light'],
    ['the confirm of another slot\'s light', [yogScan(), slotButton(3)], 'batch.wrongTote', 'wrong tote: the light of slot 3; put 1 x Yoghurt 150g in tote slot 1'],
    ['the confirm of an empty slot\'s light', [yogScan(), slotButton(4)], 'batch.wrongTote', 'wrong tote: the light of slot 4; put 1 x Yoghurt 150g in tote slot 1'],
  ])('%s', (_name, inputs, key, text) => {
    const { effects, state } = run([assign(), ...inputs]);
    const last = effects.at(-1)!;
    expect(reason(last)).toBe(key);
    expect(said(last)).toEqual([`error: ${text}`]);
    expect(screenText(last)).toBe(text);
    expect(events(last).filter((e) => e.type === 'stock.picked')).toEqual([]);
    // Nothing moved: the refusal leaves the batch as it was.
    expect(state.batch!.orders.flatMap((o) => o.lines.map((l) => l.picked)).reduce((a, b) => a + b, 0)).toBe(inputs.length === 2 && key !== 'scan.unreadable' ? 1 : 0);
  });

  it('a wrong item turns the stop\'s light red with the stop total; the next decision turns it green again', () => {
    const { effects } = run([assign(), scan(itemScan(gtin.oat)), { kind: 'cancel', orderId: 'O-2' }]);
    expect(lights(effects[1]!)).toEqual(['lights#1 red blink 3']);
    // The cancellation changes only A-02's total, and the red stop light is sent green again.
    expect(lights(effects[2]!, 'lights')).toEqual(['lights#1 green blink 3', 'lights#2 green 2']);
  });

  it('the verification.failed of a refused item names the order it was meant for', () => {
    const { effects } = run([assign(), scan(itemScan(gtin.yog, { expiry: '2026-12-01' }))]);
    expect(events(effects[1]!)[0]).toMatchObject({ data: { station: 'pick-w', orderId: 'O-1', reason: 'pick.expired' }, source: { orderId: 'O-1' } });
  });

  it('refuses the wrong tote by its label, naming the slot it is in, and keeps the put waiting', () => {
    const { effects, state } = run([assign(), tote('41'), tote('42'), tote('43'), yogScan(), tote('43')], { requireToteScan: true });
    expect(said(effects[5]!)).toEqual(['error: wrong tote: tote 43 (slot 3); put 1 x Yoghurt 150g in tote slot 1 (41)']);
    expect(events(effects[5]!)).toEqual([
      { type: 'verification.failed', data: { station: 'pick-w', orderId: 'O-1', reason: 'batch.wrongTote', params: expect.objectContaining({ slot: 1, tote: '41' }) }, source: { station: 'pick-w', device: 'scanner-w', orderId: 'O-1' } },
    ]);
    expect(state.batch!.put).toMatchObject({ orderId: 'O-1', slot: 1 });
  });

  it('refuses a tote that is not in the batch', () => {
    const { effects } = run([assign(), tote('41'), tote('42'), tote('43'), yogScan(), tote('99')], { requireToteScan: true });
    expect(said(effects[5]!)).toEqual(['error: wrong tote: tote 99; put 1 x Yoghurt 150g in tote slot 1 (41)']);
  });

  it('ignores a slot light\'s button with no address on a device with several slots', () => {
    const { effects } = run([assign(), yogScan(), { kind: 'button', device: 'wall', button: 'confirm' }]);
    expect(effects[2]).toEqual([]);
  });
});

describe('batch pick: bin scan required', () => {
  it('refuses an item before the stop\'s bin', () => {
    const { effects } = run([assign(), yogScan()], { requireBinScan: true });
    expect(said(effects[1]!)).toEqual(['error: scan bin A-01 first, then Yoghurt 150g']);
  });
  it('the plus key at a new stop waits for its bin scan too', () => {
    const { effects } = run([assign(), scan(label('BIN-A-01')), ...walkA01, binButton('plus')], { requireBinScan: true });
    expect(reason(effects.at(-1)!)).toBe('pick.scanBin');
  });
  it('one bin scan holds for every unit of the stop, and the next stop asks again', () => {
    const { effects } = run([assign(), scan(label('BIN-A-01')), ...walkA01, milkScan()], { requireBinScan: true });
    expect(said(effects[1]!)).toEqual(['ok: bin A-01 ok: now scan Yoghurt 150g']);
    expect(types(effects[4]!)).toEqual(['stock.picked']);
    expect(screenText(effects[7]!)).toBe('scan bin A-02 first, then Whole Milk 1L');
    expect(reason(effects[8]!)).toBe('pick.scanBin');
  });
});

describe('batch pick: orders complete one by one', () => {
  it('an order gets order.picked with its tote in the commit of its last unit; the put still follows', () => {
    const { effects, state } = run([assign(), tote('41'), tote('42'), tote('43'), yogScan(), tote('41'), yogScan(), tote('43'), yogScan(), tote('43'), milkScan(), tote('41'), milkScan()], { requireToteScan: true });
    const last = effects.at(-1)!;
    expect(types(last)).toEqual(['stock.picked', 'order.picked']);
    expect(events(last)[1]).toEqual({ type: 'order.picked', data: { orderId: 'O-1', station: 'pick-w', tote: '41' }, source: { station: 'pick-w', device: 'scanner-w', orderId: 'O-1' } });
    expect(state.batch!.orders[0]!.status).toBe('picked');
    const confirmed = applyBatchPick(state, tote('41'), ctx);
    expect(said(confirmed.effects)).toEqual(['ok: ok: 1 x Whole Milk 1L in slot 1; order O-1 is complete']);
  });

  it('without tote scans order.picked carries no tote', () => {
    const { effects } = run([assign(), ...walkA01, milkScan(), slotButton(1), milkScan()]);
    expect(events(effects.at(-1)!)[1]!.data).toEqual({ orderId: 'O-1', station: 'pick-w' });
  });

  it('the batch ends after the last put: every light off, the screen says done, the station is free', () => {
    const { effects, state } = run([assign(), ...walkA01, milkScan(), slotButton(1), milkScan(), slotButton(1), milkScan(), slotButton(2), scan(label('CMD-SHORT'))]);
    const last = effects.at(-1)!;
    expect(types(last)).toEqual(['stock.short', 'order.picked']);
    expect(screenText(last)).toBe('batch done: 3 orders picked, 1 unit short: take the totes to packing');
    expect(screenOf(last).phase).toBe('idle');
    expect(state.batch).toBeUndefined();
  });

  it('a scan after the batch is done tells the picker to wait', () => {
    const { effects } = run([assign({ batchId: 'B-3', orders: [order('O-1', 1, [yog()])] }), yogScan(), slotButton(1), yogScan()]);
    expect(said(effects[2]!)).toEqual(['ok: ok: 1 x Yoghurt 150g in slot 1; order O-1 is complete']);
    expect(screenText(effects[2]!)).toBe('batch done: 1 order picked: take the totes to packing');
    expect(said(effects[3]!)).toEqual(['error: no order: waiting for the next one']);
  });
});

describe('batch pick: short picks', () => {
  it.each<[string, BatchPickInput]>([
    ['the bin light\'s short button', binButton('short')],
    ['the CMD-SHORT barcode', scan(label('CMD-SHORT'))],
  ])('by %s: stock.short per order line at the bin, one count task for the bin', (_name, input) => {
    const { effects, state } = run([assign(), yogScan(), slotButton(1), input]);
    expect(events(effects[3]!)).toEqual([
      { type: 'stock.short', data: { sku: 'YOG', bin: 'A-01', qty: 2, orderId: 'O-3', line: 1, reason: 'not in bin' }, source: { station: 'pick-w', device: 'scanner-w', orderId: 'O-3' } },
      { type: 'task.created', data: { taskId: 'count-B-1-A-01-YOG', kind: 'count', sku: 'YOG', bin: 'A-01', reason: 'short pick' }, source: { station: 'pick-w', device: 'scanner-w' } },
    ]);
    expect(said(effects[3]!)).toEqual(['ok: short: 2 x Yoghurt 150g missing at bin A-01; recorded, a count is scheduled']);
    expect(lights(effects[3]!)).toEqual(['lights#1 off', 'lights#2 green blink 3']);
    expect(state.batch!.orders[2]!.lines[0]).toMatchObject({ picked: 0, short: 2 });
  });

  it('shorts every order at the bin at once', () => {
    const { effects } = run([assign(), scan(label('CMD-SHORT'))]);
    expect(types(effects[1]!)).toEqual(['stock.short', 'stock.short', 'task.created']);
    expect(said(effects[1]!)).toEqual(['ok: short: 3 x Yoghurt 150g missing at bin A-01 for 2 orders; recorded, a count is scheduled']);
  });

  it('lines without stock are shorted without a count task, and may complete their order', () => {
    const { effects } = run([assign(), ...walkA01, milkScan(), slotButton(1), milkScan(), slotButton(1), milkScan(), slotButton(2), scan(label('CMD-SHORT'))]);
    expect(events(effects.at(-1)!)[0]!.data).toEqual({ sku: 'OAT', bin: '-', qty: 1, orderId: 'O-3', line: 2, reason: 'not in bin' });
  });

  it('a short button on a slot light does nothing', () => {
    const { effects } = run([assign(), slotButton(1, 'short')]);
    expect(effects[1]).toEqual([]);
  });
});

describe('batch pick: one order cancelled mid-batch', () => {
  it('its lines leave the batch, its slot turns off, the picker puts its units in the returns tote, the rest goes on', () => {
    const { effects, state } = run([assign(), ...walkA01, { kind: 'cancel', orderId: 'O-3' }]);
    const cancel = effects.at(-1)!;
    // The putaway tasks come from the gateway's shell, from the log's stock.picked (test/e2e/batchPick.test.ts).
    expect(events(cancel)).toEqual([]);
    expect(said(cancel)).toEqual(['error: order O-3 in slot 3 was cancelled: take the tote out, put its 2 picked units in the returns tote; the batch goes on']);
    expect(lights(cancel, 'wall')).toEqual(['wall#3 off']);
    expect(screenText(cancel)).toBe('order O-3 in slot 3 was cancelled: take the tote out, put its 2 picked units in the returns tote; the batch goes on');
    expect(screenOf(cancel).slots![2]).toMatchObject({ slot: 3, orderId: 'O-3', status: 'cancelled' });
    expect(state.batch!.orders.map((o) => o.status)).toEqual(['open', 'open', 'cancelled']);
  });

  it('the bin totals drop by the cancelled order\'s lines', () => {
    const { effects } = run([assign(), { kind: 'cancel', orderId: 'O-3' }]);
    expect(lights(effects[1]!, 'lights')).toEqual(['lights#1 green blink 1']);
    expect(events(effects[1]!)).toEqual([]);
  });

  it('a unit waiting to be put into the cancelled order\'s tote goes to returns: the put is dropped', () => {
    const { effects, state } = run([assign(), yogScan(), { kind: 'cancel', orderId: 'O-1' }]);
    expect(state.batch!.put).toBeUndefined();
    expect(lights(effects[2]!, 'wall')).toEqual(['wall#1 off', 'wall#1 off']);
    expect(screenText(applyBatchPick(state, yogScan(), ctx).effects)).toBe('put 1 x Yoghurt 150g in tote slot 3');
  });

  it('a put for another order stays waiting', () => {
    const { state } = run([assign(), yogScan(), { kind: 'cancel', orderId: 'O-2' }]);
    expect(state.batch!.put).toMatchObject({ orderId: 'O-1' });
  });

  it('cancelling the last open order ends the batch; the cancellation stays above the next batch until the picker\'s next scan', () => {
    const next = assign({ batchId: 'B-5', orders: [order('O-2', 1, [yog()])] });
    const { effects, state } = run([assign({ batchId: 'B-4', orders: [order('O-1', 1, [yog()])] }), { kind: 'cancel', orderId: 'O-1' }, next, yogScan()]);
    expect(state.batch?.batchId).toBe('B-5');
    const notice = (effects: Effect[]) => { const n = screenOf(effects).notice; return n && renderMessage(n); };
    expect(screenText(effects[1]!)).toBe('batch done: 0 orders picked, 1 cancelled');
    expect(notice(effects[1]!)).toBe('order O-1 in slot 1 was cancelled: take the tote out');
    expect(screenOf(effects[2]!)).toMatchObject({ batchId: 'B-5' });
    expect(notice(effects[2]!)).toBe('order O-1 in slot 1 was cancelled: take the tote out');
    expect(notice(effects[3]!)).toBeUndefined();
  });

  it('a scan in flight as the cancellation ended the batch, answered at an idle station, leaves the notice for the next batch', () => {
    const next = assign({ batchId: 'B-5', orders: [order('O-2', 1, [yog()])] });
    const { effects } = run([assign({ batchId: 'B-4', orders: [order('O-1', 1, [yog()])] }), yogScan(), slotButton(1), assign({ batchId: 'B-6', orders: [order('O-3', 1, [milk()])] }), { kind: 'cancel', orderId: 'O-3' }, milkScan(), next]);
    expect(screenOf(effects[6]!)).toMatchObject({ batchId: 'B-5' });
    const notice = screenOf(effects[6]!).notice;
    expect(notice && renderMessage(notice)).toBe('order O-3 in slot 1 was cancelled: take the tote out');
  });

  it('a cancellation that ends the batch: the text says the batch is done, the cancellation is above it; one mid-batch is the text only', () => {
    const ended = run([assign({ batchId: 'B-4', orders: [order('O-1', 1, [yog()]), order('O-2', 2, [milk()])] }), yogScan(), slotButton(1), { kind: 'cancel', orderId: 'O-2' }]);
    expect(screenText(ended.effects[3]!)).toBe('batch done: 1 order picked, 1 cancelled: take the totes to packing');
    expect(renderMessage(screenOf(ended.effects[3]!).notice!)).toBe('order O-2 in slot 2 was cancelled: take the tote out');
    const goesOn = run([assign({ batchId: 'B-4', orders: [order('O-1', 1, [yog()]), order('O-2', 2, [milk()])] }), { kind: 'cancel', orderId: 'O-1' }]);
    expect(screenText(goesOn.effects[1]!)).toBe('order O-1 in slot 1 was cancelled: take the tote out; the batch goes on');
    expect(screenOf(goesOn.effects[1]!).notice).toBeUndefined();
  });

  it('a bin scan, which answers on the scanner only, still takes the notice off the screen', () => {
    const { effects } = run([assign({ batchId: 'B-4', orders: [order('O-1', 1, [yog()]), order('O-2', 2, [milk()])] }), { kind: 'cancel', orderId: 'O-1' }, scan(label('BIN-A-02'))], { requireBinScan: true });
    expect(screenOf(effects[1]!).notice).toBeUndefined();
    expect(screenOf(effects[2]!)).toMatchObject({ batchId: 'B-4' });
  });

  it('ignores the cancellation of an order not in the batch', () => {
    const { effects } = run([assign(), { kind: 'cancel', orderId: 'O-9' }]);
    expect(effects[1]).toEqual([]);
  });

  it('an order already complete in its tote on the wall: the picker takes the tote out; its return task comes from the gateway', () => {
    const done = run([assign({ batchId: 'B-5', orders: [order('O-1', 1, [yog()]), order('O-2', 2, [milk()])] }), yogScan(), slotButton(1), { kind: 'cancel', orderId: 'O-1' }]);
    expect(said(done.effects[3]!)).toEqual(['error: order O-1 in slot 1 was cancelled: take the tote out, put its 1 picked unit in the returns tote; the batch goes on']);
    expect(events(done.effects[3]!)).toEqual([]);
    expect(done.state.batch?.orders.find((o) => o.orderId === 'O-1')?.status).toBe('cancelled');
  });

  it('an order cancelled before its tote is scanned is skipped in the tote round', () => {
    const { effects } = run([assign(), { kind: 'cancel', orderId: 'O-1' }], { requireToteScan: true });
    expect(screenText(effects[1]!)).toMatch(/^order O-1 in slot 1 was cancelled/);
    expect(lights(effects[1]!)).toEqual(['wall#1 off', 'wall#1 off', 'wall#2 yellow blink TOTE']);
  });
});

describe('batch pick: purity', () => {
  it('the same inputs give the same effects and the old state is not changed', () => {
    const s0 = initialBatchPickState({ station: 'pick-w', scanner: 'scanner-w', requireBinScan: false, requireToteScan: false, slots });
    const a = applyBatchPick(s0, assign(), ctx);
    const frozen = JSON.stringify(a.state);
    const b1 = applyBatchPick(a.state, yogScan(), ctx);
    const b2 = applyBatchPick(a.state, yogScan(), ctx);
    expect(b1).toEqual(b2);
    expect(JSON.stringify(a.state)).toBe(frozen);
  });
});

describe('batch pick: more cases', () => {
  const cheese = (over: Partial<PickLine> = {}) => pickLine({ sku: 'CHEESE', name: 'Gouda by weight', ...A01, lot: undefined, lotExpiry: undefined, ...over });
  const twoCheeses: BatchPlan = { batchId: 'B-6', orders: [order('O-1', 1, [cheese()]), order('O-2', 2, [cheese()])] };

  it('a variable-measure unit records the weight from its label, for the first order needing it', () => {
    const { effects } = run([assign(twoCheeses), scan(cheeseLabel(520))]);
    expect(events(effects[1]!)[0]!.data).toMatchObject({ sku: 'CHEESE', qty: 1, grams: 520, orderId: 'O-1' });
  });
  it('a variable-measure unit out of its weight range is refused', () => {
    const { effects } = run([assign(twoCheeses), scan(cheeseLabel(650))]);
    expect(reason(effects[1]!)).toBe('pick.weightOutOfRange');
  });
  it('a variable-measure item scanned by its plain GTIN is refused: the weight is missing', () => {
    const { effects } = run([assign(twoCheeses), scan(itemScan(gtin.cheese))]);
    expect(reason(effects[1]!)).toBe('pick.weightMissing');
  });

  it('a short during the tote round is refused: totes first', () => {
    const { effects } = run([assign(), scan(label('CMD-SHORT'))], { requireToteScan: true });
    expect(reason(effects[1]!)).toBe('batch.totesFirst');
  });
  it('a slot light\'s button during the tote round does nothing', () => {
    const { effects } = run([assign(), slotButton(1)], { requireToteScan: true });
    expect(effects[1]).toEqual([]);
  });

  it('a slot on a light device of its own confirms without an address', () => {
    const own = [1, 2].map((slot) => ({ slot, light: { device: `wall-${slot}`, address: 0 } }));
    const s0 = initialBatchPickState({ station: 'pick-w', scanner: 'scanner-w', requireBinScan: false, requireToteScan: false, slots: own });
    const { effects } = runWorkflow(applyBatchPick, s0, ctx, [assign(twoCheeses), scan(cheeseLabel(500)), { kind: 'button', device: 'wall-2', button: 'confirm' }, { kind: 'button', device: 'wall-1', button: 'confirm' }]);
    expect(reason(effects[2]!)).toBe('batch.wrongTote');
    expect(said(effects[3]!)).toEqual(['ok: ok: 1 x Gouda by weight in slot 1; order O-1 is complete']);
  });

  it('a bin holding two items: one short shorts both, with a count task per item', () => {
    const mixed: BatchPlan = { batchId: 'B-7', orders: [order('O-1', 1, [yog()]), order('O-2', 2, [milk({ ...A01 })])] };
    const { effects } = run([assign(mixed), scan(label('CMD-SHORT'))]);
    expect(types(effects[1]!)).toEqual(['stock.short', 'stock.short', 'task.created', 'task.created', 'order.picked', 'order.picked']);
    expect(events(effects[1]!).filter((e) => e.type === 'task.created').map((e) => (e.data as { taskId: string }).taskId)).toEqual(['count-B-7-A-01-YOG', 'count-B-7-A-01-MILK']);
    expect(said(effects[1]!)).toEqual(['ok: short: 2 x Yoghurt 150g, Whole Milk 1L missing at bin A-01 for 2 orders; recorded, a count is scheduled']);
    expect(screenText(effects[1]!)).toBe('batch done: 2 orders picked, 2 units short: take the totes to packing');
  });

  it('at a bin holding two items, each scan goes to the order needing that item', () => {
    const mixed: BatchPlan = { batchId: 'B-8', orders: [order('O-1', 1, [yog()]), order('O-2', 2, [milk({ ...A01 })])] };
    const { effects } = run([assign(mixed), milkScan()]);
    expect(events(effects[1]!)[0]!.data).toMatchObject({ sku: 'MILK', orderId: 'O-2' });
    expect(screenText(effects[0]!)).toBe('pick 1 x Yoghurt 150g from bin A-01');
  });
});

