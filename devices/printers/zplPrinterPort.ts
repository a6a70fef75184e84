/**
 * A ZPL label printer on raw TCP (port 9100). Each status check and each job uses its own
 * short connection, as Zebra printers allow, so a printer that was switched off and on needs
 * no reconnect logic. Status is `~HS`: no complete answer within the timeout is a fault
 * (Zebra printers stay silent with the head open or the media out).
 *
 * @example
 *   const port = new ZplTcpPrinterPort({ host: '10.0.0.20', port: 9100, statusTimeoutMs: 1000 });
 *   await port.status(); // { ready: true }
 *   await port.print({ jobId: 'j1', document: '^XA^FDHello^FS^XZ', copies: 1, ... });
 */
import { Socket } from 'node:net';
import type { PrintJob, PrinterPort, PrinterStatus } from './printerPort.ts';
import { parseHostStatus } from './zplStatus.ts';

export interface ZplTcpPrinterOptions {
  host: string;
  port: number;
  statusTimeoutMs: number;
}

/** ZPL for `copies` labels of a document: ^PQ inside each label format. */
export function withCopies(document: string, copies: number): string {
  if (copies <= 1) return document;
  return document.replace(/\^XZ/g, `^PQ${copies}^XZ`);
}

export class ZplTcpPrinterPort implements PrinterPort {
  constructor(private readonly options: ZplTcpPrinterOptions) {}

  get address(): string {
    return `${this.options.host}:${this.options.port}`;
  }

  async status(): Promise<PrinterStatus> {
    let socket: Socket;
    try {
      socket = await this.connect();
    } catch (err) {
      return { ready: false, reason: `cannot connect to ${this.address} (${(err as Error).message}); check that the printer is on and on the network` };
    }
    return new Promise<PrinterStatus>((resolve) => {
      let reply = '';
      const finish = (status: PrinterStatus) => {
        clearTimeout(timer);
        socket.destroy();
        resolve(status);
      };
      const timer = setTimeout(
        () => finish({ ready: false, reason: `no answer to ~HS within ${this.options.statusTimeoutMs} ms; the head may be open or the media out: check the printer` }),
        this.options.statusTimeoutMs,
      );
      socket.on('data', (chunk: Buffer) => {
        reply += chunk.toString('latin1');
        const status = parseHostStatus(reply);
        if (status.complete) finish(status.ready ? { ready: true } : { ready: false, reason: `${status.faults.join(', ')}; fix it at the printer` });
      });
      socket.on('close', () => finish({ ready: false, reason: `${this.address} closed the connection before answering ~HS` }));
      socket.on('error', () => undefined);
      socket.write('~HS');
    });
  }

  /**
   * Sends the job followed by `~HS` on the same connection. A printer handles its input in
   * order, so a status answer to a ~HS sent after the last byte proves it has the whole job;
   * a close, an error or silence means it may not, and the job is sent again.
   */
  async print(job: PrintJob): Promise<void> {
    const socket = await this.connect();
    try {
      await new Promise<void>((resolve, reject) => {
        let reply = '';
        const timer = setTimeout(() => reject(new Error(`${this.address} did not confirm job ${job.jobId} (no answer to ~HS within ${this.options.statusTimeoutMs} ms after it); the job will be sent again`)), this.options.statusTimeoutMs);
        const fail = (why: string) => {
          clearTimeout(timer);
          reject(new Error(`${this.address} ${why} during job ${job.jobId}; the job will be sent again`));
        };
        socket.on('error', (err) => fail(`failed (${err.message})`));
        socket.on('close', () => fail('closed the connection'));
        socket.on('data', (chunk: Buffer) => {
          reply += chunk.toString('latin1');
          const status = parseHostStatus(reply);
          if (!status.complete) return;
          clearTimeout(timer);
          resolve();
        });
        socket.write(withCopies(job.document, job.copies) + '~HS', 'utf8');
      });
    } finally {
      socket.destroy();
    }
  }

  private connect(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no connection within ${this.options.statusTimeoutMs} ms`));
      }, this.options.statusTimeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.connect(this.options.port, this.options.host, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(socket);
      });
    });
  }
}
