import { z } from 'zod';
import type { EventLog } from '../../log/eventLog.ts';
import { queryInWindows } from '../../log/windowedQuery.ts';
import type { ApiRouter } from '../apiRouter.ts';

/** The event log, filtered and paged newest first; `before` is the cursor for the next page. */
export function addEventRoutes(router: ApiRouter, log: EventLog): void {
  router.add({
    method: 'GET',
    path: '/api/v1/events',
    role: 'viewer',
    tag: 'events',
    summary: 'Events of the log, newest first (oldest first with after=); filter by type (or prefix ending in "."), device, order; page with the next cursor',
    query: z
      .object({
        type: z.string().optional(),
        device: z.string().optional(),
        order: z.string().optional(),
        before: z.coerce.number().int().positive().optional(),
        after: z.coerce.number().int().min(0).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    // By device or order there is no index: the log is read in windows, so scans keep their verdicts meanwhile.
    handler: async ({ query }) => {
      const events = await queryInWindows(log, {
        type: query.type,
        device: query.device,
        orderId: query.order,
        beforeSeq: query.before,
        afterSeq: query.after,
        limit: query.limit,
        descending: query.after === undefined,
      });
      const last = events.at(-1);
      // The next page goes the same way: older with before=, newer with after=.
      const cursor = query.after === undefined ? 'before' : 'after';
      return { events, next: events.length === query.limit && last ? `${cursor}=${last.seq}` : null, lastSeq: log.lastSeq() };
    },
  });
}
