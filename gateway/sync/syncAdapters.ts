/**
 * The event log seen through cloud sync's small interfaces (cloud-sync/syncPorts.ts): a reader of
 * rows after a seq, an applier of feed items as log events, a state store on the log's kv table and
 * a consistent stock snapshot. Kept here so cloud-sync/ never imports gateway/.
 *
 * @example
 *   const ports = syncPortsFor(log);
 *   new CloudSync({ ...ports, config: config.cloud, storeId, logger, registry });
 */
import type { FeedItem } from '../../cloud-sync/omsApi.ts';
import type { ApplyOutcome, FeedApplier, LogReader, LogRow, StockSnapshotSource, SyncStateStore } from '../../cloud-sync/syncPorts.ts';
import { EventValidationError, type EventLog } from '../log/eventLog.ts';
import { isEventType } from '../log/eventCatalogue.ts';

/** The log event id of a feed item: the same item always maps to the same event (idempotency). */
export function feedEventId(item: Pick<FeedItem, 'id'>): string {
  return `oms-feed:${item.id}`;
}

export function syncPortsFor(log: EventLog): { reader: LogReader; applier: FeedApplier; state: SyncStateStore; stock: StockSnapshotSource } {
  // Rows straight from the table with data as stored JSON: push sends it without a parse round.
  const rowsAfter = log.db.prepare('SELECT seq, id, type, at, data AS dataJson FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
  const reader: LogReader = {
    readAfter: (afterSeq, limit) => rowsAfter.all(afterSeq, limit) as LogRow[],
    lastSeq: () => log.lastSeq(),
    readSeq: (seq) => (rowsAfter.all(seq - 1, 1) as LogRow[]).find((e) => e.seq === seq),
  };
  const applier: FeedApplier = {
    async apply(item): Promise<ApplyOutcome> {
      if (!isEventType(item.kind)) return { applied: false, reason: `feed kind "${item.kind}" has no event type in this gateway version` };
      try {
        const { duplicate } = await log.append({ id: feedEventId(item), type: item.kind, data: item.data as never, source: { origin: `oms:${item.id}` } });
        return { applied: true, duplicate };
      } catch (err) {
        if (err instanceof EventValidationError) return { applied: false, reason: err.message };
        throw err;
      }
    },
  };
  const state: SyncStateStore = { get: (k) => log.getKv(k), set: (k, v) => log.setKv(k, v) };
  const stock: StockSnapshotSource = {
    // One read transaction: the rows and the seq they reflect cannot come from different moments.
    snapshot: () =>
      log.db.transaction(() => ({
        asOfSeq: log.lastSeq(),
        stock: log.projections.rows('stock').map((r) => ({ sku: String(r.sku), bin: String(r.bin), lot: String(r.lot), qty: Number(r.qty) })),
      }))(),
  };
  return { reader, applier, state, stock };
}
