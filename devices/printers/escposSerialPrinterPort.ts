/**
 * An ESC/POS receipt printer on a serial line. The job's bytes are built by node-thermal-printer
 * (the same layout as over TCP: text lines, `#barcode DATA` as Code 128, a cut per copy) and
 * written to the port. Status is ESC/POS real-time status (DLE EOT 1): the printer answers one
 * byte at once, bit 3 set meaning offline; no byte within the timeout is a fault. The same query
 * after a job confirms the printer has taken all of it.
 *
 * @example
 *   const port = new EscposSerialPrinterPort({ connector: serialConnector(settings), type: 'epson', statusTimeoutMs: 1000 });
 *   await port.print({ jobId: 'j1', format: 'escpos', document: 'Order O-1\n#barcode 1234', copies: 1, ... });
 */
import type { Connection, Connector } from '../transports/connection.ts';
import { escposBytes } from './escposPrinterPort.ts';
import type { PrintJob, PrinterPort, PrinterStatus } from './printerPort.ts';

/** DLE EOT 1: "transmit printer status", answered in real time even mid-job. */
export const realTimeStatus = Buffer.from([0x10, 0x04, 0x01]);

export interface EscposSerialPrinterOptions {
  connector: Connector;
  type: 'epson' | 'star';
  statusTimeoutMs: number;
}

export class EscposSerialPrinterPort implements PrinterPort {
  constructor(private readonly options: EscposSerialPrinterOptions) {}

  get address(): string {
    return this.options.connector.address;
  }

  async status(): Promise<PrinterStatus> {
    let connection: Connection;
    try {
      connection = await this.options.connector.open();
    } catch (err) {
      return { ready: false, reason: `cannot open ${this.address} (${(err as Error).message}); check the cable and that the printer is on` };
    }
    try {
      return describe(await this.ask(connection, realTimeStatus), this.address, this.options.statusTimeoutMs);
    } finally {
      await connection.close().catch(() => undefined);
    }
  }

  async print(job: PrintJob): Promise<void> {
    const connection = await this.options.connector.open();
    try {
      const answer = await this.ask(connection, Buffer.concat([escposBytes(job, this.options.type), realTimeStatus]));
      const status = describe(answer, this.address, this.options.statusTimeoutMs);
      if (!status.ready) throw new Error(`${this.address} did not confirm job ${job.jobId}: ${status.reason}; the job will be sent again`);
    } finally {
      await connection.close().catch(() => undefined);
    }
  }

  /** Writes `bytes` and resolves with the first byte the printer answers, or undefined. */
  private ask(connection: Connection, bytes: Buffer): Promise<number | undefined> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve(undefined), this.options.statusTimeoutMs);
      connection.onData((chunk) => {
        clearTimeout(timer);
        resolve(chunk[0]);
      });
      connection.onClose(() => {
        clearTimeout(timer);
        resolve(undefined);
      });
      connection.write(bytes).catch((err: Error) => {
        clearTimeout(timer);
        reject(new Error(`${this.address}: cannot send (${err.message})`));
      });
    });
  }
}

function describe(answer: number | undefined, address: string, timeoutMs: number): PrinterStatus {
  if (answer === undefined) return { ready: false, reason: `no answer to the ESC/POS status query (DLE EOT 1) from ${address} within ${timeoutMs} ms; check that the printer is on and the baud rate` };
  // Bit 3: offline (cover open, paper out, error), per the ESC/POS real-time status byte.
  if (answer & 0x08) return { ready: false, reason: `${address} reports offline (status byte 0x${answer.toString(16)}): cover open or paper out; fix it at the printer` };
  return { ready: true };
}
