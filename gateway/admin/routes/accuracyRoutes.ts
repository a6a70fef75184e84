import { z } from 'zod';
import type { EventLog } from '../../log/eventLog.ts';
import { accuracyFigures } from '../../workflows/accuracy.ts';
import type { ApiRouter } from '../apiRouter.ts';

/** Accuracy per station (and per hour for the console's chart), read from the event log. */
export function addAccuracyRoutes(router: ApiRouter, log: EventLog): void {
  router.add({
    method: 'GET',
    path: '/api/v1/accuracy',
    role: 'viewer',
    tag: 'accuracy',
    summary: 'Verified actions, failures by reason, short units, overrides, weights out of tolerance; per station and per hour (default: the last 24 h)',
    query: z.object({ since: z.iso.datetime({ offset: true }).optional(), station: z.string().optional() }).strict(),
    handler: ({ query }) => {
      const since = query.since ? new Date(query.since).toISOString() : new Date(Date.now() - 86_400_000).toISOString();
      const events = [...log.eventsSince(since)];
      const keep = <T extends { station: string }>(rows: T[]) => rows.filter((r) => !query.station || r.station === query.station);
      const stations = keep(accuracyFigures(events));
      const byHour = new Map<string, { hour: string; scans: number; failures: number }>();
      for (const r of keep(accuracyFigures(events, { byHour: true }))) {
        const h = byHour.get(r.hour!) ?? { hour: r.hour!, scans: 0, failures: 0 };
        h.scans += r.verified + r.failed;
        h.failures += r.failed;
        byHour.set(r.hour!, h);
      }
      return { since, stations, hourly: [...byHour.values()].sort((a, b) => a.hour.localeCompare(b.hour)) };
    },
  });
}
