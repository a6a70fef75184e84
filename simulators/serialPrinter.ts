/**
 * A ZPL label printer on a serial line (a socat pty): it prints the labels it receives, answers
 * `~HS`, can go silent (head open, out of media) and be unplugged. Records labels as the TCP
 * printer simulator does.
 *
 * @example
 *   const printer = new SerialZplPrinterSimulator('/tmp/dsgw-printer');
 *   await printer.start();     // the gateway opens /tmp/dsgw-printer
 *   printer.silent = true;     // ~HS gets no answer, nothing prints
 *   printer.printed[0].fields; // ['TEST LABEL', ...]
 */
import { SerialPort } from 'serialport';
import { PtyPair } from './ptyPair.ts';
import { consumeZpl, parseEscpos, type PrintedLabel } from './tcpPrinter.ts';

export class SerialZplPrinterSimulator {
  readonly pty: PtyPair;
  readonly printed: PrintedLabel[] = [];
  silent = false;
  private port?: SerialPort;

  constructor(link: string) {
    this.pty = new PtyPair(link);
  }

  get gatewayPath(): string {
    return this.pty.gatewayPath;
  }

  async start(): Promise<void> {
    await this.pty.start();
    const port = new SerialPort({ path: this.pty.devicePath, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    port.on('error', () => undefined);
    let data: Buffer = Buffer.alloc(0);
    port.on('data', (chunk: Buffer) => {
      data = consumeZpl(Buffer.concat([data, chunk]), this.silent, this.printed, (reply) => port.write(reply));
    });
    this.port = port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.port?.isOpen ? this.port.close(() => resolve()) : resolve()));
    await this.pty.stop();
  }
}

/**
 * An ESC/POS receipt printer on a serial line: it answers the real-time status query
 * (DLE EOT 1) with one byte (0x16 ready, 0x1e offline: cover open or paper out) or not at all
 * (switched off), and records each job up to the status query that ends it.
 *
 * @example
 *   const printer = new SerialEscposPrinterSimulator('/tmp/dsgw-receipt');
 *   await printer.start();
 *   printer.state = 'offline';
 */
export class SerialEscposPrinterSimulator {
  readonly pty: PtyPair;
  readonly printed: PrintedLabel[] = [];
  state: 'ready' | 'offline' | 'silent' = 'ready';
  private port?: SerialPort;

  constructor(link: string) {
    this.pty = new PtyPair(link);
  }

  get gatewayPath(): string {
    return this.pty.gatewayPath;
  }

  async start(): Promise<void> {
    await this.pty.start();
    const port = new SerialPort({ path: this.pty.devicePath, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    port.on('error', () => undefined);
    let data: Buffer = Buffer.alloc(0);
    const query = Buffer.from([0x10, 0x04, 0x01]);
    port.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      for (let at = data.indexOf(query); at >= 0; at = data.indexOf(query)) {
        const job = data.subarray(0, at);
        data = data.subarray(at + query.length);
        if (this.state === 'silent') continue;
        if (job.length > 0 && this.state === 'ready') this.printed.push(parseEscpos(job));
        port.write(Buffer.from([this.state === 'ready' ? 0x16 : 0x1e]));
      }
    });
    this.port = port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.port?.isOpen ? this.port.close(() => resolve()) : resolve()));
    await this.pty.stop();
  }
}
