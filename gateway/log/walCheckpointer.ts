/**
 * Checkpoints the event log's write-ahead log from a worker thread with its own connection.
 * SQLite's automatic checkpoint runs inside the commit that crosses the threshold: it copies
 * pages into the database file and waits for two fsyncs, a stall of tens of milliseconds on a
 * busy disk for whichever scan committed then. Here the event loop never waits for it. A commit
 * is as durable as before: durability is the WAL's, checkpoints only move pages into the main
 * file. PASSIVE checkpoints never block the gateway's writes, but their fsyncs slow the commits
 * that land meanwhile, so a due checkpoint waits for a pause in the commits (`committed()`).
 *
 * @example
 *   db.pragma('wal_autocheckpoint = 0');
 *   const checkpointer = new WalCheckpointer({ file: 'data/gateway.db', checkpointHere: () => db.pragma('wal_checkpoint(PASSIVE)'), onError: console.error });
 *   checkpointer.committed();   // after each commit: every 100 commits, at the next pause
 *   checkpointer.close();
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    return parentPort.close();
  }
  try {
    // Commits that land while a pass runs leave the WAL not fully copied: a few quick passes
    // catch up with what came in meanwhile. The WAL's size goes back to the writer's thread,
    // which decides what comes next (see WalCheckpointer).
    let state;
    for (let pass = 0; pass < 4; pass++) {
      state = db.pragma('wal_checkpoint(PASSIVE)')[0];
      if (state.busy === 0 && state.log === state.checkpointed) break;
    }
    parentPort.postMessage({ frames: state.log });
  } catch (err) {
    parentPort.postMessage({ error: err.message });
  }
});
`;

export class WalCheckpointer {
  private worker?: Worker;
  private commits = 0;
  private closed = false;
  /** A checkpoint was asked of the worker and it has not answered yet. */
  private running = false;
  /** Frames in the WAL, as the worker last saw them. */
  private walFrames = 0;
  private lastCommitAt = 0;
  private quietTimer?: NodeJS.Timeout;

  /**
   * @param file the database file, already in WAL mode
   * @param everyCommits commits before a checkpoint is due (100); it then waits for a pause
   * @param quietMs how long commits must pause for a due checkpoint to start (20 ms)
   * @param maxCommits commits after which a checkpoint starts even without a pause (1000)
   * @param maxFrames frames in the WAL (10 000, 40 MB) above which, after a worker's checkpoint,
   *   the writer's connection copies what is left so the WAL starts over
   * @param checkpointHere a checkpoint on the writer's own connection, for when the WAL passes
   *   `maxFrames` frames because commits never paused
   * @param onError called once when checkpointing fails (on the worker or here) or the worker
   *   ends; the caller then lets SQLite checkpoint in its commits again, and this checkpointer stops
   */
  constructor(
    private readonly options: {
      file: string;
      everyCommits?: number;
      quietMs?: number;
      maxCommits?: number;
      maxFrames?: number;
      checkpointHere: () => void;
      onError: (message: string) => void;
    },
  ) {}

  /**
   * Counts a commit. A checkpoint is due every `everyCommits` commits and starts at the next
   * pause of `quietMs`, or after `maxCommits` when commits never pause. Why wait for a pause: a
   * checkpoint's fsyncs hold up the commits that land meanwhile on the same disk (measured here:
   * 0.5-3 ms), and a verdict waits for its commit. A store has pauses between scans many times a
   * second; only a flood (a bench, a sync catching up) checkpoints under load.
   */
  committed(): void {
    if (this.closed) return;
    this.commits++;
    if (this.commits >= (this.options.maxCommits ?? 1000)) return this.checkpoint();
    if (this.commits < (this.options.everyCommits ?? 100)) return;
    this.lastCommitAt = performance.now();
    // One timer for many commits: it looks again when it fires instead of being reset per commit.
    this.quietTimer ??= setTimeout(() => this.whenQuiet(), this.options.quietMs ?? 20).unref();
  }

  private whenQuiet(): void {
    this.quietTimer = undefined;
    if (this.closed || this.commits === 0) return;
    const quiet = performance.now() - this.lastCommitAt;
    const quietMs = this.options.quietMs ?? 20;
    if (quiet < quietMs) this.quietTimer = setTimeout(() => this.whenQuiet(), quietMs - quiet).unref();
    else this.checkpoint();
  }

  private checkpoint(): void {
    // One at a time: a second request would only find the worker's connection busy.
    if (this.running) return;
    this.commits = 0;
    clearTimeout(this.quietTimer);
    this.quietTimer = undefined;
    this.running = true;
    this.start().postMessage('checkpoint');
  }

  /** What the worker reports after each checkpoint: the WAL's size, or an error. */
  private checkpointed(report: { frames?: number; error?: string }): void {
    this.running = false;
    if (this.closed) return;
    if (report.error) return this.fail(`checkpointing ${this.options.file} failed: ${report.error}`);
    this.walFrames = report.frames ?? 0;
    if (this.walFrames > (this.options.maxFrames ?? 10_000)) {
      // SQLite starts the WAL over only when a commit begins with every frame copied. Under
      // commits without a pause that never happens after the worker's checkpoints, however much
      // they copy: some commit always lands meanwhile. Between two commits on the writer's own
      // connection it does; the worker has just copied nearly all of it, so this copies only
      // what came since. On the next turn, so no commit's callers wait for it.
      setImmediate(() => this.checkpointOnWriter());
    } else if (this.commits >= (this.options.everyCommits ?? 100)) {
      // Checkpoints came due while this one ran: wait for the next pause again.
      this.lastCommitAt = performance.now();
      this.quietTimer ??= setTimeout(() => this.whenQuiet(), this.options.quietMs ?? 20).unref();
    }
  }

  private checkpointOnWriter(): void {
    if (this.closed || this.running) return;
    this.walFrames = 0;
    try {
      this.options.checkpointHere();
    } catch (err) {
      this.fail(`checkpointing ${this.options.file} on the writer's connection failed: ${(err as Error).message}`);
    }
  }

  /** Stops the worker; it closes its connection by itself (SQLite then checkpoints what is left). */
  close(): void {
    this.closed = true;
    clearTimeout(this.quietTimer);
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
    worker.on('message', (m: { frames?: number; error?: string }) => this.checkpointed(m));
    worker.on('error', (err) => this.fail(`the checkpoint thread for ${file} stopped: ${err.message}`));
    // An exit without an error (the thread ended by itself) would leave checkpoints to nobody.
    worker.on('exit', (code) => this.fail(`the checkpoint thread for ${file} exited (code ${code})`));
    // A log left open must not keep the process alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}
