/**
 * The print queue of one printer. A job is written to the journal before `enqueue` resolves,
 * then sent when the printer says it is ready; it is marked done once the printer took it
 * whole, and retried (after `retryMs`) only while it is not. The same job id enqueued twice is
 * one job: a redelivered command does not print twice. A reprint is a new job that names the
 * job it repeats, so the log shows someone asked for it.
 *
 * @example
 *   const queue = new PrintQueue({ printer: 'label-1', port, journal, retryMs: 2000 });
 *   queue.start();                       // picks up jobs left pending before a restart
 *   await queue.enqueue({ format: 'zpl', document: '^XA...^XZ', copies: 1, jobId: 'bag-O-1' });
 *   await queue.reprint('bag-O-1');
 */
import { randomUUID } from 'node:crypto';
import type { PrintJob, PrinterPort, PrinterStatus } from './printerPort.ts';
import type { PrintJournal } from './printJournal.ts';

export interface PrintQueueOptions {
  printer: string;
  port: PrinterPort;
  journal: PrintJournal;
  retryMs: number;
  /** The printer became ready or stopped being ready (reason says why and what to do). */
  onStatus?: (status: PrinterStatus) => void;
  onPrinted?: (job: PrintJob) => void;
  onAttemptFailed?: (job: PrintJob, reason: string) => void;
  /** Bound of pending jobs; beyond it enqueue refuses (DESIGN: every queue is bounded). */
  maxPending?: number;
}

export type NewPrintJob = Pick<PrintJob, 'format' | 'document'> & Partial<Pick<PrintJob, 'copies' | 'jobId' | 'reprintOf'>>;

export class PrintQueue {
  private readonly jobs: PrintJob[] = [];
  private running = false;
  private working = false;
  private timer?: NodeJS.Timeout;
  private lastStatus?: PrinterStatus;

  constructor(private readonly options: PrintQueueOptions) {}

  /** Loads the jobs left pending (e.g. before a restart) and starts printing. */
  start(): void {
    this.running = true;
    for (const job of this.options.journal.pending(this.options.printer)) if (!this.jobs.some((j) => j.jobId === job.jobId)) this.jobs.push(job);
    this.kick();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  /** Jobs waiting, oldest first. */
  pending(): PrintJob[] {
    return [...this.jobs];
  }

  status(): PrinterStatus | undefined {
    return this.lastStatus;
  }

  /** Queues a job durably; resolves with it (or with the existing job of the same id). */
  async enqueue(input: NewPrintJob): Promise<PrintJob> {
    const jobId = input.jobId ?? randomUUID();
    const existing = this.jobs.find((j) => j.jobId === jobId);
    if (existing) return existing;
    const job: PrintJob = { jobId, printer: this.options.printer, format: input.format, document: input.document, copies: input.copies ?? 1, queuedAt: new Date().toISOString(), ...(input.reprintOf ? { reprintOf: input.reprintOf } : {}) };
    if (this.options.journal.known(jobId)) return job; // printed before: the same job prints once
    const max = this.options.maxPending ?? 500;
    if (this.jobs.length >= max) throw new Error(`printer "${this.options.printer}": ${this.jobs.length} jobs are waiting (the limit is ${max}); bring the printer back before printing more`);
    await this.options.journal.queued(job);
    this.jobs.push(job);
    this.kick();
    return job;
  }

  /** Prints a job again, as a new job that names the original. */
  async reprint(jobId: string, document: string, format: PrintJob['format'] = 'zpl'): Promise<PrintJob> {
    return this.enqueue({ format, document, reprintOf: jobId, jobId: `${jobId}-reprint-${randomUUID().slice(0, 8)}` });
  }

  private kick(): void {
    if (!this.running || this.working) return;
    clearTimeout(this.timer);
    this.working = true;
    void this.drain()
      // A journal write refused because the gateway is stopping must not take the process down.
      .catch(() => undefined)
      .finally(() => {
        this.working = false;
        if (this.running && this.jobs.length > 0) this.timer = setTimeout(() => this.kick(), this.options.retryMs);
      });
  }

  private async drain(): Promise<void> {
    while (this.running && this.jobs.length > 0) {
      const job = this.jobs[0]!;
      const status = await this.options.port.status();
      this.noteStatus(status);
      if (!status.ready) return;
      try {
        await this.options.port.print(job);
      } catch (err) {
        const reason = (err as Error).message;
        this.options.onAttemptFailed?.(job, reason);
        await this.options.journal.failed(job, reason).catch(() => undefined);
        return;
      }
      this.jobs.shift();
      // The printer has the job. If the log is closing (the gateway stopping) "done" is not
      // recorded, and the job prints once more after the restart: at least once, never lost.
      await this.options.journal.done(job).catch(() => undefined);
      this.options.onPrinted?.(job);
    }
  }

  private noteStatus(status: PrinterStatus): void {
    const changed = this.lastStatus?.ready !== status.ready || this.lastStatus?.reason !== status.reason;
    this.lastStatus = status;
    if (changed) this.options.onStatus?.(status);
  }
}
