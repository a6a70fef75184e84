/**
 * Count tasks on demand and on a schedule. On demand, `countTasksFor` turns a request for a bin
 * (and optionally a SKU) into `task.created` kind count, one per SKU in the bin, refusing one
 * already open. On a schedule (`workflows.cycleCount: { every, binsPerRun, at? }`), the TaskScheduler
 * component creates count tasks for the bins counted longest ago (never counted first). The last
 * run is kept in the log's key-value table, so a restart neither repeats a run nor skips one: a
 * run that was due while the gateway was down happens at start. Counts are worked at the
 * receiving station like the count after a short pick.
 *
 * @example
 *   binsToCount(stock, new Map([['A-01', 120]]), new Set(), bins, 1) // [{ bin: 'A-02', skus: ['YOG'] }]
 *   const scheduler = new TaskScheduler({ config: () => config, log, bus, logger });
 *   await scheduler.start();
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { BinConfig, GatewayConfig } from '../../config/schema.ts';
import type { EventBus } from '../core/eventBus.ts';
import type { EventSource } from '../log/eventCatalogue.ts';
import type { AppendInput, EventLog } from '../log/eventLog.ts';
import { BackOfHouseLedger, type OpenTask } from './backOfHouseLedger.ts';
import type { StockRow } from './pickPlanner.ts';

/** "30m", "24h", "7d" in milliseconds. */
export function periodMs(every: string): number {
  const m = /^(\d+)(m|h|d)$/.exec(every);
  if (!m) throw new Error(`"${every}" is not a period like "30m", "24h" or "7d"`);
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
}

const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** The store's wall clock at `t` in `timeZone`: year, month, day, hour, minute (one formatter per zone: building one costs more than using it). */
function wallClock(t: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number } {
  let format = wallClocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    wallClocks.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(t)).map((p) => [p.type, Number(p.value)])) as Record<string, number>;
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

/** The instant the clock in `timeZone` shows `h:m` on the calendar day `day` of `month` (days past the month's end roll over). */
function zonedInstant(year: number, month: number, day: number, h: number, m: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, h, m);
  const offsetAt = (t: number) => {
    const c = wallClock(t, timeZone);
    return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute) - Math.floor(t / 60_000) * 60_000;
  };
  // Two passes: the offset at the first guess can differ from the offset at the answer around a clock change.
  const guess = wall - offsetAt(wall);
  return wall - offsetAt(guess);
}

/** `t` as the store's clock shows it: "2026-12-05 05:30 Europe/Amsterdam". */
export function storeTime(t: number, timeZone: string): string {
  const c = wallClock(t, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${c.year}-${two(c.month)}-${two(c.day)} ${two(c.hour)}:${two(c.minute)} ${timeZone}`;
}

/**
 * The first instant after `after` (ms since the epoch) when the store's clock in `timeZone`
 * shows `hhmm` ("05:30"). Candidates step over calendar days, never 24 h, so the short and the
 * long night of a clock change are counted as one day each; on the night clocks go forward a
 * time that does not exist comes out an hour off, on the night they go back the first of the two.
 *
 * @example
 *   nextLocalTime('05:30', Date.parse('2026-12-04T12:00:00Z'), 'Europe/Amsterdam') // Date.parse('2026-12-05T04:30:00Z')
 */
export function nextLocalTime(hhmm: string, after: number, timeZone: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const today = wallClock(after, timeZone);
  for (let k = -1; k <= 2; k++) {
    const t = zonedInstant(today.year, today.month, today.day + k, h, m, timeZone);
    if (t > after) return t;
  }
  throw new Error(`no ${hhmm} in ${timeZone} within two days of ${new Date(after).toISOString()}`);
}

/** The last instant at or before `at` when the store's clock showed `hhmm`. */
export function previousLocalTime(hhmm: string, at: number, timeZone: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const today = wallClock(at, timeZone);
  for (let k = 1; k >= -2; k--) {
    const t = zonedInstant(today.year, today.month, today.day + k, h, m, timeZone);
    if (t <= at) return t;
  }
  throw new Error(`no ${hhmm} in ${timeZone} within two days before ${new Date(at).toISOString()}`);
}

/**
 * When the next cycle count is due (ms since the epoch). Every `every` after the last run; with
 * `at`, at that store-local time of day instead: `every` after the slot the last run belonged to
 * (the last `at` at or before it), so a run made late because the gateway was off does not move
 * the next one; never run before, the first `at` after the gateway started. A due time in the
 * past runs now.
 *
 * @example
 *   nextCycleCountAt({ every: '1d', at: '05:30' }, Date.parse('2026-12-04T04:30:02Z'), 0, 'Europe/Amsterdam') // 2026-12-05T04:30:00Z
 */
export function nextCycleCountAt(schedule: { every: string; at?: string }, lastRun: number, startedAt: number, timeZone: string): number {
  if (!schedule.at) return lastRun + periodMs(schedule.every);
  if (lastRun === 0) return nextLocalTime(schedule.at, startedAt, timeZone);
  // Half a day short of the period: a clock change (23 or 25 h days) never skips or repeats a slot.
  return nextLocalTime(schedule.at, previousLocalTime(schedule.at, lastRun, timeZone) + periodMs(schedule.every) - 12 * 3_600_000, timeZone);
}

/**
 * The bins a cycle count should count next: bins of the layout holding stock and without an
 * open count, least recently counted first (never counted before any), then by bin id.
 */
export function binsToCount(
  stock: readonly Pick<StockRow, 'sku' | 'bin' | 'qty'>[],
  lastCounted: ReadonlyMap<string, number>,
  openCountBins: ReadonlySet<string>,
  bins: readonly Pick<BinConfig, 'id'>[],
  binsPerRun: number,
): Array<{ bin: string; skus: string[] }> {
  const layout = new Set(bins.map((b) => b.id));
  const skus = new Map<string, Set<string>>();
  for (const s of stock) {
    if (s.qty === 0 || !layout.has(s.bin) || openCountBins.has(s.bin)) continue;
    (skus.get(s.bin) ?? skus.set(s.bin, new Set()).get(s.bin)!).add(s.sku);
  }
  return [...skus.keys()]
    .sort((a, b) => (lastCounted.get(a) ?? 0) - (lastCounted.get(b) ?? 0) || a.localeCompare(b))
    .slice(0, binsPerRun)
    .map((bin) => ({ bin, skus: [...skus.get(bin)!].sort() }));
}

export type CountRequest = { ok: true; skus: string[] } | { ok: false; status: 400 | 409; message: string };

/** Which SKUs a count of `bin` (and `sku`, when named) covers, or why it cannot be created. */
export function countTasksFor(
  request: { bin: string; sku?: string },
  stock: readonly Pick<StockRow, 'sku' | 'bin' | 'qty'>[],
  open: readonly Pick<OpenTask, 'taskId' | 'kind' | 'bin' | 'sku'>[],
  bins: readonly Pick<BinConfig, 'id'>[],
): CountRequest {
  const { bin, sku } = request;
  if (!bins.some((b) => b.id === bin)) return { ok: false, status: 400, message: `bin "${bin}" is not in layout.bins; check the bin id (GET /api/v1/layout/bins lists them)` };
  const held = [...new Set(stock.filter((s) => s.bin === bin && s.qty !== 0).map((s) => s.sku))].sort();
  const skus = sku ? [sku] : held;
  if (skus.length === 0) return { ok: false, status: 400, message: `bin "${bin}" holds no stock; name the sku to count` };
  const already = open.filter((t) => t.kind === 'count' && t.bin === bin && t.sku !== undefined && skus.includes(t.sku));
  if (already.length === skus.length) {
    return { ok: false, status: 409, message: `a count of ${already.map((t) => t.sku).join(', ')} in bin ${bin} is already open (${already.map((t) => t.taskId).join(', ')})` };
  }
  return { ok: true, skus: skus.filter((s) => !already.some((t) => t.sku === s)) };
}

/** The `task.created` events of count tasks. */
export function countTaskEvents(targets: Array<{ bin: string; skus: string[] }>, reason: string, source: EventSource): AppendInput<'task.created'>[] {
  return targets.flatMap(({ bin, skus }) =>
    skus.map((sku) => {
      const taskId = `count-${bin}-${sku}-${randomUUID().slice(0, 8)}`;
      return { type: 'task.created' as const, data: { taskId, kind: 'count' as const, sku, bin, reason }, source: { ...source, taskId } };
    }),
  );
}

export interface TaskSchedulerOptions {
  config: () => GatewayConfig;
  log: EventLog;
  bus: EventBus;
  logger: Logger;
  now?: () => number;
}

const lastRunKey = 'cycleCount.lastRun';

export class TaskScheduler {
  readonly name = 'task-scheduler';
  private readonly options: TaskSchedulerOptions;
  private ledger!: BackOfHouseLedger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  /** The last run (ms since the epoch), read from the log's key-value table once at start. */
  private lastRun = 0;
  /** When this scheduler started: a schedule with a time of day that never ran waits for its first `at` after it. */
  private startedAt = 0;
  private nextRun?: { key: string; at: number };

  constructor(options: TaskSchedulerOptions) {
    this.options = options;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.ledger = new BackOfHouseLedger(this.options.log, () => this.options.config().layout.bins);
    this.lastRun = Number(this.options.log.getKv(lastRunKey) ?? 0);
    this.startedAt = this.now();
    // A store with no stock yet has nothing to count: the first stock to arrive triggers the due run.
    this.options.bus.onEventsCommitted(this, (events) => {
      if (events.some((e) => e.type.startsWith('stock.'))) this.runIfDue();
    });
    this.runIfDue();
    await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.options.bus.removeOwner(this);
    await this.running;
  }

  /** When the next run is due (ms since the epoch), or undefined without a schedule. */
  nextRunAt(): number | undefined {
    const schedule = this.options.config().workflows.cycleCount;
    if (!schedule) return undefined;
    // Asked on every stock movement: computed once per last run and schedule.
    const key = `${this.lastRun}|${this.startedAt}|${schedule.every}|${schedule.at ?? ''}|${this.options.config().store.timezone}`;
    if (this.nextRun?.key !== key) this.nextRun = { key, at: nextCycleCountAt(schedule, this.lastRun, this.startedAt, this.options.config().store.timezone) };
    return this.nextRun.at;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private runIfDue(): void {
    if (this.running || this.stopped) return;
    const due = this.nextRunAt();
    if (due === undefined) return;
    if (due > this.now()) return this.schedule(due);
    this.running = this.run()
      .catch((err: Error) => this.options.logger.error({ component: this.name, err: err.message }, 'the cycle count run failed; it is tried again at the next stock movement'))
      .finally(() => {
        this.running = undefined;
        const next = this.nextRunAt();
        if (next !== undefined && next > this.now()) this.schedule(next);
      });
  }

  private schedule(at: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    // setTimeout holds at most ~24.8 days; a longer period simply checks again then.
    this.timer = setTimeout(() => this.runIfDue(), Math.min(Math.max(0, at - this.now()), 2 ** 31 - 1));
    this.timer.unref();
  }

  private async run(): Promise<void> {
    const { config, log, logger } = this.options;
    const schedule = config().workflows.cycleCount!;
    const stock = log.db.prepare('SELECT sku, bin, qty FROM stock WHERE qty != 0').all() as Array<Pick<StockRow, 'sku' | 'bin' | 'qty'>>;
    if (stock.length === 0) return;
    const openBins = new Set(this.ledger.openTasks('count').map((t) => t.bin));
    const targets = binsToCount(stock, this.ledger.lastCounted(), openBins, config().layout.bins, schedule.binsPerRun);
    const events = countTaskEvents(targets, 'cycle count', { origin: 'cycle-count' });
    if (events.length > 0) await log.appendAll(events);
    const now = this.now();
    log.setKv(lastRunKey, String(now));
    this.lastRun = now;
    logger.info({ component: this.name, bins: targets.map((t) => t.bin), tasks: events.length }, `cycle count: ${events.length} count tasks in ${targets.length} bins; next at ${storeTime(this.nextRunAt()!, config().store.timezone)}`);
  }
}
