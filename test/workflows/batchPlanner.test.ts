import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../gateway/log/eventCatalogue.ts';
import { chooseLine, linesAtStop, planBatch, resumeBatch, type BatchOrder } from '../../gateway/workflows/batchPlanner.ts';
import type { ReleasedOrder } from '../../gateway/workflows/pickPlanner.ts';
import type { PickLine } from '../../gateway/workflows/pickWorkflow.ts';
import { scannedItem } from '../../gateway/workflows/scannedItem.ts';
import { catalog, gtin, itemScan } from './fixtures.ts';

const released = (orderId: string, over: Partial<ReleasedOrder> = {}): ReleasedOrder => ({ orderId, priority: 0, releasedSeq: Number(orderId.slice(2)), lines: [{ line: 1, sku: 'MILK', qty: 2 }], ...over });
const planLines = (o: ReleasedOrder): PickLine[] =>
  o.lines.map((l) => ({ line: l.line, sku: l.sku, name: l.sku, qty: l.qty, picked: l.picked ?? 0, short: l.short ?? 0, substitutes: l.substitutes ?? [], bin: 'A-01' }));
let seq = 0;
const event = (type: string, data: Record<string, unknown>, source: Record<string, unknown> = {}): LoggedEvent => ({ seq: ++seq, id: `e${seq}`, type, at: '2026-12-03T10:00:00Z', data, source }) as LoggedEvent;

describe('planBatch', () => {
  it('takes up to maxOrders orders, most urgent first, into the slots in order', () => {
    const waiting = [released('O-1'), released('O-2', { priority: 5 }), released('O-3', { dueAt: '2026-12-03T09:00:00Z' }), released('O-4')];
    const plan = planBatch({ batchId: 'B', waiting, maxOrders: 3, slots: [3, 1, 2, 4], planLines })!;
    expect(plan.orders.map((o) => [o.orderId, o.slot, o.status])).toEqual([['O-2', 1, 'open'], ['O-3', 2, 'open'], ['O-1', 3, 'open']]);
  });
  it('never takes more orders than the wall has slots', () => {
    expect(planBatch({ batchId: 'B', waiting: [released('O-1'), released('O-2')], maxOrders: 5, slots: [1], planLines })!.orders).toHaveLength(1);
  });
  it('a station with nothing waiting gets no batch', () => {
    expect(planBatch({ batchId: 'B', waiting: [], maxOrders: 3, slots: [1, 2, 3], planLines })).toBeUndefined();
  });

  describe('grouped by shared bins', () => {
    // Most urgent first (by release): the bins each order's lines are planned from ('-': no stock).
    const bins: Record<string, string[]> = { 'O-1': ['A-01', 'A-05'], 'O-2': ['A-09', 'A-10'], 'O-3': ['A-01'], 'O-4': ['A-05', 'A-01'], 'O-5': ['A-20'], 'O-6': ['-'], 'O-7': ['A-05'], 'O-8': ['-'] };
    const waiting = Object.keys(bins).map((id) => released(id));
    const linesIn = (o: ReleasedOrder): PickLine[] => bins[o.orderId]!.map((bin, i) => ({ line: i + 1, sku: `S${i}`, name: `S${i}`, qty: 1, picked: 0, short: 0, substitutes: [], ...(bin === '-' ? {} : { bin }) }));
    const plan = (ids: string[], maxOrders: number, lookAhead: number, groupBy: 'urgency' | 'bins' = 'bins') =>
      planBatch({ batchId: 'B', waiting: waiting.filter((o) => ids.includes(o.orderId)), maxOrders, slots: [1, 2, 3, 4], planLines: linesIn, grouping: { groupBy, lookAhead } })!.orders.map((o) => o.orderId);
    const stops = (ids: string[]) => new Set(ids.flatMap((id) => bins[id]!)).size;
    it.each([
      ['the most urgent, then the orders adding no bin (ties: the more urgent)', ['O-1', 'O-2', 'O-3', 'O-4', 'O-5'], 3, 5, ['O-1', 'O-3', 'O-4']],
      ['the most urgent goes first even when it shares no bin', ['O-2', 'O-3', 'O-4', 'O-5'], 2, 4, ['O-2', 'O-3']],
      ['only among the lookAhead most urgent (never fewer than a batch)', ['O-1', 'O-2', 'O-3', 'O-4', 'O-5'], 3, 2, ['O-1', 'O-3', 'O-2']],
      ['lines without stock are one stop of their own (at the end of the walk)', ['O-6', 'O-7', 'O-8'], 2, 3, ['O-6', 'O-8']],
      ['by urgency: the most urgent, whatever their bins', ['O-1', 'O-2', 'O-3', 'O-4', 'O-5'], 3, 5, ['O-1', 'O-2', 'O-3']],
    ])('%s', (name, ids, maxOrders, lookAhead, expected) => {
      expect(plan(ids, maxOrders, lookAhead, name.startsWith('by urgency') ? 'urgency' : 'bins')).toEqual(expected);
    });
    it('the picker walks fewer stops than by urgency', () => {
      const ids = ['O-1', 'O-2', 'O-3', 'O-4', 'O-5'];
      expect([stops(plan(ids, 3, 5, 'urgency')), stops(plan(ids, 3, 5))]).toEqual([4, 2]);
    });
  });
});

describe('chooseLine: which order a scanned unit goes to', () => {
  const line = (over: Partial<PickLine>): PickLine => ({ line: 1, sku: 'MILK', name: 'Whole Milk 1L', qty: 1, picked: 0, short: 0, substitutes: [], bin: 'A-01', ...over });
  const order = (orderId: string, slot: number, lines: PickLine[]): BatchOrder => ({ orderId, slot, status: 'open', lines });
  const orders = [
    order('O-1', 1, [line({ sku: 'YOG', name: 'Yoghurt 150g' })]),
    order('O-2', 2, [line({ qty: 1 })]),
    order('O-3', 3, [line({ qty: 3, substitutes: ['MILK-LF'] })]),
    order('O-4', 4, [line({ qty: 1, bin: 'A-02' })]),
  ];
  const choose = (g: string, count?: number) => {
    const chosen = chooseLine(linesAtStop(orders), scannedItem(itemScan(g, count ? { count } : {}))!, catalog);
    return chosen && `${chosen.order.orderId}/${chosen.line.sku}`;
  };
  it.each([
    ['the first order by slot needing the SKU', gtin.milk, undefined, 'O-2/MILK'],
    ['a count that does not fit the first order goes to one it fits', gtin.milk, 3, 'O-3/MILK'],
    ['a count no order fits goes to the first (the verifier refuses too many)', gtin.milk, 4, 'O-2/MILK'],
    ['a substitute goes to the order that allows it', gtin.lactoseFree, undefined, 'O-3/MILK'],
    ['a SKU nobody at the stop needs: the stop\'s first line, so the refusal names it', gtin.oat, undefined, 'O-1/YOG'],
    ['an unknown GTIN: the stop\'s first line', gtin.unknown, undefined, 'O-1/YOG'],
  ])('%s', (_name, g, count, expected) => {
    expect(choose(g, count)).toBe(expected);
  });
  it('only lines of the current stop count: the next bin waits', () => {
    expect(linesAtStop(orders).map((l) => l.order.orderId)).toEqual(['O-1', 'O-2', 'O-3']);
  });
  it('picked and cancelled orders leave the walk', () => {
    const done = orders.map((o) => (o.orderId === 'O-4' ? o : { ...o, status: o.orderId === 'O-1' ? ('cancelled' as const) : ('picked' as const) }));
    expect(linesAtStop(done).map((l) => l.order.orderId)).toEqual(['O-4']);
  });
});

describe('resumeBatch: a batch after a restart', () => {
  const events = [
    event('batch.started', { batchId: 'B-old', station: 'pick-w', orders: [{ orderId: 'O-0', slot: 1 }] }),
    event('batch.started', { batchId: 'B-other', station: 'pick-x', orders: [{ orderId: 'O-9', slot: 1 }] }),
    event('batch.started', { batchId: 'B-1', station: 'pick-w', orders: [{ orderId: 'O-1', slot: 1 }, { orderId: 'O-2', slot: 2 }, { orderId: 'O-3', slot: 3 }], recordsPuts: true }),
    event('batch.toteAssigned', { batchId: 'B-1', station: 'pick-w', orderId: 'O-1', slot: 1, tote: '41' }),
    event('batch.toteAssigned', { batchId: 'B-old', station: 'pick-w', orderId: 'O-2', slot: 1, tote: '99' }),
  ];
  const toPick = [released('O-0'), released('O-1', { lines: [{ line: 1, sku: 'MILK', qty: 2, picked: 1, short: 0 }] }), released('O-2'), released('O-9')];
  const statuses: Record<string, string> = { 'O-3': 'picked', 'O-4': 'cancelled', 'O-5': 'packed', 'O-6': 'dispatched' };
  const resume = (input: { station: string; events: LoggedEvent[]; toPick: ReleasedOrder[]; slots: number[] }) =>
    resumeBatch({
      ...input,
      planLines,
      orderStatus: (id) => statuses[id] ?? 'released',
      releasedOrder: (id) => released(id, { lines: [{ line: 1, sku: 'MILK', qty: 1, picked: 1, short: 0 }] }),
      itemName: (sku) => `the ${sku}`,
    });
  const picked = (orderId: string, station = 'pick-w', qty = 1) => event('stock.picked', { sku: 'MILK', bin: 'A-01', qty, orderId, line: 1 }, { station, orderId });
  const put = (orderId: string, slot: number) => event('batch.put', { batchId: 'B-1', station: 'pick-w', orderId, slot, sku: 'MILK', qty: 1 });

  it('resumes the station\'s last batch with its slots, its totes and what was picked; an order finished before stays on the wall, picked, with its lines', () => {
    const plan = resume({ station: 'pick-w', events, toPick, slots: [1, 2, 3] })!;
    expect(plan.batchId).toBe('B-1');
    expect(plan.resumed).toBe(true);
    expect(plan.orders.map((o) => [o.orderId, o.slot, o.tote, o.status, o.lines[0]!.picked])).toEqual([['O-1', 1, '41', 'open', 1], ['O-2', 2, undefined, 'open', 0], ['O-3', 3, undefined, 'picked', 1]]);
  });
  it('an order cancelled before the restart keeps its slot, as cancelled', () => {
    const withO4 = [event('batch.started', { batchId: 'B-3', station: 'pick-w', orders: [{ orderId: 'O-1', slot: 1 }, { orderId: 'O-4', slot: 2 }], recordsPuts: true })];
    expect(resume({ station: 'pick-w', events: withO4, toPick, slots: [1, 2, 3] })!.orders.map((o) => [o.orderId, o.status])).toEqual([['O-1', 'open'], ['O-4', 'cancelled']]);
  });
  it('an order of the batch picked, then packed (or gone) before the restart stays on the wall as picked too: "batch done" counts it, as it would have without the restart', () => {
    const withPacked = [event('batch.started', { batchId: 'B-4', station: 'pick-w', orders: [{ orderId: 'O-1', slot: 1 }, { orderId: 'O-5', slot: 2 }, { orderId: 'O-6', slot: 3 }], recordsPuts: true })];
    expect(resume({ station: 'pick-w', events: withPacked, toPick, slots: [1, 2, 3] })!.orders.map((o) => [o.orderId, o.status])).toEqual([['O-1', 'open'], ['O-5', 'picked'], ['O-6', 'picked']]);
  });
  it('an order fully picked or shorted is not resumed', () => {
    const plan = resume({ station: 'pick-w', events, toPick: [released('O-1', { lines: [{ line: 1, sku: 'MILK', qty: 2, picked: 1, short: 1 }] })], slots: [1, 2, 3] });
    expect(plan).toBeUndefined();
  });
  it('a slot no longer on the wall sends its order back to the queue', () => {
    const plan = resume({ station: 'pick-w', events, toPick, slots: [1] })!;
    expect(plan.orders.map((o) => o.orderId)).toEqual(['O-1']);
  });
  it('a station that never batched resumes nothing', () => {
    expect(resume({ station: 'pick-z', events, toPick, slots: [1] })).toBeUndefined();
  });
  it('a unit picked whose put was not confirmed is asked for again, in its order\'s slot', () => {
    const plan = resume({ station: 'pick-w', events: [...events, picked('O-1'), put('O-1', 1), picked('O-2')], toPick, slots: [1, 2, 3] })!;
    expect(plan.put).toEqual({ orderId: 'O-2', slot: 2, sku: 'MILK', name: 'the MILK', qty: 1 });
  });
  it('a batch started before puts were recorded asks for none (its puts happened, unrecorded)', () => {
    const old = [event('batch.started', { batchId: 'B-0', station: 'pick-w', orders: [{ orderId: 'O-1', slot: 1 }, { orderId: 'O-2', slot: 2 }] }), picked('O-1')];
    expect(resume({ station: 'pick-w', events: old, toPick, slots: [1, 2, 3] })!.put).toBeUndefined();
  });
  it('a put of another batch does not count for this one', () => {
    const otherBatchPut = event('batch.put', { batchId: 'B-9', station: 'pick-w', orderId: 'O-1', slot: 1, sku: 'MILK', qty: 1 });
    expect(resume({ station: 'pick-w', events: [...events, picked('O-1'), otherBatchPut], toPick, slots: [1, 2, 3] })!.put).toMatchObject({ orderId: 'O-1', slot: 1 });
  });
  it('a confirmed put, or a pick at another station, leaves nothing to put', () => {
    expect(resume({ station: 'pick-w', events: [...events, picked('O-1'), put('O-1', 1)], toPick, slots: [1, 2, 3] })!.put).toBeUndefined();
    expect(resume({ station: 'pick-w', events: [...events, picked('O-1', 'pick-x')], toPick, slots: [1, 2, 3] })!.put).toBeUndefined();
  });
  it('an order whose last unit is still to put stays on the wall, picked, until the put', () => {
    const plan = resume({ station: 'pick-w', events: [...events, picked('O-3')], toPick: [], slots: [1, 2, 3] })!;
    expect(plan.orders.map((o) => [o.orderId, o.slot, o.status])).toEqual([['O-3', 3, 'picked']]);
    // Nothing left to pick and nothing to put: the batch ended with the restart.
    expect(resume({ station: 'pick-w', events: [...events, picked('O-3'), put('O-3', 3)], toPick: [], slots: [1, 2, 3] })).toBeUndefined();
    expect(plan.put).toMatchObject({ orderId: 'O-3', slot: 3 });
  });
  it('the unit of an order cancelled meanwhile is not put: it goes to the returns', () => {
    const withO4 = [...events, event('batch.started', { batchId: 'B-2', station: 'pick-w', orders: [{ orderId: 'O-4', slot: 1 }], recordsPuts: true }), picked('O-4')];
    expect(resume({ station: 'pick-w', events: withO4, toPick: [], slots: [1, 2, 3] })).toBeUndefined();
  });
});
