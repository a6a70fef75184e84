import { describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.ts';
import type { StockRow } from '../../gateway/workflows/pickPlanner.ts';
import { applyReceiving, initialReceivingState, type ReceivingState, type TaskAtBin } from '../../gateway/workflows/receivingWorkflow.ts';
import { countResult, replenishmentNeeds } from '../../gateway/workflows/replenishment.ts';
import type { Effect, StationInput } from '../../gateway/workflows/types.ts';
import { catalog, gtin, itemScan, label, today, events, said, runWorkflow } from './fixtures.ts';

const bins = configSchema.parse({
  store: { id: 's' },
  layout: { bins: [{ id: 'A-01', zone: 'A', pickFace: { min: 4, max: 12 } }, { id: 'A-02', zone: 'A', pickFace: { min: 2, max: 6 } }, { id: 'R-01', zone: 'R' }, { id: 'R-02', zone: 'R' }] },
}).layout.bins;
const row = (sku: string, bin: string, qty: number, lot = '', expiry: string | null = null): StockRow => ({ sku, bin, lot, expiry, qty });

describe('replenishmentNeeds', () => {
  it.each<[string, StockRow[], Set<string>, Array<{ sku: string; toBin: string; qty: number; from: string[] }>]>([
    ['a pick face at its minimum needs nothing', [row('MILK', 'A-01', 4), row('MILK', 'R-01', 20)], new Set(), []],
    ['below the minimum: refill to max from reserve', [row('MILK', 'A-01', 3), row('MILK', 'R-01', 20)], new Set(), [{ sku: 'MILK', toBin: 'A-01', qty: 9, from: ['R-01'] }]],
    ['reserve lots earliest expiry first', [row('MILK', 'A-01', 0), row('MILK', 'R-01', 5, 'L2', '2026-12-20'), row('MILK', 'R-02', 5, 'L1', '2026-12-10')], new Set(), [{ sku: 'MILK', toBin: 'A-01', qty: 12, from: ['R-02', 'R-01'] }]],
    ['nothing in reserve: no task', [row('MILK', 'A-01', 1)], new Set(), []],
    ['an open task for the bin: no second one', [row('MILK', 'A-01', 1), row('MILK', 'R-01', 20)], new Set(['A-01']), []],
    ['negative stock (a drift) refills to max', [row('YOG', 'A-02', -1), row('YOG', 'R-01', 10)], new Set(), [{ sku: 'YOG', toBin: 'A-02', qty: 6, from: ['R-01'] }]],
    ['reserve bins never need replenishing', [row('MILK', 'R-01', 0), row('MILK', 'R-02', 5)], new Set(), []],
  ])('%s', (_name, stock, open, expected) => {
    expect(replenishmentNeeds(stock, bins, open).map((n) => ({ sku: n.sku, toBin: n.toBin, qty: n.qty, from: n.sources.map((s) => s.bin) }))).toEqual(expected);
  });
  it('an empty pick face is refilled with the SKU it is slotted for, though no stock row of it is at the face', () => {
    const needs = replenishmentNeeds([row('MILK', 'R-01', 20)], bins, new Set(), new Map([['A-01', 'MILK']]));
    expect(needs.map((n) => ({ sku: n.sku, toBin: n.toBin, qty: n.qty, from: n.sources.map((s) => s.bin) }))).toEqual([{ sku: 'MILK', toBin: 'A-01', qty: 12, from: ['R-01'] }]);
  });
  it('an empty pick face slotted for a SKU with nothing in reserve gets no task', () => {
    expect(replenishmentNeeds([row('OAT', 'R-01', 20)], bins, new Set(), new Map([['A-01', 'MILK']]))).toEqual([]);
  });
});

describe('countResult', () => {
  it.each([
    ['as expected', 5, { counted: 5, expected: 5, delta: 0, lot: 'L1' }],
    ['two missing', 3, { counted: 3, expected: 5, delta: -2, lot: 'L1' }],
    ['one extra', 6, { counted: 6, expected: 5, delta: 1, lot: 'L1' }],
  ])('%s', (_name, counted, expected) => {
    expect(countResult('MILK', 'A-01', counted, [row('MILK', 'A-01', 4, 'L1'), row('MILK', 'A-01', 1, 'L2'), row('OAT', 'A-01', 9)])).toMatchObject(expected);
  });
  it('a bin the log thinks is empty', () => {
    expect(countResult('MILK', 'A-09', 2, [])).toEqual({ sku: 'MILK', bin: 'A-09', lot: '', counted: 2, expected: 0, delta: 2 });
  });
});

describe('tasks at the receiving station', () => {
  const tasks: Record<string, TaskAtBin> = {
    'R-01': { kind: 'replenish', taskId: 't-r', sku: 'MILK', name: 'Whole Milk 1L', fromBin: 'R-01', lot: 'L1', qty: 8, toBin: 'A-01' },
    'A-02': { kind: 'count', taskId: 't-c', sku: 'YOG', name: 'Yoghurt 150g', bin: 'A-02' },
  };
  function run(inputs: StationInput[]): { state: ReceivingState; effects: Effect[][] } {
    const state = initialReceivingState({ station: 'recv-1', scanner: 'scanner-4', dockBin: 'DOCK' });
    const ctx = {
      catalog,
      today,
      suggestBin: () => undefined,
      taskAtBin: (bin: string) => tasks[bin],
      countResult: (sku: string, bin: string, counted: number) => countResult(sku, bin, counted, [row('YOG', 'A-02', 4, 'Y1')]),
    };
    return runWorkflow(applyReceiving, state, ctx, inputs);
  }
  const scan = (barcode: ReturnType<typeof label>): StationInput => ({ kind: 'scan', device: 'scanner-4', barcode });

  it('a replenishment: the reserve bin starts it, the pick face confirms stock.moved and completes the task', () => {
    const { effects, state } = run([scan(label('BIN-R-01')), scan(label('BIN-A-01'))]);
    expect(said(effects[0]!)).toEqual(['ok: replenish Whole Milk 1L: take 8 from R-01 (lot L1) to A-01, then scan bin A-01']);
    expect(events(effects[1]!).map((e) => [e.type, e.data])).toEqual([
      ['stock.moved', { sku: 'MILK', fromBin: 'R-01', toBin: 'A-01', lot: 'L1', qty: 8, reason: 'replenish' }],
      ['task.completed', { taskId: 't-r', kind: 'replenish' }],
    ]);
    expect(said(effects[1]!)).toEqual(['ok: 8 x Whole Milk 1L moved from R-01 to A-01']);
    expect(state.task).toBeUndefined();
  });
  it('a replenishment into the wrong bin is refused', () => {
    const { effects, state } = run([scan(label('BIN-R-01')), scan(label('BIN-A-02'))]);
    expect(events(effects[1]!)[0]!.data).toMatchObject({ reason: 'replenish.wrongBin' });
    expect(said(effects[1]!)).toEqual(['error: wrong bin: scanned A-02, bring Whole Milk 1L to A-01']);
    expect(state.task?.kind).toBe('replenish');
  });
  it('a count: units scanned, CMD-CONFIRM records stock.counted with the variance', () => {
    const { effects } = run([scan(label('BIN-A-02')), scan(itemScan(gtin.yog)), scan(itemScan(gtin.yog, { count: 2 })), scan(label('CMD-CONFIRM'))]);
    expect(said(effects[0]!)).toEqual(['ok: count Yoghurt 150g in bin A-02: scan each unit, then CMD-CONFIRM']);
    expect(said(effects[2]!)).toEqual(['ok: 3 x Yoghurt 150g counted']);
    expect(events(effects[3]!).map((e) => [e.type, e.data])).toEqual([
      ['stock.counted', { sku: 'YOG', bin: 'A-02', lot: 'Y1', counted: 3, expected: 4, delta: -1 }],
      ['task.completed', { taskId: 't-c', kind: 'count' }],
    ]);
    expect(said(effects[3]!)).toEqual(['ok: bin A-02: counted 3 x Yoghurt 150g, expected 4 (-1)']);
  });
  it('a count of an empty bin is a zero count', () => {
    const { effects } = run([scan(label('BIN-A-02')), scan(label('CMD-CONFIRM'))]);
    expect(events(effects[1]!)[0]!.data).toMatchObject({ counted: 0, expected: 4, delta: -4 });
  });
  it('another item during a count is refused and not counted', () => {
    const { effects, state } = run([scan(label('BIN-A-02')), scan(itemScan(gtin.milk))]);
    expect(said(effects[1]!)).toEqual(['error: not counted here: Whole Milk 1L; this count is for Yoghurt 150g']);
    expect(state.task).toMatchObject({ kind: 'count', counted: 0 });
  });
  it('a bin with no task is not expected', () => {
    expect(said(run([scan(label('BIN-R-02'))]).effects[0]!)).toEqual(['error: bin not expected here: scan a case first']);
  });
});
