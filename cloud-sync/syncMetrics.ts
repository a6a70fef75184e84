/**
 * Prometheus metrics of cloud sync, registered on the gateway's registry: backlog length, age of
 * the oldest unsent event, last success, parked items, drift, clock skew. Gauges are computed when
 * scraped, from the same state `sync status` reads.
 *
 * @example
 *   new SyncMetrics(metrics.registry, () => ({ backlog: 12, oldestUnsentAgeSeconds: 3, ... }));
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export interface SyncGaugeValues {
  backlog: number;
  oldestUnsentAgeSeconds: number;
  lastSuccessSeconds: number;
  parkedEvents: number;
  parkedFeedItems: number;
  driftRows: number;
  clockSkewSeconds: number;
}

export class SyncMetrics {
  readonly pushedEvents: Counter;
  readonly feedItems: Counter;
  readonly failures: Counter;

  constructor(registry: Registry, values: () => SyncGaugeValues) {
    const gauge = (name: string, help: string, pick: (v: SyncGaugeValues) => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(pick(values()));
        },
      });
    gauge('dsgw_sync_backlog_events', 'Events in the log not yet acknowledged by the OMS', (v) => v.backlog);
    gauge('dsgw_sync_oldest_unsent_age_seconds', 'Age of the oldest event not yet acknowledged (0 when none)', (v) => v.oldestUnsentAgeSeconds);
    gauge('dsgw_sync_last_success_timestamp_seconds', 'Unix time of the last successful exchange with the OMS (0 = never)', (v) => v.lastSuccessSeconds);
    gauge('dsgw_sync_parked_events', 'Pushed events the OMS rejected, waiting for sync retry-parked', (v) => v.parkedEvents);
    gauge('dsgw_sync_parked_feed_items', 'Feed items that could not be applied, waiting for sync retry-parked', (v) => v.parkedFeedItems);
    gauge('dsgw_sync_drift_rows', 'Rows (sku, bin, lot) where the last snapshot disagreed with the OMS', (v) => v.driftRows);
    gauge('dsgw_sync_clock_skew_seconds', 'OMS clock minus ours at the last reply (reported, never used for ordering)', (v) => v.clockSkewSeconds);
    this.pushedEvents = new Counter({ name: 'dsgw_sync_pushed_events_total', help: 'Events acknowledged by the OMS', registers: [registry] });
    this.feedItems = new Counter({ name: 'dsgw_sync_feed_items_total', help: 'Feed items handled, by outcome', labelNames: ['outcome'], registers: [registry] });
    this.failures = new Counter({ name: 'dsgw_sync_failures_total', help: 'Failed exchanges with the OMS, by activity', labelNames: ['activity'], registers: [registry] });
  }
}
