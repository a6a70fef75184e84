import { describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.ts';
import { compareOrders, planPickLines, takeOrderFor, type ReleasedOrder, type StockRow } from '../../gateway/workflows/pickPlanner.ts';
import { catalog } from './fixtures.ts';

const bins = configSchema.parse({
  store: { id: 's' },
  devices: [{ id: 'lights', class: 'light', transport: { type: 'mqtt' }, secret: 'lights-secret' }],
  layout: { bins: [{ id: 'A-01', zone: 'A', pickFace: { min: 1, max: 9 }, light: { device: 'lights', address: 7 } }, { id: 'A-02', zone: 'A', pickFace: { min: 1, max: 9 } }, { id: 'R-01', zone: 'R' }] },
}).layout.bins;
const row = (bin: string, lot: string, expiry: string | null, qty: number, sku = 'MILK'): StockRow => ({ sku, bin, lot, expiry, qty });
const order = (lines: ReleasedOrder['lines']): ReleasedOrder => ({ orderId: 'O', priority: 0, releasedSeq: 1, lines });

describe('planPickLines', () => {
  it.each<[string, StockRow[], Record<string, unknown>]>([
    ['the only bin holding the SKU', [row('A-02', 'L1', null, 5)], { bin: 'A-02', lot: 'L1' }],
    ['a pick face before reserve, even with a later expiry', [row('R-01', 'L0', '2026-12-05', 50), row('A-02', 'L1', '2026-12-20', 5)], { bin: 'A-02' }],
    ['the earliest expiry among pick faces (FEFO)', [row('A-02', 'L2', '2026-12-20', 5), row('A-01', 'L1', '2026-12-10', 5)], { bin: 'A-01', lot: 'L1', lotExpiry: '2026-12-10', light: { device: 'lights', address: 7 } }],
    ['a lot with a known expiry before one without', [row('A-01', 'LX', null, 5), row('A-02', 'L1', '2027-01-01', 5)], { bin: 'A-02' }],
    ['never an empty or negative bin', [row('A-01', 'L1', '2026-12-01', 0), row('A-02', 'L2', '2026-12-02', -1), row('R-01', 'L3', null, 2)], { bin: 'R-01' }],
    ['never a bin outside the layout (the dock)', [row('DOCK', 'L1', null, 5)], { bin: undefined }],
    ['no stock: no bin, the picker shorts it', [], { bin: undefined, name: 'Whole Milk 1L' }],
  ])('%s', (_name, stock, expected) => {
    const [line] = planPickLines(order([{ line: 1, sku: 'MILK', qty: 2 }]), stock, bins, catalog);
    expect({ bin: undefined, ...line }).toMatchObject({ line: 1, sku: 'MILK', qty: 2, picked: 0, short: 0, substitutes: [], ...expected });
  });
  it('carries what was picked before a restart and the allowed substitutes', () => {
    const [line] = planPickLines(order([{ line: 1, sku: 'MILK', qty: 3, picked: 1, short: 1, substitutes: ['OAT'] }]), [], bins, catalog);
    expect(line).toMatchObject({ qty: 3, picked: 1, short: 1, substitutes: ['OAT'] });
  });
});

describe('compareOrders: which order a free station takes next', () => {
  const o = (orderId: string, priority: number, dueAt: string | null, releasedSeq: number): ReleasedOrder => ({ orderId, priority, dueAt, releasedSeq, lines: [] });
  it('highest priority, then earliest due, then first released', () => {
    const orders = [o('late', 0, '2026-12-03T12:00Z', 1), o('urgent', 5, null, 9), o('soon', 0, '2026-12-03T10:00Z', 5), o('undated-1', 0, null, 2), o('undated-2', 0, null, 3)];
    expect(orders.sort(compareOrders).map((x) => x.orderId)).toEqual(['urgent', 'soon', 'late', 'undated-1', 'undated-2']);
  });
});

describe('takeOrderFor: an order half picked before a restart goes back to its station', () => {
  const o = (orderId: string): ReleasedOrder => ({ orderId, priority: 0, dueAt: null, releasedSeq: 1, lines: [] });
  const started = new Map([['half-at-2', 'pick-2'], ['half-at-1', 'pick-1']]);
  it.each([
    ['its own half-picked order before the queue', 'pick-2', ['new-1', 'half-at-1', 'half-at-2'], 'half-at-2'],
    ['the first new order when it has none', 'pick-3', ['half-at-1', 'new-1', 'new-2'], 'new-1'],
    ['never an order started at another station', 'pick-3', ['half-at-1', 'half-at-2'], undefined],
  ])('%s', (_name, station, ids, expected) => {
    const waiting = ids.map(o);
    expect(takeOrderFor(station, waiting, started)?.orderId).toBe(expected);
    expect(waiting.map((x) => x.orderId)).toEqual(ids.filter((id) => id !== expected));
  });
});
