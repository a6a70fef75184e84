/**
 * What a protocol decoder makes of bytes: frames it could read, and the bytes it could not,
 * each with a reason. Decoders are pure (no I/O, no timers) and keep reading after bad input.
 *
 * @example
 *   for (const frame of decoder.push(chunk)) {
 *     if (frame.ok) use(frame.value); else health.badInput(frame.reason, frame.bytes);
 *   }
 */
export type Frame<T> = { ok: true; value: T; bytes: Buffer } | { ok: false; reason: string; bytes: Buffer };

export interface FrameDecoder<T> {
  push(chunk: Buffer): Frame<T>[];
  /** Forgets a half-received frame, e.g. after the device was unplugged. */
  reset(): void;
}

/** Unescapes "\r\n", "\u0007" and "\x02" in a delimiter or command string from config. */
export function configBytes(text: string): Buffer {
  const unescaped = text
    .replace(/\\r/g, '\r')
    .replace(/\\n/g, '\n')
    .replace(/\\t/g, '\t')
    .replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(unescaped, 'latin1');
}

/**
 * Splits a byte stream into lines at a delimiter. A "line" longer than `maxLength` without a
 * delimiter is garbage (wrong baud rate, wrong delimiter) and is reported, not kept forever.
 */
export class LineFramer implements FrameDecoder<Buffer> {
  private pending = Buffer.alloc(0);

  constructor(
    private readonly delimiter: Buffer,
    private readonly maxLength = 4096,
  ) {}

  push(chunk: Buffer): Frame<Buffer>[] {
    this.pending = Buffer.concat([this.pending, chunk]);
    const frames: Frame<Buffer>[] = [];
    for (;;) {
      const at = this.pending.indexOf(this.delimiter);
      if (at < 0) break;
      const line = this.pending.subarray(0, at);
      this.pending = this.pending.subarray(at + this.delimiter.length);
      frames.push({ ok: true, value: Buffer.from(line), bytes: Buffer.from(line) });
    }
    if (this.pending.length > this.maxLength) {
      frames.push({
        ok: false,
        reason: `${this.pending.length} bytes without the delimiter ${JSON.stringify(this.delimiter.toString('latin1'))}; check the baud rate and the delimiter`,
        bytes: this.pending,
      });
      this.pending = Buffer.alloc(0);
    }
    return frames;
  }

  reset(): void {
    this.pending = Buffer.alloc(0);
  }
}
