/**
 * Accuracy figures read from the event log: per station (and, when asked, per hour), how many
 * floor actions were verified, how many were refused and why, units short, supervisor
 * overrides, checkweighs out of tolerance. The log is the source, so the report agrees with the
 * audit trail and can be run for any past period. Scans that were never decided (a station
 * with no order) are counted by the Prometheus metrics only.
 *
 * @example
 *   const rows = accuracyFigures(log.query({ afterSeq: 0, limit: 100_000 }), { byHour: true });
 */
import type { LoggedEvent } from '../log/eventCatalogue.ts';

export interface AccuracyRow {
  station: string;
  /** Start of the hour (ISO, UTC) when grouped by hour, else undefined. */
  hour?: string;
  verified: number;
  failed: number;
  failures: Record<string, number>;
  shortUnits: number;
  overrides: number;
  outOfTolerance: number;
  /** verified / (verified + failed), 1 when nothing was decided. */
  accuracy: number;
}

const verifiedTypes = new Set(['stock.picked', 'order.packed', 'order.dispatched', 'stock.received', 'stock.putaway', 'stock.moved', 'stock.counted', 'stock.returned']);

export function accuracyFigures(events: Iterable<LoggedEvent>, options: { byHour?: boolean } = {}): AccuracyRow[] {
  const rows = new Map<string, AccuracyRow>();
  for (const e of events) {
    const station = e.source.station ?? (e.data as { station?: string }).station;
    if (!station) continue;
    const hour = options.byHour ? `${e.at.slice(0, 13)}:00Z` : undefined;
    const key = `${station}|${hour ?? ''}`;
    let row = rows.get(key);
    if (!row) {
      row = { station, ...(hour ? { hour } : {}), verified: 0, failed: 0, failures: {}, shortUnits: 0, overrides: 0, outOfTolerance: 0, accuracy: 1 };
      rows.set(key, row);
    }
    if (verifiedTypes.has(e.type)) row.verified++;
    else if (e.type === 'verification.failed') {
      const reason = (e.data as { reason: string }).reason;
      row.failed++;
      row.failures[reason] = (row.failures[reason] ?? 0) + 1;
      if (reason === 'pack.weightOutOfTolerance') row.outOfTolerance++;
    } else if (e.type === 'stock.short') row.shortUnits += (e.data as { qty: number }).qty;
    else if (e.type === 'verification.overridden') row.overrides++;
  }
  const out = [...rows.values()];
  for (const r of out) r.accuracy = r.verified + r.failed === 0 ? 1 : r.verified / (r.verified + r.failed);
  return out.sort((a, b) => (a.station === b.station ? (a.hour ?? '').localeCompare(b.hour ?? '') : a.station.localeCompare(b.station)));
}

/** The figures as an aligned text table, failures by reason indented under their station. */
export function formatAccuracy(rows: AccuracyRow[]): string {
  if (rows.length === 0) return 'no floor events in this period';
  const lines = [['station', 'hour', 'verified', 'failed', 'accuracy', 'short', 'overrides', 'out-of-tol'].join('\t')];
  for (const r of rows) {
    lines.push([r.station, r.hour ?? 'all', r.verified, r.failed, `${(r.accuracy * 100).toFixed(1)}%`, r.shortUnits, r.overrides, r.outOfTolerance].join('\t'));
    for (const [reason, n] of Object.entries(r.failures).sort((a, b) => b[1] - a[1])) lines.push(`  ${reason}\t${n}`);
  }
  const table = lines.map((l) => l.split('\t'));
  const widths = table[0]!.map((_, i) => Math.max(...table.filter((row) => row.length > 2).map((row) => (row[i] ?? '').length)));
  return table.map((row) => (row.length > 2 ? row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd() : `${row[0]}  ${row[1]}`)).join('\n');
}
