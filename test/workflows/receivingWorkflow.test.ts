import { describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.ts';
import type { StockRow } from '../../gateway/workflows/pickPlanner.ts';
import { suggestPutawayBin } from '../../gateway/workflows/putawayPlanner.ts';
import { applyReceiving, initialReceivingState, resumePutaway, type ReceivingState } from '../../gateway/workflows/receivingWorkflow.ts';
import type { Effect, StationInput } from '../../gateway/workflows/types.ts';
import { catalog, gtin, itemScan, label, today, events, said, runWorkflow } from './fixtures.ts';

const bins = configSchema.parse({
  store: { id: 's' },
  devices: [{ id: 'lights', class: 'light', transport: { type: 'mqtt' }, secret: 'lights-secret' }],
  layout: {
    bins: [
      { id: 'A-01', zone: 'A', pickFace: { min: 2, max: 12 }, light: { device: 'lights', address: 1 } },
      { id: 'A-02', zone: 'A', pickFace: { min: 2, max: 12 }, light: { device: 'lights', address: 2 } },
      { id: 'R-01', zone: 'R' },
      { id: 'R-02', zone: 'R' },
    ],
  },
}).layout.bins;
const row = (sku: string, bin: string, qty: number): StockRow => ({ sku, bin, lot: '', expiry: null, qty });

describe('suggestPutawayBin', () => {
  it.each<[string, string, number, StockRow[], string | undefined]>([
    ['the SKU\'s pick face when it has room', 'MILK', 2, [row('MILK', 'A-01', 8)], 'A-01'],
    ['the pick face filled exactly to its max', 'MILK', 4, [row('MILK', 'A-01', 8)], 'A-01'],
    ['reserve when the pick face is too full', 'MILK', 5, [row('MILK', 'A-01', 8)], 'R-01'],
    ['a reserve bin already holding the SKU first', 'MILK', 20, [row('MILK', 'A-01', 8), row('OAT', 'R-01', 3), row('MILK', 'R-02', 6)], 'R-02'],
    ['an empty reserve bin for a new SKU', 'YOG', 6, [row('OAT', 'R-01', 3)], 'R-02'],
    ['never a pick face holding another SKU', 'YOG', 1, [row('OAT', 'A-01', 1), row('OAT', 'R-01', 1), row('MILK', 'R-02', 1)], undefined],
    ['nothing when every reserve bin is taken', 'YOG', 1, [row('OAT', 'R-01', 3), row('MILK', 'R-02', 1)], undefined],
  ])('%s', (_name, sku, qty, stock, bin) => {
    expect(suggestPutawayBin(sku, qty, stock, bins)?.bin).toBe(bin);
  });
  it('an empty pick face slotted for the SKU takes it; one slotted for another SKU does not', () => {
    expect(suggestPutawayBin('MILK', 6, [row('OAT', 'R-01', 3)], bins, [], new Map([['A-02', 'MILK']]))?.bin).toBe('A-02');
    expect(suggestPutawayBin('MILK', 6, [row('OAT', 'R-01', 3)], bins, [], new Map([['A-02', 'OAT']]))?.bin).toBe('R-02');
    // Too much for the face's max: reserve.
    expect(suggestPutawayBin('MILK', 13, [], bins, [], new Map([['A-02', 'MILK']]))?.bin).toBe('R-01');
  });
  it('lights the pick face it suggests', () => {
    expect(suggestPutawayBin('MILK', 1, [row('MILK', 'A-02', 1)], bins)).toEqual({ bin: 'A-02', light: { device: 'lights', address: 2 } });
  });
});

function run(inputs: StationInput[]): { state: ReceivingState; effects: Effect[][] } {
  const state = initialReceivingState({ station: 'recv-1', scanner: 'scanner-4', dockBin: 'DOCK' });
  const ctx = { catalog, today, suggestBin: (sku: string, qty: number) => suggestPutawayBin(sku, qty, [row('MILK', 'A-01', 2)], bins, ['DOCK']) };
  return runWorkflow(applyReceiving, state, ctx, inputs);
}
const scan = (barcode: ReturnType<typeof label>): StationInput => ({ kind: 'scan', device: 'scanner-4', barcode });
const milkCase = itemScan(gtin.milk6, { expiry: '2026-12-20', lot: 'L5', count: 6 });

describe('receiving workflow', () => {
  it('books a case into the dock with lot, expiry and count, and lights the suggested bin', () => {
    const { effects, state } = run([scan(milkCase)]);
    expect(events(effects[0]!)).toEqual([{ type: 'stock.received', data: { sku: 'MILK', bin: 'DOCK', lot: 'L5', expiry: '2026-12-20', qty: 6 }, source: { station: 'recv-1', device: 'scanner-4' } }]);
    expect(effects[0]!.find((e) => e.type === 'command')).toEqual({ type: 'command', device: 'lights', command: { kind: 'light', address: 1, color: 'blue', blink: true, text: '6' } });
    expect(said(effects[0]!)).toEqual(['ok: received 6 x Whole Milk 1L lot L5: put away to bin A-01']);
    expect(state.putaway?.toBin).toBe('A-01');
  });

  it('the right bin confirms stock.putaway and turns the light off', () => {
    const { effects, state } = run([scan(milkCase), scan(label('BIN-A-01'))]);
    expect(events(effects[1]!)).toEqual([{ type: 'stock.putaway', data: { sku: 'MILK', fromBin: 'DOCK', toBin: 'A-01', lot: 'L5', expiry: '2026-12-20', qty: 6 }, source: expect.anything() }]);
    expect(effects[1]!.find((e) => e.type === 'command')).toMatchObject({ command: { kind: 'light', address: 1, color: 'off' } });
    expect(said(effects[1]!)).toEqual(['ok: 6 x Whole Milk 1L put away in A-01']);
    expect(state.putaway).toBeUndefined();
  });

  it.each<[string, StationInput[], string, string]>([
    ['a wrong bin', [scan(milkCase), scan(label('BIN-A-02'))], 'receive.wrongBin', 'error: wrong bin: scanned A-02, put Whole Milk 1L into A-01'],
    ['a second case before the putaway', [scan(milkCase), scan(milkCase)], 'receive.binFirst', 'error: finish the putaway first: scan bin A-01'],
    ['a bin with nothing to put away', [scan(label('BIN-A-01'))], 'scan.notExpected', 'error: bin not expected here: scan a case first'],
    ['an unknown item', [scan(itemScan(gtin.unknown))], 'receive.unknownItem', `error: unknown item ${gtin.unknown}: not in the catalog; set the case aside for the admin`],
    ['an expired lot', [scan(itemScan(gtin.milk, { expiry: '2026-12-01', lot: 'OLD' }))], 'receive.expired', 'error: lot OLD expired on 2026-12-01: do not receive it; set it aside for return'],
    ['too little shelf life', [scan(itemScan(gtin.yog, { expiry: '2026-12-05' }))], 'receive.shortShelfLife', 'error: lot expires 2026-12-05, only 2 days left, 5 needed: set it aside for return'],
    ['a store label that is not a case', [scan(label('BAG-1'))], 'receive.scanCase', 'error: scan a case or an item to receive it'],
  ])('refuses %s', (_name, inputs, reason, message) => {
    const { effects } = run(inputs);
    const last = effects[effects.length - 1]!;
    expect(events(last)).toEqual([{ type: 'verification.failed', data: expect.objectContaining({ station: 'recv-1', reason }), source: expect.anything() }]);
    expect(said(last)).toEqual([message]);
  });

  it('a SKU on no pick face goes to an empty reserve bin', () => {
    const { effects, state } = run([scan(itemScan(gtin.oat, { count: 2 }))]);
    expect(state.putaway?.toBin).toBe('R-01');
    expect(events(effects[0]!)[0]!.data).toMatchObject({ sku: 'OAT', qty: 2, bin: 'DOCK' });
  });
});

describe('resumePutaway: after a restart, a case received but not put away', () => {
  const ctx = { catalog, today, suggestBin: (sku: string, qty: number) => suggestPutawayBin(sku, qty, [row('MILK', 'A-01', 2)], bins, ['DOCK']) };
  const idle = () => initialReceivingState({ station: 'recv-1', scanner: 'scanner-4', dockBin: 'DOCK' });
  it('asks for its bin again: the bin lights, the screen says where, and the bin scan puts it away', () => {
    const resumed = resumePutaway(idle(), { sku: 'MILK', lot: 'L5', expiry: '2026-12-20', qty: 6 }, ctx);
    expect(resumed.effects).toEqual([
      { type: 'command', device: 'lights', command: { kind: 'light', address: 1, color: 'blue', blink: true, text: '6' } },
      expect.objectContaining({ type: 'screen', screen: expect.objectContaining({ phase: 'putaway', message: expect.objectContaining({ key: 'receive.received' }) }) }),
    ]);
    const { effects } = runWorkflow(applyReceiving, resumed.state, ctx, [scan(label('BIN-A-01'))]);
    expect(events(effects[0]!)).toEqual([expect.objectContaining({ type: 'stock.putaway', data: { sku: 'MILK', fromBin: 'DOCK', toBin: 'A-01', lot: 'L5', expiry: '2026-12-20', qty: 6 } })]);
  });
  it('with no bin to suggest, the station stays idle and the case stays at the dock', () => {
    const resumed = resumePutaway(idle(), { sku: 'YOG', qty: 200 }, { ...ctx, suggestBin: () => undefined });
    expect(resumed).toEqual({ state: idle(), effects: [] });
  });
});
