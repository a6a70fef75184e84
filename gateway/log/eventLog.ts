/**
 * The append-only event log: the one truth of the store (DESIGN principle 2).
 *
 * `append()` resolves only after the event is committed to SQLite, so a caller may acknowledge a
 * floor action (green light, beep) as soon as its promise resolves. Appends that arrive in the
 * same turn of the event loop share one transaction (group commit): one fsync for many events.
 * Projections are updated in that same transaction. An event id seen before is not appended
 * again: the append resolves with the event already in the log (`duplicate: true`), which is
 * what makes redelivered device messages and cloud feed items harmless.
 *
 * @example
 *   const log = EventLog.open({ file: 'data/gateway.db' });
 *   const { event } = await log.append({ type: 'stock.received', data: { sku: 'MILK-1L', bin: 'A-01', qty: 12 } });
 *   console.log(event.seq);
 *   log.close();
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { eventSchemas, eventSourceSchema, isEventType, type EventSource, type EventType, type LoggedEvent } from './eventCatalogue.ts';
import { newEventId } from './eventId.ts';
import { latestSchemaVersion, migrate, openIndexes, SchemaTooNewError } from './migrations.ts';
import { Projections, projectionVersion } from './projections.ts';
import { WalCheckpointer } from './walCheckpointer.ts';

export type Durability = 'normal' | 'full';

export interface AppendInput<T extends EventType = EventType> {
  type: T;
  data: z.input<(typeof eventSchemas)[T]>;
  source?: EventSource;
  /** Globally unique; a second append with the same id is a no-op. Defaults to a new UUID. */
  id?: string;
  /** ISO timestamp; defaults to now. */
  at?: string;
}

export interface AppendResult {
  event: LoggedEvent;
  /** true when an event with this id was already in the log (nothing was appended). */
  duplicate: boolean;
}

/**
 * The first seq recorded at or after a time. MIN(+seq), not MIN(seq): the plain form makes SQLite
 * walk seq from 1 instead of using the index on `at` (exported for the test of its query plan).
 */
export const firstSeqSinceSql = 'SELECT MIN(+seq) AS s FROM events WHERE at >= ?';

export interface EventLogOptions {
  file: string;
  durability?: Durability;
  /** Told when checkpoints off the event loop stopped working (walCheckpointer.ts), e.g. to log it. */
  onCheckpointError?: (message: string) => void;
  /** Bound of appends waiting for a commit; beyond it `append` rejects with LogBusyError. */
  maxPending?: number;
  readonly?: boolean;
  /** Called after each commit with the events it added (not duplicates). */
  onCommitted?: (events: LoggedEvent[], batchMs: number) => void;
  /** Progress of the one-off work of opening a log written by an older version (schema upgrade, projections rebuilt). */
  onUpgradeProgress?: (message: string) => void;
}

export class EventValidationError extends Error {
  constructor(type: string, detail: string) {
    super(`event "${type}" was refused: ${detail}`);
    this.name = 'EventValidationError';
  }
}

export class LogBusyError extends Error {
  constructor(file: string, pending: number) {
    super(`event log ${file}: ${pending} appends are already waiting for the disk; the action was not recorded, retry it. If this repeats, the disk is too slow or full`);
    this.name = 'LogBusyError';
  }
}

interface PreparedEvent {
  id: string;
  type: EventType;
  at: string;
  source: EventSource;
  data: LoggedEvent['data'];
  sourceJson: string;
  dataJson: string;
}

interface PendingJob {
  inputs: PreparedEvent[];
  resolve: (results: AppendResult[]) => void;
  reject: (err: Error) => void;
}

interface EventRow {
  seq: number;
  id: string;
  type: string;
  at: string;
  source: string;
  data: string;
}

/** Events a query returns when it names no limit. */
export const defaultQueryLimit = 500;

export interface EventQuery {
  afterSeq?: number;
  beforeSeq?: number;
  /** exact type, or a prefix ending in "." such as "stock." */
  type?: string;
  device?: string;
  /** the station in the event's source */
  station?: string;
  orderId?: string;
  limit?: number;
  /** newest first */
  descending?: boolean;
}

export class EventLog {
  readonly file: string;
  readonly db: Database.Database;
  readonly projections: Projections;
  private readonly maxPending: number;
  private readonly onCommitted?: EventLogOptions['onCommitted'];
  private pending: PendingJob[] = [];
  private pendingCount = 0;
  private flushScheduled = false;
  private closed = false;
  private readonly insert: Database.Statement;
  private readonly byId: Database.Statement;
  /** Prepared at first use: a statement costs more to prepare than a key lookup costs to run. */
  private kvGet?: Database.Statement;
  private kvSet?: Database.Statement;
  private readonly checkpointer?: WalCheckpointer;

  static open(options: EventLogOptions): EventLog {
    return new EventLog(options);
  }

  private constructor(options: EventLogOptions) {
    this.file = options.file;
    this.maxPending = options.maxPending ?? 10_000;
    this.onCommitted = options.onCommitted;
    if (!options.readonly) mkdirSync(dirname(options.file), { recursive: true });
    this.db = new Database(options.file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    this.db.pragma('busy_timeout = 5000');
    if (options.readonly) {
      migrateCheckOnly(this.db, options.file);
    } else {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
      // Checkpoints run on a thread of their own, not inside a commit (walCheckpointer.ts); if
      // that thread fails, SQLite checkpoints in the commits again, as it does by default.
      this.db.pragma('wal_autocheckpoint = 0');
      // After a flood grew the WAL file, it shrinks back to 64 MB the next time it starts over.
      this.db.pragma('journal_size_limit = 67108864');
      this.checkpointer = new WalCheckpointer({
        file: options.file,
        checkpointHere: () => this.db.pragma('wal_checkpoint(PASSIVE)'),
        onError: (message) => {
          if (this.closed) return;
          this.db.pragma('wal_autocheckpoint = 1000');
          options.onCheckpointError?.(`${message}; SQLite checkpoints inside the commits again until the gateway restarts`);
        },
      });
      const from = this.db.pragma('user_version', { simple: true }) as number;
      if (from > 0 && from < latestSchemaVersion) options.onUpgradeProgress?.(`upgrading the event log ${options.file} from schema version ${from} to ${latestSchemaVersion}`);
      migrate(this.db, options.file);
      const hadIndexes = this.db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'index' AND name IN ('events_at', 'events_label_sscc', 'events_picked_tote')").get() as { n: number };
      if (hadIndexes.n < 3 && from > 0) options.onUpgradeProgress?.(`indexing the event log ${options.file} by time, bag label and tote, once; a large log takes a while (about 1.5 s per million events)`);
      this.db.exec(openIndexes);
    }
    this.projections = new Projections(this.db);
    if (!options.readonly) this.ensureProjections(options.onUpgradeProgress);
    this.insert = this.db.prepare(
      options.readonly ? 'SELECT 1' : 'INSERT INTO events (id, type, at, source, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
    );
    this.byId = this.db.prepare('SELECT * FROM events WHERE id = ?');
  }

  /** Appends one event; resolves after its commit. */
  async append<T extends EventType>(input: AppendInput<T>): Promise<AppendResult> {
    const [result] = await this.appendAll([input]);
    return result!;
  }

  /** Appends several events in one transaction: all or none (a workflow's effects). */
  appendAll(inputs: AppendInput[]): Promise<AppendResult[]> {
    if (this.closed) return Promise.reject(new Error(`event log ${this.file} is closed; the gateway is stopping`));
    let prepared: PreparedEvent[];
    try {
      prepared = inputs.map((input) => this.validate(input));
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.pendingCount + prepared.length > this.maxPending) return Promise.reject(new LogBusyError(this.file, this.pendingCount));
    return new Promise((resolve, reject) => {
      this.pending.push({ inputs: prepared, resolve, reject });
      this.pendingCount += prepared.length;
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private validate(input: AppendInput): PreparedEvent {
    if (!isEventType(input.type)) throw new EventValidationError(String(input.type), 'unknown event type; see gateway/log/eventCatalogue.ts for the catalogue');
    const data = eventSchemas[input.type].safeParse(input.data);
    if (!data.success) throw new EventValidationError(input.type, z.prettifyError(data.error).replace(/\n/g, '; '));
    const source = eventSourceSchema.safeParse(input.source ?? {});
    if (!source.success) throw new EventValidationError(input.type, `source: ${z.prettifyError(source.error).replace(/\n/g, '; ')}`);
    return {
      id: input.id ?? newEventId(),
      type: input.type,
      at: input.at ?? new Date().toISOString(),
      source: source.data,
      data: data.data as LoggedEvent['data'],
      sourceJson: JSON.stringify(source.data),
      dataJson: JSON.stringify(data.data),
    };
  }

  /**
   * Commits what is waiting. Callers' promises resolve first, so a verdict goes to its device as
   * soon as its event is committed; `onCommitted` listeners (metrics, the bus, order assignment,
   * replenishment) run right after, in the same turn of the event loop, before any other I/O.
   */
  private flush(closing = false): void {
    this.flushScheduled = false;
    const jobs = this.pending;
    this.pending = [];
    this.pendingCount = 0;
    if (jobs.length === 0) return;
    const started = performance.now();
    let outcomes: Array<AppendResult[] | Error>;
    try {
      outcomes = this.commit(jobs, false);
    } catch {
      // Something in the batch failed: redo it with a savepoint per caller, so one caller's
      // failure does not undo the others' events. Failures are rare; the fast path has no savepoints.
      try {
        outcomes = this.commit(jobs, true);
      } catch (err) {
        const failure = new Error(`event log ${this.file}: commit failed (${(err as Error).message}); nothing in this batch was recorded`);
        for (const job of jobs) job.reject(failure);
        return;
      }
    }
    this.checkpointer?.committed();
    const committed: LoggedEvent[] = [];
    jobs.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome instanceof Error) job.reject(outcome);
      else {
        for (const r of outcome) if (!r.duplicate) committed.push(r.event);
        job.resolve(outcome);
      }
    });
    if (committed.length === 0 || !this.onCommitted) return;
    const batchMs = performance.now() - started;
    // Queued behind the resolutions above: their awaiting callers run first. On close there is
    // no later: listeners run now, while the database is still open.
    if (closing) this.onCommitted(committed, batchMs);
    else queueMicrotask(() => this.onCommitted!(committed, batchMs));
  }

  private commit(jobs: PendingJob[], isolate: boolean): Array<AppendResult[] | Error> {
    return this.db.transaction(() =>
      jobs.map((job) => {
        if (!isolate) return job.inputs.map((row) => this.insertOne(row));
        try {
          return this.db.transaction(() => job.inputs.map((row) => this.insertOne(row)))();
        } catch (err) {
          return err as Error;
        }
      }),
    )();
  }

  private insertOne(row: PreparedEvent): AppendResult {
    const { changes, lastInsertRowid } = this.insert.run(row.id, row.type, row.at, row.sourceJson, row.dataJson);
    if (changes === 0) return { event: toEvent(this.byId.get(row.id) as EventRow), duplicate: true };
    const event: LoggedEvent = { seq: Number(lastInsertRowid), id: row.id, type: row.type, at: row.at, source: row.source, data: row.data };
    this.projections.apply(event);
    return { event, duplicate: false };
  }

  /** Events after a sequence number, in order: what sync pushes and `log --follow` prints. */
  readAfter(afterSeq: number, limit = defaultQueryLimit): LoggedEvent[] {
    return this.query({ afterSeq, limit });
  }

  /**
   * The events recorded at or after `since` (ISO time; all of them without it), in seq order,
   * read in pages from the first such event (found through the index on `at`), so a window of a
   * day does not read a year of log. Correct also when the clock stepped back: events are kept
   * by their time, not by their place in the log.
   *
   * @example
   *   for (const e of log.eventsSince('2026-12-03T00:00:00.000Z')) count(e);
   */
  *eventsSince(since?: string, pageSize = 5000): Generator<LoggedEvent> {
    const first = since === undefined ? 1 : ((this.db.prepare(firstSeqSinceSql).get(since) as { s: number | null }).s ?? undefined);
    if (first === undefined) return;
    for (let after = first - 1; ; ) {
      const page = this.readAfter(after, pageSize);
      if (page.length === 0) return;
      for (const e of page) if (since === undefined || e.at >= since) yield e;
      after = page[page.length - 1]!.seq;
    }
  }

  query(q: EventQuery = {}): LoggedEvent[] {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (clause: string, ...values: unknown[]) => {
      where.push(clause);
      args.push(...values);
    };
    if (q.afterSeq !== undefined) add('seq > ?', q.afterSeq);
    if (q.beforeSeq !== undefined) add('seq < ?', q.beforeSeq);
    // "stock." is a prefix: every type from "stock." up to "stock/" (the next character).
    if (q.type?.endsWith('.')) add('type >= ? AND type < ?', q.type, `${q.type.slice(0, -1)}/`);
    else if (q.type) add('type = ?', q.type);
    if (q.device) add("json_extract(source, '$.device') = ?", q.device);
    if (q.station) add("json_extract(source, '$.station') = ?", q.station);
    if (q.orderId) add("(json_extract(source, '$.orderId') = ? OR json_extract(data, '$.orderId') = ?)", q.orderId, q.orderId);
    const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ${q.descending ? 'DESC' : 'ASC'} LIMIT ?`;
    args.push(q.limit ?? defaultQueryLimit);
    return (this.db.prepare(sql).all(...args) as EventRow[]).map(toEvent);
  }

  getById(id: string): LoggedEvent | undefined {
    const row = this.byId.get(id) as EventRow | undefined;
    return row ? toEvent(row) : undefined;
  }

  lastSeq(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM events').get() as { s: number }).s;
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  }

  /** Small durable settings beside the log (sync cursors, SSCC serials). */
  getKv(key: string): string | undefined {
    this.kvGet ??= this.db.prepare('SELECT value FROM kv WHERE key = ?');
    return (this.kvGet.get(key) as { value: string } | undefined)?.value;
  }

  setKv(key: string, value: string): void {
    this.kvSet ??= this.db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.kvSet.run(key, value);
  }

  /** Commits what is waiting and closes the database. */
  close(): void {
    if (this.closed) return;
    this.flush(true);
    this.closed = true;
    this.checkpointer?.close();
    this.db.close();
  }

  /** Rebuilds projections when their shape changed since they were written, saying how far it got on a large log. */
  private ensureProjections(progress?: (message: string) => void): void {
    const stored = Number(this.getKv('projection_version') ?? 0);
    if (stored === projectionVersion) {
      // Same shape: only an index added since (all IF NOT EXISTS) is created, without a rebuild.
      this.projections.createTables();
      return;
    }
    const total = this.lastSeq();
    const started = performance.now();
    const say = total > 0 ? progress : undefined;
    say?.(`rebuilding stock, orders and catalog (projection version ${stored} -> ${projectionVersion}) from ${total} events`);
    let applied = 0;
    let nextReport = 250_000;
    this.db.transaction(() => {
      this.projections.dropTables();
      this.projections.createTables();
      for (let after = 0; ; ) {
        const batch = this.readAfter(after, 5000);
        if (batch.length === 0) break;
        for (const e of batch) this.projections.apply(e);
        after = batch[batch.length - 1]!.seq;
        applied += batch.length;
        if (applied >= nextReport) {
          say?.(`rebuilding: ${applied} of ${total} events (${Math.round((applied / total) * 100)} %)`);
          nextReport += 250_000;
        }
      }
      this.setKv('projection_version', String(projectionVersion));
    })();
    say?.(`rebuilt stock, orders and catalog from ${applied} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

function migrateCheckOnly(db: Database.Database, file: string): void {
  // A read-only reader still refuses a newer schema: it would misread the rows.
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === 0) throw new Error(`${file} is not a gateway event log (no schema); check the data folder`);
  if (version > latestSchemaVersion) throw new SchemaTooNewError(file, version);
}

function toEvent(row: EventRow): LoggedEvent {
  return { seq: row.seq, id: row.id, type: row.type as EventType, at: row.at, source: JSON.parse(row.source), data: JSON.parse(row.data) };
}
