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
  return { seq: row.seq, id: row.id, type: row.type, at: row.at, data: row.data };
}

export class EventPusher {
  readonly parked: ParkedItems;
  private partialSince?: { cursor: number; at: number };
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
    const { reader, transport, batchSize, batchMaxAgeMs, state } = this.options;
    const cursor = this.cursor;
    const rows = reader.readAfter(cursor, batchSize);
    if (rows.length === 0) return 'idle';
    if (rows.length < batchSize) {
      // The age bound is measured on our monotonic view, not on the events' `at` (clocks drift).
      if (this.partialSince?.cursor !== cursor) this.partialSince = { cursor, at: this.now() };
      if (this.now() - this.partialSince.at < batchMaxAgeMs) return 'waiting';
    }
    const reply = await transport.pushEvents({ events: rows.map(toWire) });
    const lastSent = rows[rows.length - 1]!.seq;
    const ackSeq = Math.min(reply.ackSeq, lastSent);
    for (const r of reply.rejected) {
      if (r.seq > ackSeq) continue;
      const row = rows.find((x) => x.seq === r.seq);
      this.parked.park({ key: String(r.seq), reason: r.reason, detail: { seq: r.seq, id: r.id, type: row?.type } });
    }
    if (ackSeq > cursor) state.set(syncKeys.pushCursor, String(ackSeq));
    this.partialSince = undefined;
    return { sent: rows.length, ackSeq, rejected: reply.rejected.length };
  }

  /** Re-sends every parked event; those the OMS now accepts leave the parked list. */
  async retryParked(): Promise<{ retried: number; stillParked: number }> {
    const items = this.parked.list();
    const rows = items.map((i) => this.options.reader.readSeq(Number(i.key))).filter((r): r is LogRow => r !== undefined);
    if (rows.length === 0) return { retried: 0, stillParked: items.length };
    const reply = await this.options.transport.pushEvents({ events: rows.map(toWire) });
    const rejected = new Map(reply.rejected.map((r) => [String(r.seq), r]));
    for (const [key, r] of rejected) this.parked.park({ key, reason: r.reason, detail: { seq: r.seq, id: r.id } });
    this.parked.remove(rows.map((r) => String(r.seq)).filter((k) => !rejected.has(k)));
    return { retried: rows.length, stillParked: this.parked.count };
  }
}
