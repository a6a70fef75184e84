/**
 * Acknowledged appends per second through the event log (group commit, projections, validation)
 * against the same rows inserted raw with better-sqlite3 in transactions of 100, in one run.
 * Goal: at least 0.5 of raw. Run: npx tsx bench/append.ts [EVENTS]
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newEventId } from '../gateway/log/eventId.ts';
import { EventLog } from '../gateway/log/eventLog.ts';
import { migrations, openIndexes } from '../gateway/log/migrations.ts';

const total = Number(process.argv[2] ?? 50_000);
const concurrency = 100; // producers in flight, like a busy store's stations and sync

function row(i: number) {
  return { sku: `SKU-${i % 500}`, bin: `A-${i % 40}`, delta: 1, reason: 'bench' };
}

function raw(dir: string, durability: 'NORMAL' | 'FULL'): number {
  const db = new Database(join(dir, `raw-${durability}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${durability}`);
  // The same table, indexes and rows (ids included) as the log writes.
  for (const m of migrations) db.exec(m.sql);
  db.exec(openIndexes);
  const insert = db.prepare('INSERT INTO events (id, type, at, source, data) VALUES (?, ?, ?, ?, ?)');
  const batch = db.transaction((from: number) => {
    for (let i = from; i < from + 100 && i < total; i++) insert.run(newEventId(), 'stock.adjusted', new Date().toISOString(), '{}', JSON.stringify(row(i)));
  });
  const started = performance.now();
  for (let i = 0; i < total; i += 100) batch(i);
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return total / seconds;
}

async function logged(dir: string, durability: 'normal' | 'full'): Promise<number> {
  const log = EventLog.open({ file: join(dir, `log-${durability}.db`), durability, maxPending: 1_000_000 });
  let next = 0;
  const started = performance.now();
  const producer = async () => {
    while (next < total) {
      const i = next++;
      await log.append({ type: 'stock.adjusted', data: row(i) });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, producer));
  const seconds = (performance.now() - started) / 1000;
  log.close();
  return total / seconds;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dsgw-bench-'));
  try {
    console.log(`bench/append: ${total} events, ${concurrency} concurrent producers, each append awaited until committed`);
    for (const [mode, rawMode] of [['normal', 'NORMAL'], ['full', 'FULL']] as const) {
      const baseline = raw(dir, rawMode);
      const ours = await logged(dir, mode);
      const ratio = ours / baseline;
      console.log(
        `  durability ${mode.padEnd(6)} raw insert (batches of 100): ${baseline.toFixed(0).padStart(7)}/s   ` +
          `event log acknowledged appends: ${ours.toFixed(0).padStart(7)}/s   ratio ${ratio.toFixed(2)} (goal >= 0.5)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
