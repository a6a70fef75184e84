/**
 * A ZPL label printer on raw TCP (port 9100) or a serial line. Each status check and each job
 * opens its own short connection (Zebra printers allow it on 9100, and a serial port opened per
 * job is free for a technician's tool in between), so a printer that was switched off and on
 * needs no reconnect logic. Status is `~HS`: no complete answer within the timeout is a fault
 * (Zebra printers stay silent with the head open or the media out).
 *
 * @example
 *   const port = new ZplPrinterPort({ connector: tcpConnector({ host: '10.0.0.20', port: 9100 }), statusTimeoutMs: 1000 });
 *   await port.status(); // { ready: true }
 *   await port.print({ jobId: 'j1', document: '^XA^FDHello^FS^XZ', copies: 1, ... });
 */
import type { Connection, Connector } from '../transports/connection.ts';
import type { PrintJob, PrinterPort, PrinterStatus } from './printerPort.ts';
import { parseHostStatus } from './zplStatus.ts';

export interface ZplPrinterOptions {
  connector: Connector;
  statusTimeoutMs: number;
}

/** ZPL for `copies` labels of a document: ^PQ inside each label format. */
export function withCopies(document: string, copies: number): string {
  if (copies <= 1) return document;
  return document.replace(/\^XZ/g, `^PQ${copies}^XZ`);
}

export class ZplPrinterPort implements PrinterPort {
  constructor(private readonly options: ZplPrinterOptions) {}

  get address(): string {
    return this.options.connector.address;
  }

  async status(): Promise<PrinterStatus> {
    let connection: Connection;
    try {
      connection = await this.open();
    } catch (err) {
      return { ready: false, reason: `cannot connect to ${this.address} (${(err as Error).message}); check that the printer is on and connected` };
    }
    try {
      const reply = await this.exchange(connection, '~HS');
      if (reply === 'silent') return { ready: false, reason: `no answer to ~HS within ${this.options.statusTimeoutMs} ms; the head may be open or the media out: check the printer` };
      if (reply === 'closed') return { ready: false, reason: `${this.address} closed the connection before answering ~HS` };
      return reply.ready ? { ready: true } : { ready: false, reason: `${reply.faults.join(', ')}; fix it at the printer` };
    } finally {
      await connection.close().catch(() => undefined);
    }
  }

  /**
   * Sends the job followed by `~HS` on the same connection. A printer handles its input in
   * order, so a status answer to a ~HS sent after the last byte proves it has the whole job;
   * a close, an error or silence means it may not, and the job is sent again.
   */
  async print(job: PrintJob): Promise<void> {
    const connection = await this.open();
    try {
      const reply = await this.exchange(connection, withCopies(job.document, job.copies) + '~HS');
      if (reply === 'silent') throw new Error(`${this.address} did not confirm job ${job.jobId} (no answer to ~HS within ${this.options.statusTimeoutMs} ms after it); the job will be sent again`);
      if (reply === 'closed') throw new Error(`${this.address} closed the connection during job ${job.jobId}; the job will be sent again`);
    } finally {
      await connection.close().catch(() => undefined);
    }
  }

  private async open(): Promise<Connection> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no connection within ${this.options.statusTimeoutMs} ms`)), this.options.statusTimeoutMs);
    });
    try {
      return await Promise.race([this.options.connector.open(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Writes `text` and waits for a complete ~HS answer. */
  private exchange(connection: Connection, text: string): Promise<ReturnType<typeof parseHostStatus> | 'silent' | 'closed'> {
    return new Promise((resolve, reject) => {
      let reply = '';
      const timer = setTimeout(() => resolve('silent'), this.options.statusTimeoutMs);
      connection.onClose(() => {
        clearTimeout(timer);
        resolve('closed');
      });
      connection.onData((chunk) => {
        reply += chunk.toString('latin1');
        const status = parseHostStatus(reply);
        if (!status.complete) return;
        clearTimeout(timer);
        resolve(status);
      });
      connection.write(Buffer.from(text, 'utf8')).catch((err: Error) => {
        clearTimeout(timer);
        reject(new Error(`${this.address}: cannot send (${err.message})`));
      });
    });
  }
}
