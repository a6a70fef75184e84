/**
 * Push: the log after the acknowledged cursor, in seq order, in batches bounded by size and age.
 * The cursor moves only on the OMS's acknowledgement, after rejected events are parked, so a crash
 * anywhere re-sends at most what was not acknowledged, and the OMS's (store, seq) idempotency makes
 * that re-send harmless. There is no second queue: the outbox is the log itself.
 *
 * @example
 *   const pusher = new EventPusher({ reader, state, transport, batchSize: 200, batchMaxAgeMs: 250 });
 *   const outcome = await pusher.pushOnce(); // { sent: 200, ackSeq: 200, rejected: 0 } or 'idle' / 'waiting'
 */
import type { WireEvent } from './omsApi.ts';
import type { OmsTransport } from './omsTransport.ts';
import { ParkedItems } from './parkedItems.ts';
import { syncKeys, type LogReader, type LogRow, type SyncStateStore } from './syncPorts.ts';

export interface EventPusherOptions {
  reader: LogReader;
  state: SyncStateStore;
  transport: OmsTransport;
  batchSize: number;
  /** A batch smaller than batchSize waits at most this long for company. */
  batchMaxAgeMs: number;
  now?: () => number;
}

export type PushOutcome = 'idle' | 'waiting' | { sent: number; ackSeq: number; rejected: number };

export function toWire(row: LogRow): WireEvent {
  return { seq: row.seq, id: row.id, type: row.type, at: row.at, data: row.dataJson !== undefined ? JSON.parse(row.dataJson) : row.data };
}

/** The push body as JSON text, built from the stored JSON of each event's data (no parse round). */
export function serializePush(rows: LogRow[]): string {
  const parts = rows.map(
    (r) => `{"seq":${r.seq},"id":${JSON.stringify(r.id)},"type":${JSON.stringify(r.type)},"at":${JSON.stringify(r.at)},"data":${r.dataJson ?? JSON.stringify(r.data ?? null)}}`,
  );
  return `{"events":[${parts.join(',')}]}`;
}

interface PreparedBatch {
  afterSeq: number;
  rows: LogRow[];
  body: string;
}

export class EventPusher {
  readonly parked: ParkedItems;
  private partialSince?: { cursor: number; at: number };
  /** The next batch, read and serialised while the previous one was in flight. */
  private prefetched?: PreparedBatch;
  private readonly now: () => number;

  constructor(private readonly options: EventPusherOptions) {
    this.parked = new ParkedItems(options.state, syncKeys.parkedEvents);
    this.now = options.now ?? Date.now;
  }

  get cursor(): number {
    return Number(this.options.state.get(syncKeys.pushCursor) ?? 0);
  }

  /** Events in the log not yet acknowledged by the OMS. */
  backlog(): number {
    return Math.max(0, this.options.reader.lastSeq() - this.cursor);
  }

  /** The oldest unacknowledged event, if any. */
  oldestUnsent(): LogRow | undefined {
    return this.options.reader.readAfter(this.cursor, 1)[0];
  }

  /** Sends one batch; rejects (OmsRequestError) when the OMS does not acknowledge it. */
  async pushOnce(): Promise<PushOutcome> {
    const { transport, batchSize, batchMaxAgeMs, state } = this.options;
    const cursor = this.cursor;
    const batch = this.prefetched?.afterSeq === cursor ? this.prefetched : this.prepare(cursor);
    this.prefetched = undefined;
    const { rows } = batch;
    if (rows.length === 0) return 'idle';
    if (rows.length < batchSize) {
      // The age bound is measured on our monotonic view, not on the events' `at` (clocks drift).
      if (this.partialSince?.cursor !== cursor) this.partialSince = { cursor, at: this.now() };
      if (this.now() - this.partialSince.at < batchMaxAgeMs) return 'waiting';
    }
    const lastSent = rows[rows.length - 1]!.seq;
    // Settled into a value at once: a failure while the next batch is being prepared is not an unhandled rejection.
    const sending = transport.pushEvents(batch.body).then(
      (reply) => ({ reply }),
      (error: unknown) => ({ error }),
    );
    // While the OMS works on this batch, read and serialise the next one (it is used only if this
    // one is acknowledged in full; order and the cursor rule do not change).
    if (rows.length === batchSize) {
      await new Promise((r) => setTimeout(r, 1));
      this.prefetched = this.prepare(lastSent);
    }
    const outcome = await sending;
    if ('error' in outcome) {
      this.prefetched = undefined;
      throw outcome.error;
    }
    const { reply } = outcome;
    const ackSeq = Math.min(reply.ackSeq, lastSent);
    const typeOf = new Map(rows.map((x) => [x.seq, x.type]));
    this.parked.parkAll(reply.rejected.filter((r) => r.seq <= ackSeq).map((r) => ({ key: String(r.seq), reason: r.reason, detail: { seq: r.seq, id: r.id, type: typeOf.get(r.seq) } })));
    if (ackSeq > cursor) state.set(syncKeys.pushCursor, String(ackSeq));
    this.partialSince = undefined;
    return { sent: rows.length, ackSeq, rejected: reply.rejected.length };
  }

  private prepare(afterSeq: number): PreparedBatch {
    const rows = this.options.reader.readAfter(afterSeq, this.options.batchSize);
    return { afterSeq, rows, body: rows.length ? serializePush(rows) : '' };
  }

  /**
   * Re-sends every parked event, in requests of at most `batchSize` events in seq order; those
   * the OMS now accepts leave the parked list. A request that fails stops the retry there: what
   * was not sent stays parked.
   */
  async retryParked(): Promise<{ retried: number; stillParked: number }> {
    const seqs = this.parked
      .list()
      .map((i) => Number(i.key))
      .sort((a, b) => a - b);
    let retried = 0;
    for (let i = 0; i < seqs.length; i += this.options.batchSize) {
      const rows = seqs
        .slice(i, i + this.options.batchSize)
        .map((seq) => this.options.reader.readSeq(seq))
        .filter((r): r is LogRow => r !== undefined);
      if (rows.length === 0) continue;
      const reply = await this.options.transport.pushEvents(serializePush(rows));
      const rejected = new Map(reply.rejected.map((r) => [String(r.seq), r]));
      this.parked.parkAll([...rejected].map(([key, r]) => ({ key, reason: r.reason, detail: { seq: r.seq, id: r.id } })));
      // Only what the OMS acknowledged leaves the list: a reply that stops short keeps the rest parked.
      this.parked.remove(rows.filter((r) => r.seq <= reply.ackSeq && !rejected.has(String(r.seq))).map((r) => String(r.seq)));
      retried += rows.length;
    }
    return { retried, stillParked: this.parked.count };
  }
}
