/**
 * What cloud sync needs from the rest of the gateway, as small interfaces. The composition root
 * (gateway/core/gateway.ts) hands in implementations over the event log; tests hand in fakes.
 * Sync never sees event kinds: a row is `{seq, id, type, at, data}` and stays opaque.
 *
 * @example
 *   const reader: LogReader = { readAfter: (seq, n) => log.readAfter(seq, n), lastSeq: () => log.lastSeq(), readSeq: (s) => log.readAfter(s - 1, 1)[0] };
 */
import type { FeedItem, StockRow } from './omsApi.ts';

export interface LogRow {
  seq: number;
  id: string;
  type: string;
  at: string;
  /** The event data; may be left undefined when `dataJson` is given. */
  data?: unknown;
  /** The data as the JSON text the log stores: lets push skip a parse and re-serialise per event. */
  dataJson?: string;
}

/** Reads the event log in seq order. */
export interface LogReader {
  readAfter(afterSeq: number, limit: number): LogRow[];
  lastSeq(): number;
  /** The row with exactly this seq, if any (for retrying a parked event). */
  readSeq(seq: number): LogRow | undefined;
}

/** Outcome of applying one feed item: appended, already there, or refused with a reason. */
export type ApplyOutcome = { applied: true; duplicate: boolean } | { applied: false; reason: string };

/** Applies a feed item as a log event whose id is derived from the item id (idempotent). */
export interface FeedApplier {
  apply(item: FeedItem): Promise<ApplyOutcome>;
}

/** Small durable key/value state beside the log (cursors, parked lists, status). */
export interface SyncStateStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

/** Stock per (sku, bin, lot) and the log seq it reflects, read in one consistent view. */
export interface StockSnapshotSource {
  snapshot(): { asOfSeq: number; stock: StockRow[] };
}

/** The slice of pino that sync uses. */
export interface SyncLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** Keys under which sync keeps its state (documented in docs/sync.md; read by `sync status`). */
export const syncKeys = {
  pushCursor: 'sync.push.ackSeq',
  feedCursor: 'sync.feed.cursor',
  parkedEvents: 'sync.parked.events',
  parkedFeed: 'sync.parked.feed',
  status: 'sync.status',
  lastSnapshot: 'sync.snapshot.last',
  retryParkedRequest: 'sync.request.retryParked',
  snapshotRequest: 'sync.request.snapshot',
} as const;
