/**
 * A query of the event log by device, station or order, read in windows of sequence numbers
 * with a turn of the event loop between them. Those filters have no index (one on every event
 * would cost every scan's commit), so an order's events are found by reading the log; on a
 * year's log (a million events) one read took about a second, and the scanners waited for it.
 * In windows, a verdict waits for one window at most (a few milliseconds). Queries without those
 * filters go straight to `EventLog.query` (they use the type and seq indexes).
 *
 * @example
 *   const events = await queryInWindows(log, { orderId: 'O-1', limit: 100, descending: true });
 */
import type { LoggedEvent } from './eventCatalogue.ts';
import { defaultQueryLimit, type EventLog, type EventQuery } from './eventLog.ts';

/** Events per window: 5-15 ms of json_extract on the development VM (a window of 20,000 held the event loop up to 34 ms). */
export const eventsPerWindow = 10_000;

/** The same events as `log.query(q)`, in the same order. */
export async function queryInWindows(log: EventLog, q: EventQuery, windowSize = eventsPerWindow): Promise<LoggedEvent[]> {
  if (q.device === undefined && q.station === undefined && q.orderId === undefined) return log.query(q);
  const low = q.afterSeq ?? 0;
  const high = Math.min(q.beforeSeq ?? Infinity, log.lastSeq() + 1);
  const limit = q.limit ?? defaultQueryLimit;
  const found: LoggedEvent[] = [];
  // Windows of (after, before): newest first walks down from `high`, oldest first up from `low`.
  let after = low;
  let before = high;
  while (found.length < limit && before - after > 1) {
    const window = q.descending ? { afterSeq: Math.max(after, before - 1 - windowSize), beforeSeq: before } : { afterSeq: after, beforeSeq: Math.min(before, after + 1 + windowSize) };
    found.push(...log.query({ ...q, ...window, limit: limit - found.length }));
    if (q.descending) before = window.afterSeq + 1;
    else after = window.beforeSeq - 1;
    // Let a scan's verdict through between two windows.
    if (found.length < limit && before - after > 1) await new Promise((resolve) => setImmediate(resolve));
  }
  return found;
}
