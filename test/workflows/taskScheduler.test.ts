import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../config/schema.ts';
import { EventBus } from '../../gateway/core/eventBus.ts';
import { EventLog } from '../../gateway/log/eventLog.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { binsToCount, countTasksFor, countTaskEvents, nextCycleCountAt, nextLocalTime, periodMs, storeTime, TaskScheduler } from '../../gateway/workflows/taskScheduler.ts';

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

describe('nextLocalTime (a time of day in the store zone)', () => {
  const ams = 'Europe/Amsterdam';
  it.each([
    ['later the same day (winter, UTC+1)', '05:30', '2026-12-04T03:00:00Z', '2026-12-04T04:30:00Z'],
    ['the next day once it has passed', '05:30', '2026-12-04T12:00:00Z', '2026-12-05T04:30:00Z'],
    ['exactly at the time: the next day', '05:30', '2026-12-04T04:30:00Z', '2026-12-05T04:30:00Z'],
    ['summer (UTC+2)', '05:30', '2026-07-01T12:00:00Z', '2026-07-02T03:30:00Z'],
    ['across the spring change (29 March 2026)', '05:30', '2026-03-28T12:00:00Z', '2026-03-29T03:30:00Z'],
    ['across the autumn change (25 October 2026)', '05:30', '2026-10-24T12:00:00Z', '2026-10-25T04:30:00Z'],
    ['midnight, west of UTC', '00:00', '2026-12-04T12:00:00Z', '2026-12-05T05:00:00Z'],
    ['from the last hour of the evening before the spring change: the next day, not two', '11:30', '2026-03-28T22:30:00Z', '2026-03-29T09:30:00Z'],
    ['from late evening before the autumn change', '05:30', '2026-10-24T22:30:00Z', '2026-10-25T04:30:00Z'],
  ])('%s', (_name, at, after, expected) => {
    const zone = _name.includes('west') ? 'America/New_York' : ams;
    expect(new Date(nextLocalTime(at, Date.parse(after), zone)).toISOString()).toBe(new Date(expected).toISOString());
  });
});

describe('nextCycleCountAt', () => {
  const ams = 'Europe/Amsterdam';
  const iso = (t: number) => new Date(t).toISOString();
  it.each([
    ['a period alone: the last run plus the period', { every: '24h' }, '2026-12-04T10:00:00Z', '2026-12-05T10:00:00.000Z'],
    ['at 05:30 daily, after a run on time', { every: '1d', at: '05:30' }, '2026-12-04T04:30:02Z', '2026-12-05T04:30:00.000Z'],
    ['at 05:30 daily, after a late run (the gateway was off at 05:30)', { every: '1d', at: '05:30' }, '2026-12-04T13:00:00Z', '2026-12-05T04:30:00.000Z'],
    ['at 05:30 weekly', { every: '7d', at: '05:30' }, '2026-12-07T04:30:01Z', '2026-12-14T04:30:00.000Z'],
    ['at 05:30 daily, after a run 13.5 h late (first stock movement at 19:00)', { every: '1d', at: '05:30' }, '2026-12-04T18:00:00Z', '2026-12-05T04:30:00.000Z'],
    ['at 11:30 daily across the spring change', { every: '1d', at: '11:30' }, '2026-03-28T10:30:05Z', '2026-03-29T09:30:00.000Z'],
    ['at 05:30 daily across the autumn change', { every: '1d', at: '05:30' }, '2026-10-24T03:30:05Z', '2026-10-25T04:30:00.000Z'],
  ])('%s', (_name, schedule, lastRun, expected) => {
    expect(iso(nextCycleCountAt(schedule, Date.parse(lastRun), Date.parse('2026-12-01T00:00:00Z'), ams))).toBe(expected);
  });
  it('never run, started late the evening before the spring change: the next morning', () => {
    expect(iso(nextCycleCountAt({ every: '1d', at: '11:30' }, 0, Date.parse('2026-03-28T22:40:00Z'), ams))).toBe('2026-03-29T09:30:00.000Z');
  });
  it('never run: a period alone is due at once; with a time of day, at its first time after the start', () => {
    const started = Date.parse('2026-12-04T12:00:00Z');
    expect(nextCycleCountAt({ every: '24h' }, 0, started, ams)).toBe(86_400_000);
    expect(iso(nextCycleCountAt({ every: '1d', at: '05:30' }, 0, started, ams))).toBe('2026-12-05T04:30:00.000Z');
  });
});

describe('TaskScheduler with a time of day', () => {
  const tempDir = useTempDir();
  it('started mid-shift, it waits for 05:30 instead of counting at once, then counts when the store clock reaches it', async () => {
    const log = EventLog.open({ file: join(tempDir(), 'gateway.db') });
    const bus = new EventBus();
    let now = Date.parse('2026-12-04T13:00:00Z'); // 14:00 in Amsterdam
    const config = { store: { id: 's', timezone: 'Europe/Amsterdam' }, layout: { bins }, workflows: { cycleCount: { every: '1d', binsPerRun: 1, at: '05:30' } } } as unknown as GatewayConfig;
    const scheduler = new TaskScheduler({ config: () => config, log, bus, logger: pino({ level: 'silent' }), now: () => now });
    await log.append({ type: 'stock.received', data: { sku: 'MILK', bin: 'A-01', qty: 5 } });
    await scheduler.start();
    expect(new Date(scheduler.nextRunAt()!).toISOString()).toBe('2026-12-05T04:30:00.000Z');
    expect(log.query({ type: 'task.created' })).toHaveLength(0);

    // The next morning: the first stock movement after 05:30 finds the run due.
    now = Date.parse('2026-12-05T04:31:00Z');
    const moved = await log.append({ type: 'stock.adjusted', data: { sku: 'MILK', bin: 'A-01', delta: 1, reason: 'found' } });
    bus.emitEventsCommitted([moved.event]);
    await new Promise((r) => setTimeout(r, 50));
    await scheduler.stop();
    expect(log.query({ type: 'task.created' }).map((e) => e.data)).toEqual([expect.objectContaining({ kind: 'count', bin: 'A-01', sku: 'MILK', reason: 'cycle count' })]);
    expect(new Date(scheduler.nextRunAt()!).toISOString()).toBe('2026-12-06T04:30:00.000Z');
    log.close();
  });
});

describe('storeTime', () => {
  it('shows an instant as the store clock does, with the zone', () => {
    expect(storeTime(Date.parse('2026-12-05T04:30:00Z'), 'Europe/Amsterdam')).toBe('2026-12-05 05:30 Europe/Amsterdam');
    expect(storeTime(Date.parse('2026-07-01T23:05:00Z'), 'America/New_York')).toBe('2026-07-01 19:05 America/New_York');
  });
});
