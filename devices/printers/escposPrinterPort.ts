/**
 * An ESC/POS receipt-style printer through node-thermal-printer (TCP 9100, e.g.
 * "tcp://10.0.0.21:9100"). A job's document is plain text, one printed line per line; a line
 * `#barcode DATA` prints DATA as a Code 128 barcode; the paper is cut after each copy.
 * ESC/POS over TCP has no status the printer must answer, so "ready" means it accepts a
 * connection.
 *
 * @example
 *   const port = new EscposPrinterPort({ interface: 'tcp://127.0.0.1:9100', type: 'epson', timeoutMs: 1000 });
 *   await port.print({ jobId: 'j1', format: 'escpos', document: 'Order O-1\n#barcode 373500530000000002', copies: 1, ... });
 */
import { createRequire } from 'node:module';
import type * as Thermal from 'node-thermal-printer';
import type { PrintJob, PrinterPort, PrinterStatus } from './printerPort.ts';

// node-thermal-printer is CommonJS; its module.exports carries ThermalPrinter and PrinterTypes.
const thermal = createRequire(import.meta.url)('node-thermal-printer') as typeof Thermal;

export interface EscposPrinterOptions {
  /** node-thermal-printer's interface string, e.g. "tcp://10.0.0.21:9100". */
  interface: string;
  type: 'epson' | 'star';
  timeoutMs: number;
}

/** The bytes of a job as node-thermal-printer lays it out (for a port that writes them itself). */
export function escposBytes(job: PrintJob, type: 'epson' | 'star'): Buffer {
  // The interface is never used: the bytes are taken from the buffer, not executed.
  const printer = new thermal.ThermalPrinter({ type: type === 'star' ? thermal.PrinterTypes.STAR : thermal.PrinterTypes.EPSON, interface: 'tcp://127.0.0.1:9' });
  layout(printer, job);
  return printer.getBuffer();
}

function layout(printer: Thermal.ThermalPrinter, job: PrintJob): void {
  for (let copy = 0; copy < job.copies; copy++) {
    for (const line of job.document.split('\n')) {
      const barcode = /^#barcode (.+)$/.exec(line);
      if (barcode) printer.code128(barcode[1]!);
      else printer.println(line);
    }
    printer.cut();
  }
}

export class EscposPrinterPort implements PrinterPort {
  constructor(private readonly options: EscposPrinterOptions) {}

  get address(): string {
    return this.options.interface.replace(/^tcp:\/\//, '');
  }

  private printer(): Thermal.ThermalPrinter {
    return new thermal.ThermalPrinter({
      type: this.options.type === 'star' ? thermal.PrinterTypes.STAR : thermal.PrinterTypes.EPSON,
      interface: this.options.interface,
      options: { timeout: this.options.timeoutMs },
    });
  }

  async status(): Promise<PrinterStatus> {
    const connected = await this.printer().isPrinterConnected().catch(() => false);
    return connected ? { ready: true } : { ready: false, reason: `no connection to ${this.address}; check that the printer is on and on the network` };
  }

  async print(job: PrintJob): Promise<void> {
    const printer = this.printer();
    layout(printer, job);
    try {
      await printer.execute();
    } catch (err) {
      throw new Error(`${this.address} did not take job ${job.jobId}: ${(err as Error).message ?? String(err)}`);
    }
  }
}
