/**
 * Checkpoints the event log's write-ahead log from a worker thread with its own connection.
 * SQLite's automatic checkpoint runs inside the commit that crosses the threshold: it copies
 * pages into the database file and waits for two fsyncs, a stall of tens of milliseconds on a
 * busy disk for whichever scan committed then. Here the event loop never waits for it. A commit
 * is as durable as before: durability is the WAL's, checkpoints only move pages into the main
 * file. PASSIVE checkpoints never block the gateway's writes.
 *
 * @example
 *   db.pragma('wal_autocheckpoint = 0');
 *   const checkpointer = new WalCheckpointer({ file: 'data/gateway.db', checkpointHere: () => db.pragma('wal_checkpoint(PASSIVE)'), onError: console.error });
 *   checkpointer.committed();   // after each commit: checkpoints every 100 commits
 *   checkpointer.close();
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
let retry;
function checkpoint() {
  clearTimeout(retry);
  retry = undefined;
  try {
    // Commits that land while a checkpoint runs leave the WAL not fully copied, and SQLite restarts
    // the WAL from its start only once it is: catch up with quick passes over what is left, and
    // when commits keep coming, try again shortly; a quiet moment of a few milliseconds suffices.
    let state;
    for (let pass = 0; pass < 4; pass++) {
      state = db.pragma('wal_checkpoint(PASSIVE)')[0];
      if (state.busy === 0 && state.log === state.checkpointed) break;
    }
    const done = state.busy === 0 && state.log === state.checkpointed;
    parentPort.postMessage({ frames: done ? 0 : state.log });
    if (!done) retry = setTimeout(checkpoint, 20);
  } catch (err) {
    parentPort.postMessage({ error: err.message });
  }
}
parentPort.on('message', (message) => {
  if (message !== 'close') return checkpoint();
  clearTimeout(retry);
  db.close();
  parentPort.close();
});
`;

export class WalCheckpointer {
  private worker?: Worker;
  private commits = 0;
  private closed = false;
  /** Frames in the WAL not yet copied, as the worker last saw them. */
  private behind = 0;

  /**
   * @param file the database file, already in WAL mode
   * @param everyCommits commits between checkpoints (SQLite's own default is every 1000 pages)
   * @param checkpointHere a checkpoint on the writer's own connection, for when commits never
   *   pause long enough for the worker to finish one and the WAL passes `maxFrames` frames
   * @param onError called once when checkpointing here fails; the caller then lets SQLite
   *   checkpoint in its commits again, and this checkpointer stops
   */
  constructor(
    private readonly options: {
      file: string;
      everyCommits?: number;
      maxFrames?: number;
      checkpointHere: () => void;
      onError: (message: string) => void;
    },
  ) {}

  /** Counts a commit; every `everyCommits` commits the worker checkpoints (started on first need). */
  committed(): void {
    if (this.closed || ++this.commits < (this.options.everyCommits ?? 100)) return;
    this.commits = 0;
    if (this.behind > (this.options.maxFrames ?? 10_000)) {
      // Under commits without a pause, as SQLite would do it (once per 10 000 frames, not 1000).
      this.behind = 0;
      this.options.checkpointHere();
      return;
    }
    this.start().postMessage('checkpoint');
  }

  /** Stops the worker; it closes its connection by itself (SQLite then checkpoints what is left). */
  close(): void {
    this.closed = true;
    this.worker?.postMessage('close');
    this.worker = undefined;
  }

  private fail(message: string): void {
    if (this.closed) return;
    this.close();
    this.options.onError(message);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const { file } = this.options;
    const worker = new Worker(workerSource, { eval: true, workerData: { file, driver } });
    worker.on('message', (m: { frames?: number; error?: string }) => {
      if (m.error) this.fail(`checkpointing ${file} failed: ${m.error}`);
      else this.behind = m.frames ?? 0;
    });
    worker.on('error', (err) => this.fail(`the checkpoint thread for ${file} stopped: ${err.message}`));
    // A log left open must not keep the process alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}
