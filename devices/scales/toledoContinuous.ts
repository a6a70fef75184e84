/**
 * Mettler Toledo "continuous output" (also sent by many indicators that imitate it), a fixed
 * frame repeated many times a second:
 *
 *   STX  SWA  SWB  SWC  weight (6 digits)  tare (6 digits)  CR  [checksum]
 *
 * SWA bits 0-2 place the decimal point (000: x100, 001: x10, 010: x1, 011: 0.1, ... 111: 0.00001);
 * SWB bit 0 net, bit 1 negative, bit 2 out of range, bit 3 in motion, bit 4 kg (else lb);
 * SWC bits 0-2 an alternate unit (001 g, 010 t, 011 oz; 000: lb/kg per SWB). The checksum is
 * the 2's complement of the 7-bit sum of STX through CR. Bit 7 (parity on 7E1 lines) is masked.
 * Zero and tare are front-panel actions in this protocol; some indicators take "Z"/"T" as ASCII.
 *
 * @example
 *   toledoProtocol({ checksum: true }).decoder().push(frame); // [{ ok: true, value: { type: 'weight', grams: 412.5, stable: true } }]
 */
import type { Frame, FrameDecoder } from '../frames.ts';
import { toGrams } from './units.ts';
import type { ScaleMessage, ScaleProtocol } from './scaleProtocol.ts';

const STX = 0x02;
const CR = 0x0d;
const bodyLength = 17; // STX .. CR

const decimalFactor = [100, 10, 1, 0.1, 0.01, 0.001, 0.0001, 0.00001];

export function toledoChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum += b & 0x7f;
  return -sum & 0x7f;
}

function toledoUnit(swb: number, swc: number): string | undefined {
  switch (swc & 0x07) {
    case 0:
      return swb & 0x10 ? 'kg' : 'lb';
    case 1:
      return 'g';
    case 2:
      return 't';
    case 3:
      return 'oz';
    default:
      return undefined;
  }
}

/** Decodes one complete frame (STX..CR, checksum already checked). */
export function parseToledoFrame(frame: Uint8Array): { ok: true; value: ScaleMessage } | { ok: false; reason: string } {
  const swa = frame[1]! & 0x7f;
  const swb = frame[2]! & 0x7f;
  const swc = frame[3]! & 0x7f;
  const weightText = Buffer.from(frame.subarray(4, 10)).toString('latin1');
  const tareText = Buffer.from(frame.subarray(10, 16)).toString('latin1');
  if (!/^[ 0-9]{6}$/.test(weightText) || !/^[ 0-9]{6}$/.test(tareText)) return { ok: false, reason: `weight "${weightText}" or tare "${tareText}" is not 6 digits` };
  if (swb & 0x04) return { ok: true, value: { type: 'status', reason: 'over or under range: check the load and zero the scale' } };
  const unit = toledoUnit(swb, swc);
  if (!unit) return { ok: false, reason: `unknown unit (SWC bits 0-2 = ${swc & 0x07}); set the indicator to g, kg or lb` };
  const factor = decimalFactor[swa & 0x07]!;
  const sign = swb & 0x02 ? -1 : 1;
  const grams = toGrams(sign * Number(weightText.trim() || '0') * factor, unit)!;
  const tareGrams = toGrams(Number(tareText.trim() || '0') * factor, unit)!;
  return { ok: true, value: { type: 'weight', grams, stable: (swb & 0x08) === 0, net: (swb & 0x01) === 1, tareGrams } };
}

class ToledoDecoder implements FrameDecoder<ScaleMessage> {
  private pending = Buffer.alloc(0);
  constructor(private readonly checksum: boolean) {}

  push(chunk: Buffer): Frame<ScaleMessage>[] {
    this.pending = Buffer.concat([this.pending, chunk]);
    const frames: Frame<ScaleMessage>[] = [];
    const frameLength = bodyLength + (this.checksum ? 1 : 0);
    for (;;) {
      const start = this.pending.indexOf(STX);
      if (start < 0) {
        if (this.pending.length > 0) frames.push({ ok: false, reason: 'bytes outside a frame (no STX)', bytes: this.pending });
        this.pending = Buffer.alloc(0);
        break;
      }
      if (start > 0) {
        frames.push({ ok: false, reason: 'bytes before STX', bytes: this.pending.subarray(0, start) });
        this.pending = this.pending.subarray(start);
      }
      // A new STX inside the body means the previous frame was cut short.
      const nextStx = this.pending.subarray(1, bodyLength).indexOf(STX);
      if (nextStx >= 0) {
        frames.push({ ok: false, reason: 'frame cut short (a new STX came before CR)', bytes: this.pending.subarray(0, nextStx + 1) });
        this.pending = this.pending.subarray(nextStx + 1);
        continue;
      }
      if (this.pending.length < frameLength) break;
      const frame = this.pending.subarray(0, frameLength);
      this.pending = this.pending.subarray(frameLength);
      if (frame[bodyLength - 1] !== CR) {
        frames.push({ ok: false, reason: `no CR at byte ${bodyLength}; check the frame length and the checksum setting`, bytes: Buffer.from(frame) });
        continue;
      }
      if (this.checksum) {
        const expected = toledoChecksum(frame.subarray(0, bodyLength));
        const got = frame[bodyLength]! & 0x7f;
        if (got === STX && expected !== STX) {
          // The next frame's STX where the checksum should be: this frame came without one.
          // Keep that STX so the next frame is read whole.
          this.pending = Buffer.concat([frame.subarray(bodyLength), this.pending]);
          frames.push({ ok: false, reason: 'frame without a checksum byte; if every frame is like this, set scale.checksum: false', bytes: Buffer.from(frame.subarray(0, bodyLength)) });
          continue;
        }
        if (got !== expected) {
          frames.push({ ok: false, reason: `wrong checksum 0x${got.toString(16).padStart(2, '0')}, expected 0x${expected.toString(16).padStart(2, '0')}`, bytes: Buffer.from(frame) });
          continue;
        }
      }
      const parsed = parseToledoFrame(frame);
      frames.push(parsed.ok ? { ok: true, value: parsed.value, bytes: Buffer.from(frame) } : { ok: false, reason: parsed.reason, bytes: Buffer.from(frame) });
    }
    return frames;
  }

  reset(): void {
    this.pending = Buffer.alloc(0);
  }
}

export function toledoProtocol(options: { checksum: boolean }): ScaleProtocol {
  return {
    name: 'toledo',
    streaming: true,
    decoder: () => new ToledoDecoder(options.checksum),
    // Many Toledo-compatible indicators accept ASCII Z and T; harmless where they do not.
    command: (kind) => Buffer.from(kind === 'zero' ? 'Z' : 'T'),
  };
}
