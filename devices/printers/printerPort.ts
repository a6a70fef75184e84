/**
 * What a print queue needs from a printer, whatever its language and transport: is it ready,
 * and take this job. Implementations: ZPL over raw TCP/serial (zplPrinterPort.ts), ESC/POS
 * through node-thermal-printer (escposPrinterPort.ts).
 *
 * @example
 *   const status = await port.status(); // { ready: false, reason: 'no answer to ~HS within 1000 ms ...' }
 *   if (status.ready) await port.print(job);
 */
export interface PrintJob {
  /** Unique per job; the same id is the same job and prints once. */
  jobId: string;
  printer: string;
  format: 'zpl' | 'escpos';
  document: string;
  copies: number;
  /** Set on a reprint: the job it repeats. */
  reprintOf?: string;
  queuedAt: string;
}

export interface PrinterStatus {
  ready: boolean;
  /** Why it is not ready, with what to do, e.g. "head open; close the print head". */
  reason?: string;
}

export interface PrinterPort {
  /** "10.0.0.20:9100" or "/dev/ttyUSB3". */
  readonly address: string;
  status(): Promise<PrinterStatus>;
  /** Resolves once the printer has taken the whole job; rejects with a reason when it did not. */
  print(job: PrintJob): Promise<void>;
}
