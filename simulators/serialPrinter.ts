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
import { SerialDeviceSimulator } from './serialDevice.ts';
import { consumeZpl, parseEscpos, type PrintedLabel } from './tcpPrinter.ts';

export class SerialZplPrinterSimulator extends SerialDeviceSimulator {
  readonly printed: PrintedLabel[] = [];
  silent = false;
  private pending: Buffer = Buffer.alloc(0);

  protected override onData(chunk: Buffer): void {
    this.pending = consumeZpl(Buffer.concat([this.pending, chunk]), this.silent ? 'silent' : 'ready', (label) => this.printed.push(label), (reply) => void this.writeRaw(reply).catch(() => undefined));
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
export class SerialEscposPrinterSimulator extends SerialDeviceSimulator {
  readonly printed: PrintedLabel[] = [];
  state: 'ready' | 'offline' | 'silent' = 'ready';
  private pending: Buffer = Buffer.alloc(0);
  private static readonly query = Buffer.from([0x10, 0x04, 0x01]);

  protected override onData(chunk: Buffer): void {
    const query = SerialEscposPrinterSimulator.query;
    this.pending = Buffer.concat([this.pending, chunk]);
    for (let at = this.pending.indexOf(query); at >= 0; at = this.pending.indexOf(query)) {
      const job = this.pending.subarray(0, at);
      this.pending = this.pending.subarray(at + query.length);
      if (this.state === 'silent') continue;
      if (job.length > 0 && this.state === 'ready') this.printed.push(parseEscpos(job));
      void this.writeRaw(Buffer.from([this.state === 'ready' ? 0x16 : 0x1e])).catch(() => undefined);
    }
  }
}
