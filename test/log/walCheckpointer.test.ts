import Database from 'better-sqlite3';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventLog } from '../../gateway/log/eventLog.ts';
import { WalCheckpointer } from '../../gateway/log/walCheckpointer.ts';
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

  /** A database in WAL mode with SQLite's own checkpoints off, and a commit of a few pages. */
  const walDatabase = () => {
    const file = join(tempDir(), 'wal.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    return { file, db, commit: () => insert.run('x'.repeat(3000)) };
  };
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  it('starts a due checkpoint only once commits pause, so no scan waits on its fsyncs', async () => {
    const { file, db, commit } = walDatabase();
    const checkpointer = new WalCheckpointer({ file, everyCommits: 10, quietMs: 1000, checkpointHere: () => db.pragma('wal_checkpoint(PASSIVE)'), onError: (m) => expect.fail(m) });
    const commitSome = async (n: number) => {
      for (let i = 0; i < n; i++) {
        commit();
        checkpointer.committed();
        await nextTurn();
      }
    };
    // A first checkpoint, so the worker thread is up and a late start cannot pass for waiting.
    await commitSome(10);
    await waitFor('the first checkpoint', () => walIndex(file).copied === walIndex(file).frames);
    const started = performance.now();
    await commitSome(60);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The first of these commits started the WAL over. Within the second after the last one,
    // nothing of the 60 is copied although six checkpoints are due.
    if (performance.now() - started < 900) expect(walIndex(file)).toEqual({ frames: expect.any(Number), copied: 0 });
    expect(walIndex(file).frames).toBeGreaterThan(60);
    await waitFor('the checkpoint after the pause', () => walIndex(file).copied === walIndex(file).frames);
    checkpointer.close();
    db.close();
  });

  it('still checkpoints, and keeps the WAL bounded, when commits never pause', async () => {
    const { file, db, commit } = walDatabase();
    const checkpointer = new WalCheckpointer({
      file,
      everyCommits: 10,
      quietMs: 60_000,
      maxCommits: 100,
      maxFrames: 300,
      checkpointHere: () => db.pragma('wal_checkpoint(PASSIVE)'),
      onError: (m) => expect.fail(m),
    });
    // The worker thread up first (it takes a while to start), so the loop below sees steady state.
    for (let i = 0; i < 100; i++) {
      commit();
      checkpointer.committed();
    }
    await waitFor('the first checkpoint', () => walIndex(file).copied > 0);
    let previous = 0;
    let restarts = 0;
    let written = 0;
    for (let i = 0; i < 20_000 && restarts < 3; i++) {
      commit();
      checkpointer.committed();
      const { frames } = walIndex(file);
      if (frames < previous) restarts++;
      else written += frames - previous;
      previous = frames;
      await nextTurn();
    }
    // About two pages a commit, and the WAL starts over again and again: each worker checkpoint
    // (every 100 commits here) that leaves more than 300 frames is followed by one on the
    // writer's connection. Without that it never would, however long the commits go on.
    expect(restarts).toBe(3);
    expect(written).toBeGreaterThan(300);
    checkpointer.close();
    db.close();
  });

  it('a checkpoint on the writer that fails (a full disk) is reported once and stops the checkpointer, never thrown into a commit', async () => {
    const { file, db, commit } = walDatabase();
    const errors: string[] = [];
    const checkpointer = new WalCheckpointer({
      file,
      everyCommits: 10,
      quietMs: 60_000,
      maxCommits: 50,
      maxFrames: 20,
      checkpointHere: () => {
        throw new Error('SQLITE_FULL: database or disk is full');
      },
      onError: (m) => errors.push(m),
    });
    for (let i = 0; i < 3000 && errors.length === 0; i++) {
      commit();
      expect(() => checkpointer.committed()).not.toThrow();
      await nextTurn();
    }
    await waitFor('the failure reported', () => errors.length > 0);
    expect(errors).toEqual([`checkpointing ${file} on the writer's connection failed: SQLITE_FULL: database or disk is full`]);
    for (let i = 0; i < 200; i++) checkpointer.committed();
    expect(errors).toHaveLength(1);
    checkpointer.close();
    db.close();
  });
});
