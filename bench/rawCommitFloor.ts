/**
 * The raw floor of a committed verdict: the rows the gateway writes for one pick scan (the
 * `device.scanned` and `stock.picked` events, the stock row and the order line), written with
 * better-sqlite3 alone on a database with the log's schema, indexes and projections, WAL and
 * synchronous NORMAL as the gateway's default, and checkpoints on a thread of their own as the
 * gateway's (walCheckpointer.ts). No validation, no workflow, no projection code: what any gateway
 * that commits before it answers must at least do.
 *
 * @example
 *   const floor = openRawCommitFloor(join(dir, 'raw.db'), 2, scanData, gtin);
 *   floor.commitScans([0, 1, 1]);   // one transaction: a scan at station 0, two at station 1
 *   floor.close();
 */
import Database from 'better-sqlite3';
import { newEventId } from '../gateway/log/eventId.ts';
import { migrations, openIndexes } from '../gateway/log/migrations.ts';
import { Projections } from '../gateway/log/projections.ts';
import { WalCheckpointer } from '../gateway/log/walCheckpointer.ts';

export interface RawCommitFloor {
  /** Commits one scan per entry (a station's index) in one transaction. */
  commitScans(stations: readonly number[]): void;
  close(): void;
}

/**
 * Opens (creating) `file` with one stock row in bin B-i and one order line of order O-i per
 * station, as the benches' gateway has them.
 */
export function openRawCommitFloor(file: string, stations: number, scanData: string, gtin: string): RawCommitFloor {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 0');
  for (const m of migrations) db.exec(m.sql);
  db.exec(openIndexes);
  new Projections(db).createTables();
  const seedStock = db.prepare("INSERT INTO stock (sku, bin, lot, qty, updated_seq) VALUES ('MILK', ?, '', 1000000, 0)");
  const seedLine = db.prepare("INSERT INTO order_lines (order_id, line, sku, qty) VALUES (?, 1, 'MILK', 1000000)");
  db.transaction(() => {
    for (let i = 0; i < stations; i++) {
      seedStock.run(`B-${i}`);
      seedLine.run(`O-${i}`);
    }
  })();
  const insert = db.prepare('INSERT INTO events (id, type, at, source, data) VALUES (?, ?, ?, ?, ?)');
  const takeStock = db.prepare("UPDATE stock SET qty = qty - 1, updated_seq = ? WHERE sku = 'MILK' AND bin = ? AND lot = ''");
  const pickLine = db.prepare('UPDATE order_lines SET picked = picked + 1 WHERE order_id = ? AND line = 1');
  const commit = db.transaction((scans: readonly number[]) => {
    for (const i of scans) {
      const at = new Date().toISOString();
      const source = JSON.stringify({ device: `scanner-${i}`, station: `pick-${i}`, orderId: `O-${i}` });
      insert.run(newEventId(), 'device.scanned', at, source, JSON.stringify({ deviceId: `scanner-${i}`, data: scanData, gtin }));
      const picked = JSON.stringify({ sku: 'MILK', bin: `B-${i}`, qty: 1, orderId: `O-${i}`, line: 1, gtin });
      const { lastInsertRowid } = insert.run(newEventId(), 'stock.picked', at, source, picked);
      takeStock.run(lastInsertRowid, `B-${i}`);
      pickLine.run(`O-${i}`);
    }
  });
  const checkpointer = new WalCheckpointer({
    file,
    checkpointHere: () => db.pragma('wal_checkpoint(PASSIVE)'),
    onError: (message) => {
      throw new Error(message);
    },
  });
  return {
    commitScans: (scans) => {
      commit(scans);
      checkpointer.committed();
    },
    close: () => {
      checkpointer.close();
      db.close();
    },
  };
}
