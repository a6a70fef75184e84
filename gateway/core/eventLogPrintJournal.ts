/**
 * The print queues' journal over the event log (print.queued, print.done, print.failed), so a
 * job queued while the printer is out survives a gateway restart and prints once after it.
 * Event ids are derived from the job id, so a retried append is a no-op.
 *
 * @example
 *   const registry = new DeviceRegistry({ ..., printJournal: new EventLogPrintJournal(log) });
 */
import type { PrintJob } from '../../devices/printers/printerPort.ts';
import type { PrintJournal } from '../../devices/printers/printJournal.ts';
import type { EventLog } from '../log/eventLog.ts';

export class EventLogPrintJournal implements PrintJournal {
  constructor(private readonly log: EventLog) {}

  async queued(job: PrintJob): Promise<void> {
    const { jobId, printer, format, document, copies, reprintOf } = job;
    await this.log.append({ type: 'print.queued', id: `print.queued:${jobId}`, at: job.queuedAt, source: { device: printer }, data: { jobId, printer, format, document, copies, ...(reprintOf ? { reprintOf } : {}) } });
  }

  async done(job: PrintJob): Promise<void> {
    await this.log.append({ type: 'print.done', id: `print.done:${job.jobId}`, source: { device: job.printer }, data: { jobId: job.jobId, printer: job.printer } });
  }

  async failed(job: PrintJob, reason: string): Promise<void> {
    await this.log.append({ type: 'print.failed', source: { device: job.printer }, data: { jobId: job.jobId, printer: job.printer, reason } });
  }

  pending(printer: string): PrintJob[] {
    const events = this.log.query({ type: 'print.', device: printer, limit: 1_000_000 });
    const jobs = new Map<string, PrintJob>();
    for (const e of events) {
      if (e.type === 'print.queued') {
        const d = e.data as PrintJob;
        jobs.set(d.jobId, { jobId: d.jobId, printer: d.printer, format: d.format, document: d.document, copies: d.copies, queuedAt: e.at, ...(d.reprintOf ? { reprintOf: d.reprintOf } : {}) });
      } else if (e.type === 'print.done') jobs.delete((e.data as { jobId: string }).jobId);
    }
    return [...jobs.values()];
  }

  known(jobId: string): boolean {
    return this.log.getById(`print.queued:${jobId}`) !== undefined;
  }
}
