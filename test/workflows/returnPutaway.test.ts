import { describe, expect, it } from 'vitest';
import { applyReceiving, initialReceivingState, type ReceivingContext } from '../../gateway/workflows/receivingWorkflow.ts';
import type { ReturnTask } from '../../gateway/workflows/returnPutaway.ts';
import type { StationInput } from '../../gateway/workflows/types.ts';
import { catalog, events, gtin, itemScan, label, runWorkflow, said, today } from './fixtures.ts';

const milkReturn: ReturnTask = {
  taskId: 'return-O-9-1',
  orderId: 'O-9',
  line: 1,
  sku: 'MILK',
  bin: 'A-01',
  units: [{ sku: 'MILK', lot: 'L1', qty: 2 }, { sku: 'MILK', lot: 'L2', qty: 1 }],
  light: { device: 'lights', address: 1 },
};
const yogReturn: ReturnTask = { taskId: 'return-O-9-2', orderId: 'O-9', line: 2, sku: 'YOG', bin: 'A-02', units: [{ sku: 'YOG', lot: 'Y1', qty: 1 }] };

function run(inputs: StationInput[], open: ReturnTask[] = [milkReturn, yogReturn]) {
  // The ledger as the log would have it: a task is gone once its task.completed is committed.
  const done = new Set<string>();
  const ctx: ReceivingContext = { catalog, today, suggestBin: () => ({ bin: 'R-01' }), openReturns: () => open.filter((t) => !done.has(t.taskId)) };
  const state = initialReceivingState({ station: 'recv-1', scanner: 'scanner-4', dockBin: 'DOCK' });
  return runWorkflow(
    (s, input: StationInput, c: ReceivingContext) => {
      const d = applyReceiving(s, input, c);
      for (const e of events(d.effects)) if (e.type === 'task.completed') done.add((e.data as { taskId: string }).taskId);
      return d;
    },
    state,
    ctx,
    inputs,
  );
}
const scan = (barcode: ReturnType<typeof label>): StationInput => ({ kind: 'scan', device: 'scanner-4', barcode });
const milk = scan(itemScan(gtin.milk));

describe('return putaway after a cancellation', () => {
  it('tote, item, bin: the home bin lights, the bin scan returns every picked lot to stock and completes the task', () => {
    const { state, effects } = run([scan(label('TOTE-RET')), milk, scan(label('BIN-A-01'))]);
    expect(said(effects[0]!)).toEqual(['ok: returns from tote RET: 4 units of cancelled orders to put back; scan an item']);
    expect(said(effects[1]!)).toEqual(['ok: put 3 x Whole Milk 1L (order O-9) back in bin A-01, then scan bin A-01']);
    expect(effects[1]!.find((e) => e.type === 'command')).toEqual({ type: 'command', device: 'lights', command: { kind: 'light', address: 1, color: 'blue', blink: true, text: '3' } });
    const source = { station: 'recv-1', device: 'scanner-4', orderId: 'O-9', taskId: 'return-O-9-1' };
    expect(events(effects[2]!)).toEqual([
      { type: 'stock.returned', data: { sku: 'MILK', bin: 'A-01', lot: 'L1', qty: 2, orderId: 'O-9', line: 1 }, source },
      { type: 'stock.returned', data: { sku: 'MILK', bin: 'A-01', lot: 'L2', qty: 1, orderId: 'O-9', line: 1 }, source },
      { type: 'task.completed', data: { taskId: 'return-O-9-1', kind: 'putaway' }, source },
    ]);
    expect(effects[2]!.find((e) => e.type === 'command')).toMatchObject({ command: { kind: 'light', address: 1, color: 'off' } });
    expect(said(effects[2]!)).toEqual(['ok: 3 x Whole Milk 1L back in A-01: 1 unit left to put back']);
    expect(state.returns).toEqual({ tote: 'RET' });
  });

  describe('a task whose units may not all be here (some left in bags nobody scanned into): each unit is counted', () => {
    const counted: ReturnTask = { ...milkReturn, countUnits: true };
    it.each([
      ['two of three scanned: the bin takes those two, from the first lot, and the task is done', [milk, milk, scan(label('BIN-A-01'))], 2, [['L1', 2]]],
      ['all three: both lots', [milk, milk, milk, scan(label('BIN-A-01'))], 3, [['L1', 2], ['L2', 1]]],
      ['one: the bin takes one', [milk, scan(label('BIN-A-01'))], 1, [['L1', 1]]],
    ])('%s', (_name, scans, qty, lots) => {
      const { effects } = run([scan(label('TOTE-RET')), ...scans], [counted]);
      expect(said(effects[1]!)).toEqual(['ok: 1 of up to 3 x Whole Milk 1L (order O-9): scan each unit you have, then bin A-01 (the rest left with a bag)']);
      const last = effects.at(-1)!;
      expect(events(last).map((e) => (e.type === 'stock.returned' ? [(e.data as { lot: string }).lot, (e.data as { qty: number }).qty] : e.type))).toEqual([...lots, 'task.completed']);
      expect(said(last)).toEqual([`ok: ${qty} x Whole Milk 1L back in A-01: all returns done`]);
    });
    it('more units than were picked, or another item, are refused before the bin', () => {
      const { effects } = run([scan(label('TOTE-RET')), milk, milk, milk, milk, scan(itemScan(gtin.yog))], [counted]);
      expect(said(effects[4]!)).toEqual(['error: order O-9 had only 3 x Whole Milk 1L picked: put the extra aside and tell the admin; scan bin A-01 for the ones counted']);
      expect(said(effects[5]!)).toEqual(['error: finish the putaway first: scan bin A-01']);
    });
  });

  it('the last return ends returns mode', () => {
    const { state, effects } = run([scan(label('TOTE-RET')), scan(itemScan(gtin.yog)), scan(label('BIN-A-02'))], [yogReturn]);
    expect(said(effects[2]!)).toEqual(['ok: 1 x Yoghurt 150g back in A-02: all returns done']);
    expect(state.returns).toBeUndefined();
  });

  it('an item scanned outside returns mode is received, not returned', () => {
    const { effects } = run([milk]);
    expect(events(effects[0]!).map((e) => e.type)).toEqual(['stock.received']);
  });

  it.each<[string, StationInput[], ReturnTask[], string, string]>([
    ['a wrong bin', [scan(label('TOTE-RET')), milk, scan(label('BIN-A-02'))], [milkReturn], 'return.wrongBin', 'error: wrong bin: scanned A-02, put Whole Milk 1L back into A-01'],
    ['an item no cancelled order had', [scan(label('TOTE-RET')), scan(itemScan(gtin.oat))], [milkReturn], 'return.notOpen', 'error: no cancelled order is waiting for Oat Milk 1L: set it aside and tell the admin'],
    ['a tote when nothing is to be put back', [scan(label('TOTE-RET'))], [], 'return.none', 'error: no units of cancelled orders to put back'],
    ['another item before the bin', [scan(label('TOTE-RET')), milk, milk], [milkReturn], 'receive.binFirst', 'error: finish the putaway first: scan bin A-01'],
    ['a bin before an item', [scan(label('TOTE-RET')), scan(label('BIN-A-01'))], [milkReturn], 'scan.notExpected', 'error: bin not expected here: scan an item from the returns tote first'],
  ])('refuses %s', (_name, inputs, open, reason, message) => {
    const { effects } = run(inputs, open);
    const last = effects.at(-1)!;
    expect(events(last)).toEqual([{ type: 'verification.failed', data: expect.objectContaining({ reason }), source: expect.anything() }]);
    expect(said(last)).toEqual([message]);
  });

  it('a scanned lot picks the task that holds that lot', () => {
    const other: ReturnTask = { ...milkReturn, taskId: 'return-O-8-1', orderId: 'O-8', units: [{ sku: 'MILK', lot: 'L7', qty: 1 }] };
    const { effects } = run([scan(label('TOTE-RET')), scan(itemScan(gtin.milk, { lot: 'L7' }))], [milkReturn, other]);
    expect(said(effects[1]!)).toEqual(['ok: put 1 x Whole Milk 1L (order O-8) back in bin A-01, then scan bin A-01']);
  });

  it('CMD-CANCEL after an item pauses too: its bin goes dark, nothing is put back', () => {
    const { state, effects } = run([scan(label('TOTE-RET')), milk, scan(label('CMD-CANCEL'))]);
    expect(said(effects[2]!)).toEqual(['ok: returns paused: 4 units still to put back']);
    expect(events(effects[2]!)).toEqual([]);
    expect(effects[2]!.find((e) => e.type === 'command')).toEqual({ type: 'command', device: 'lights', command: { kind: 'light', address: 1, color: 'off' } });
    expect(state.returns).toBeUndefined();
  });

  it('CMD-CANCEL pauses the returns; what is left stays open', () => {
    const { state, effects } = run([scan(label('TOTE-RET')), scan(label('CMD-CANCEL'))]);
    expect(said(effects[1]!)).toEqual(['ok: returns paused: 4 units still to put back']);
    expect(events(effects[1]!)).toEqual([]);
    expect(state.returns).toBeUndefined();
  });
});
