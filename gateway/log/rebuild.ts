/**
 * Replays the whole log into fresh projections and compares them with the live ones.
 * A difference means a projection bug or a hand-edited database; `apply` repairs it.
 *
 * @example
 *   const report = rebuildProjections(log, { apply: false });
 *   if (report.differences.length) console.log(report.differences);
 */
import type { EventLog } from './eventLog.ts';
import { Projections, projectionTables, type ProjectionTable } from './projections.ts';

export interface ProjectionDifference {
  table: ProjectionTable;
  key: string;
  live: Record<string, unknown> | null;
  rebuilt: Record<string, unknown> | null;
}

export interface RebuildReport {
  events: number;
  differences: ProjectionDifference[];
  applied: boolean;
  ms: number;
}

export function rebuildProjections(log: EventLog, options: { apply?: boolean; onProgress?: (done: number, total: number) => void } = {}): RebuildReport {
  const started = performance.now();
  const db = log.db;
  db.exec("ATTACH DATABASE ':memory:' AS rebuilt");
  try {
    const rebuilt = new Projections(db, 'rebuilt');
    rebuilt.createTables();
    const total = log.lastSeq();
    let events = 0;
    db.transaction(() => {
      for (let after = 0; ; ) {
        const batch = log.readAfter(after, 5000);
        if (batch.length === 0) break;
        for (const e of batch) rebuilt.apply(e);
        events += batch.length;
        after = batch[batch.length - 1]!.seq;
        options.onProgress?.(after, total);
      }
    })();

    const differences: ProjectionDifference[] = [];
    for (const table of Object.keys(projectionTables) as ProjectionTable[]) {
      differences.push(...diffRows(table, log.projections.rows(table), rebuilt.rows(table)));
    }
    let applied = false;
    if (options.apply && differences.length > 0) {
      db.transaction(() => {
        for (const table of Object.keys(projectionTables)) {
          db.exec(`DELETE FROM main.${table}; INSERT INTO main.${table} SELECT * FROM rebuilt.${table};`);
        }
      })();
      applied = true;
      log.projections.catalogVersion++;
    }
    return { events, differences, applied, ms: performance.now() - started };
  } finally {
    db.exec('DETACH DATABASE rebuilt');
  }
}

function diffRows(table: ProjectionTable, live: Record<string, unknown>[], rebuilt: Record<string, unknown>[]): ProjectionDifference[] {
  const keyCols = projectionTables[table].split(', ');
  const keyOf = (r: Record<string, unknown>) => keyCols.map((k) => String(r[k])).join('|');
  const liveMap = new Map(live.map((r) => [keyOf(r), r]));
  const rebuiltMap = new Map(rebuilt.map((r) => [keyOf(r), r]));
  const out: ProjectionDifference[] = [];
  for (const key of new Set([...liveMap.keys(), ...rebuiltMap.keys()])) {
    const a = liveMap.get(key) ?? null;
    const b = rebuiltMap.get(key) ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ table, key, live: a, rebuilt: b });
  }
  return out;
}
