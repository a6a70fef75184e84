import { describe, expect, it } from 'vitest';
import { binsToCount, countTasksFor, countTaskEvents, periodMs } from '../../gateway/workflows/taskScheduler.ts';

const bins = [{ id: 'A-01' }, { id: 'A-02' }, { id: 'R-01' }, { id: 'R-02' }];
const stock = [
  { sku: 'MILK', bin: 'A-01', qty: 5 },
  { sku: 'YOG', bin: 'A-02', qty: 3 },
  { sku: 'MILK', bin: 'R-01', qty: 20 },
  { sku: 'OAT', bin: 'R-01', qty: 4 },
  { sku: 'OAT', bin: 'R-02', qty: 0 },
  { sku: 'MILK', bin: 'DOCK', qty: 6 },
];

describe('binsToCount (the cycle count choice)', () => {
  it.each<[string, Map<string, number>, Set<string>, number, string[]]>([
    ['never counted bins first, by bin id', new Map(), new Set(), 2, ['A-01 MILK', 'A-02 YOG']],
    ['then the bins counted longest ago', new Map([['A-01', 50], ['A-02', 10], ['R-01', 30]]), new Set(), 2, ['A-02 YOG', 'R-01 MILK,OAT']],
    ['a never counted bin before one counted long ago', new Map([['A-01', 5]]), new Set(), 1, ['A-02 YOG']],
    ['not a bin with an open count', new Map(), new Set(['A-01']), 1, ['A-02 YOG']],
    ['not an empty bin, nor one outside the layout (the dock)', new Map(), new Set(), 10, ['A-01 MILK', 'A-02 YOG', 'R-01 MILK,OAT']],
  ])('%s', (_name, lastCounted, open, perRun, expected) => {
    expect(binsToCount(stock, lastCounted, open, bins, perRun).map((t) => `${t.bin} ${t.skus.join(',')}`)).toEqual(expected);
  });
});

describe('countTasksFor (a count on demand)', () => {
  const open = [{ taskId: 'count-1', kind: 'count' as const, bin: 'R-01', sku: 'MILK' }];
  it.each<[string, { bin: string; sku?: string }, string]>([
    ['every SKU the bin holds', { bin: 'R-01' }, 'ok OAT'],
    ['the SKU named', { bin: 'A-01', sku: 'MILK' }, 'ok MILK'],
    ['a SKU the bin does not hold yet, when named', { bin: 'R-02', sku: 'YOG' }, 'ok YOG'],
    ['refused: a bin not in the layout', { bin: 'Z-99' }, '400 bin "Z-99" is not in layout.bins; check the bin id (GET /api/v1/layout/bins lists them)'],
    ['refused: an empty bin without a SKU', { bin: 'R-02' }, '400 bin "R-02" holds no stock; name the sku to count'],
    ['refused: a count already open', { bin: 'R-01', sku: 'MILK' }, '409 a count of MILK in bin R-01 is already open (count-1)'],
  ])('%s', (_name, request, expected) => {
    const r = countTasksFor(request, stock, open, bins);
    expect(r.ok ? `ok ${r.skus.join(',')}` : `${r.status} ${r.message}`).toBe(expected);
  });

  it('creates one task.created per SKU with a unique task id', () => {
    const events = countTaskEvents([{ bin: 'R-01', skus: ['MILK', 'OAT'] }], 'cycle count', { origin: 'cycle-count' });
    expect(events.map((e) => e.data)).toEqual([
      { taskId: expect.stringMatching(/^count-R-01-MILK-/), kind: 'count', sku: 'MILK', bin: 'R-01', reason: 'cycle count' },
      { taskId: expect.stringMatching(/^count-R-01-OAT-/), kind: 'count', sku: 'OAT', bin: 'R-01', reason: 'cycle count' },
    ]);
    expect(events[0]!.source).toEqual({ origin: 'cycle-count', taskId: events[0]!.data.taskId });
  });
});

describe('periodMs', () => {
  it.each([['30m', 1_800_000], ['24h', 86_400_000], ['7d', 604_800_000]])('%s', (every, ms) => expect(periodMs(every)).toBe(ms));
  it('says what a period looks like', () => expect(() => periodMs('daily')).toThrow('"daily" is not a period like "30m", "24h" or "7d"'));
});
