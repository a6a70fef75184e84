import Database from 'better-sqlite3';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventLog } from '../../gateway/log/eventLog.ts';
import { waitFor } from '../helpers/testGateway.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
/**
 * The WAL-index header (sqlite.org/walformat.html), read without a connection, which would
 * checkpoint by itself on close: frames in the WAL, and how many of them are copied already.
 */
const walIndex = (file: string) => {
  const shm = readFileSync(`${file}-shm`);
  return { frames: shm.readUInt32LE(16), copied: shm.readUInt32LE(96) };
};

describe('WAL checkpoints off the event loop', () => {
  it('moves committed pages into the database file and keeps the WAL from growing, with SQLite\'s own checkpoints off', async () => {
    const log = EventLog.open({ file: join(tempDir(), 'gateway.db') });
    expect(log.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const initialSize = statSync(log.file).size;
    // One commit each: several pages per commit, thousands of frames without a checkpoint.
    for (let i = 0; i < 1200; i++) await log.append({ type: 'stock.received', data: { sku: `SKU-${i % 13}`, bin: `A-${i % 7}`, qty: 1 } });
    // When commits pause, the thread finishes copying; the next commit starts the WAL over.
    await waitFor('the checkpoint to catch up', () => {
      const { frames, copied } = walIndex(log.file);
      return frames === copied;
    });
    expect(statSync(log.file).size).toBeGreaterThan(initialSize);
    await log.append({ type: 'stock.received', data: { sku: 'SKU-0', bin: 'A-0', qty: 1 } });
    expect(walIndex(log.file).frames).toBeLessThan(20);
    const reader = new Database(log.file, { readonly: true });
    expect((reader.prepare('SELECT COUNT(*) n FROM events').get() as { n: number }).n).toBe(1201);
    reader.close();
    log.close();
  });

  it('closes with everything readable, and a reopened log sees every event', async () => {
    const file = join(tempDir(), 'gateway.db');
    const log = EventLog.open({ file });
    for (let i = 0; i < 250; i++) await log.append({ type: 'stock.received', data: { sku: 'MILK', bin: 'A-01', qty: 1 } });
    log.close();
    const again = EventLog.open({ file });
    expect(again.count()).toBe(250);
    expect(again.projections.rows('stock')).toMatchObject([{ sku: 'MILK', bin: 'A-01', qty: 250 }]);
    again.close();
  });
});
