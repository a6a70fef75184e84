/**
 * Where a print queue keeps its jobs so they survive a gateway restart. The gateway implements
 * it over the event log (print.queued, print.done, print.failed); `memoryPrintJournal` is for
 * tests and tools that run without a log.
 *
 * @example
 *   await journal.queued(job);      // durable before the command is acknowledged
 *   journal.pending('printer-1');  // jobs queued and not yet done, oldest first
 */
import type { PrintJob } from './printerPort.ts';

export interface PrintJournal {
  queued(job: PrintJob): Promise<void>;
  done(job: PrintJob): Promise<void>;
  /** One failed attempt; the job stays pending. */
  failed(job: PrintJob, reason: string): Promise<void>;
  /** Jobs of this printer that were queued and not done, oldest first. */
  pending(printer: string): PrintJob[];
  /** Whether a job with this id was ever queued (pending or done). */
  known(jobId: string): boolean;
}

export function memoryPrintJournal(): PrintJournal & { attempts: Array<{ jobId: string; reason: string }> } {
  const jobs = new Map<string, { job: PrintJob; done: boolean }>();
  const attempts: Array<{ jobId: string; reason: string }> = [];
  return {
    attempts,
    async queued(job) {
      if (!jobs.has(job.jobId)) jobs.set(job.jobId, { job, done: false });
    },
    async done(job) {
      const entry = jobs.get(job.jobId);
      if (entry) entry.done = true;
    },
    async failed(job, reason) {
      attempts.push({ jobId: job.jobId, reason });
    },
    pending: (printer) => [...jobs.values()].filter((e) => !e.done && e.job.printer === printer).map((e) => e.job),
    known: (jobId) => jobs.has(jobId),
  };
}
