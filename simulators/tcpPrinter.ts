/**
 * A label/receipt printer on TCP for tests and demos. It takes ZPL and ESC/POS, answers `~HS`,
 * and records each printed label as tests can assert on it: its text fields and barcode
 * contents. Modes: `ready`; `silent` (head open / out of paper: ~HS gets no answer and
 * nothing prints); `paper-out` (~HS answers with the paper-out flag set; labels received are
 * held, as a Zebra keeps formats in its buffer, and print once it is `ready` again); `off`
 * (refuses connections); `drop-next-job` (closes the socket in the middle of the next job,
 * once, as a printer that reboots mid-job).
 *
 * @example
 *   const printer = new TcpPrinterSimulator();
 *   await printer.start();                 // printer.port: where the gateway connects
 *   printer.setMode('off');  ...  printer.setMode('ready');
 *   printer.setMode('paper-out');          // ~HS says "paper out"; reload with setMode('ready')
 *   await printer.nextLabel((l) => l.raw.includes('373500'), 30_000);
 *   printer.printed[0];  // { language: 'zpl', fields: ['Demo store', 'K7Q', ...], barcodes: ['>;>800373500...'] }
 */
import { createServer, type Server, type Socket } from 'node:net';
import { readyHostStatus } from '../devices/printers/zplStatus.ts';

export type PrinterMode = 'ready' | 'silent' | 'paper-out' | 'off' | 'drop-next-job';

export interface PrintedLabel {
  language: 'zpl' | 'escpos';
  /** Text as printed: ZPL ^FD field data that is not a barcode, ESC/POS text lines. */
  fields: string[];
  /** Barcode contents as sent (ZPL: the ^FD after ^BC, invocation codes included). */
  barcodes: string[];
  /** ZPL ^PQ quantity, 1 when absent. */
  copies: number;
  raw: string;
}

export class TcpPrinterSimulator {
  readonly printed: PrintedLabel[] = [];
  /** Labels received while out of paper: they print when paper is reloaded. */
  readonly held: PrintedLabel[] = [];
  port = 0;
  private server?: Server;
  private mode: PrinterMode = 'ready';
  private readonly sockets = new Set<Socket>();
  private waiters: Array<{ match: (l: PrintedLabel) => boolean; resolve: (l: PrintedLabel) => void }> = [];

  constructor(private readonly options: { port?: number } = {}) {}

  async start(): Promise<void> {
    await this.listen(this.options.port ?? 0);
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  get state(): PrinterMode {
    return this.mode;
  }

  async setMode(mode: PrinterMode): Promise<void> {
    const wasOff = this.mode === 'off';
    this.mode = mode;
    if (mode === 'off' && !wasOff) await this.stop();
    if (mode !== 'off' && wasOff) await this.listen(this.port);
    if (mode === 'ready') for (const label of this.held.splice(0)) this.print(label);
  }

  /** The next label printed that `match`es (one printed already counts), or undefined after `timeoutMs`. */
  nextLabel(match: (l: PrintedLabel) => boolean, timeoutMs: number): Promise<PrintedLabel | undefined> {
    const already = this.printed.find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve) => {
      const waiter = { match, resolve: (l: PrintedLabel | undefined) => resolve(l) };
      this.waiters.push(waiter);
      setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(undefined);
      }, timeoutMs).unref();
    });
  }

  private print(label: PrintedLabel): void {
    this.printed.push(label);
    const waiting = this.waiters.filter((w) => w.match(label));
    this.waiters = this.waiters.filter((w) => !waiting.includes(w));
    for (const w of waiting) w.resolve(label);
  }

  /** Labels whose fields include `text`. */
  find(text: string): PrintedLabel[] {
    return this.printed.filter((l) => l.fields.some((f) => f.includes(text)));
  }

  private async listen(port: number): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as { port: number }).port;
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    let data: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (isEscpos(data)) return; // recorded when the job ends
      if (this.mode === 'drop-next-job' && data.includes('^XA')) {
        this.mode = 'ready';
        data = Buffer.alloc(0);
        socket.destroy();
        return;
      }
      data = consumeZpl(data, this.mode === 'silent' || this.mode === 'paper-out' ? this.mode : 'ready', (label) => (this.mode === 'paper-out' ? this.held.push(label) : this.print(label)), (reply) => socket.write(reply));
    });
    // node-thermal-printer writes the job and destroys the socket: the job ends at the close.
    socket.on('end', () => socket.end());
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (isEscpos(data) && this.mode !== 'silent' && this.mode !== 'paper-out') this.print(parseEscpos(data));
      data = Buffer.alloc(0);
    });
  }
}

/**
 * Takes the complete ZPL labels and ~HS requests at the start of `data`, in order (a printer
 * prints the labels before a ~HS and then answers it), and returns what is left. A silent
 * printer (head open, out of media) neither prints nor answers; one out of paper answers ~HS
 * with the paper-out flag and hands its labels to `print` to hold.
 */
export function consumeZpl(data: Buffer, state: 'ready' | 'silent' | 'paper-out', print: (label: PrintedLabel) => void, reply: (bytes: string) => void): Buffer {
  for (;;) {
    const text = data.toString('latin1');
    const hs = text.indexOf('~HS');
    const label = /\^XA[\s\S]*?\^XZ/.exec(text);
    if (label && (hs < 0 || label.index < hs)) {
      if (state !== 'silent') print(parseZpl(Buffer.from(label[0], 'latin1').toString('utf8')));
      data = Buffer.from(text.slice(label.index + label[0].length), 'latin1');
    } else if (hs >= 0) {
      if (state !== 'silent') reply(readyHostStatus({ paperOut: state === 'paper-out' }));
      data = Buffer.from(text.slice(hs + 3), 'latin1');
    } else return data;
  }
}

/** ESC/POS: ESC or GS command bytes and no ZPL label start. */
function isEscpos(data: Buffer): boolean {
  return data.length > 0 && !data.includes('^XA') && (data.includes(0x1b) || data.includes(0x1d));
}

export function parseZpl(label: string): PrintedLabel {
  const fields: string[] = [];
  const barcodes: string[] = [];
  let barcodeNext = false;
  for (const command of label.split(/(?=\^)/)) {
    if (/^\^B[A-Z0-9]/.test(command)) barcodeNext = true;
    const fd = /^\^FD([\s\S]*)$/.exec(command);
    if (fd) {
      (barcodeNext ? barcodes : fields).push(fd[1]!.trim());
      barcodeNext = false;
    }
  }
  const pq = /\^PQ(\d+)/.exec(label);
  return { language: 'zpl', fields, barcodes, copies: pq ? Number(pq[1]) : 1, raw: label };
}

/** Text lines and Code 128 contents (GS k 73 n {B data) of an ESC/POS job. */
export function parseEscpos(data: Buffer): PrintedLabel {
  const barcodes: string[] = [];
  let text = '';
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (b === 0x1d && data[i + 1] === 0x6b && data[i + 2] === 73) {
      const n = data[i + 3]!;
      barcodes.push(data.subarray(i + 4, i + 4 + n).toString('latin1').replace(/^\{[ABC]/, ''));
      i += 3 + n;
    } else if (b === 0x1b || b === 0x1d) {
      i += 2; // ESC/GS x n: the commands node-thermal-printer emits for text take one argument
    } else if (b === 0x0a || (b >= 0x20 && b < 0x7f)) text += String.fromCharCode(b);
  }
  const fields = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  return { language: 'escpos', fields, barcodes, copies: 1, raw: data.toString('latin1') };
}
