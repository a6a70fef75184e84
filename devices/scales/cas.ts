/**
 * CAS 22-byte continuous format (CI-series indicators, PDI, NT-200), one frame per reading:
 *
 *   H1 H1 , H2 H2 , ID LAMP , DATA(8) ' ' U U CR LF
 *
 * H1 is ST (stable), US (unstable) or OL (overload); H2 is GS (gross) or NT (net); ID is the
 * device number; LAMP bit 6 is "stable"; DATA is 8 ASCII characters with sign and decimal
 * point (e.g. "+001.234" or "  13.5  "); the unit is "kg", " g", " t" or "lb".
 * Zero and tare are front-panel keys on these indicators; the protocol carries no command.
 *
 * @example
 *   casProtocol().decoder().push(Buffer.from('ST,GS,\x01\xc0,+000.412 kg\r\n'));
 */
import { LineFramer, type Frame, type FrameDecoder } from '../frames.ts';
import { toGrams } from './units.ts';
import type { ScaleMessage, ScaleProtocol } from './scaleProtocol.ts';

export const casFrameLength = 22;

/** Parses one CAS frame of 20 bytes (CR LF removed by the framer, CR still here: 21). */
export function parseCasFrame(line: Buffer): { ok: true; value: ScaleMessage } | { ok: false; reason: string } {
  // The framer splits at LF, so a complete frame is 21 bytes ending in CR.
  if (line.length !== casFrameLength - 1 || line[line.length - 1] !== 0x0d) {
    return { ok: false, reason: `frame is ${line.length + 1} bytes, a CAS frame is ${casFrameLength} (cut short or wrong format setting)` };
  }
  const text = line.toString('latin1');
  const h1 = text.slice(0, 2);
  const h2 = text.slice(3, 5);
  if (text[2] !== ',' || text[5] !== ',' || text[8] !== ',') return { ok: false, reason: 'commas not where a CAS frame has them' };
  if (!['ST', 'US', 'OL'].includes(h1)) return { ok: false, reason: `unknown status "${h1}" (expected ST, US or OL)` };
  if (!['GS', 'NT'].includes(h2)) return { ok: false, reason: `unknown weight type "${h2}" (expected GS or NT)` };
  if (h1 === 'OL') return { ok: true, value: { type: 'status', reason: 'overload: take something off the scale' } };
  const data = text.slice(9, 17).replace(/\s+/g, '');
  const value = Number(data);
  if (data === '' || !Number.isFinite(value)) return { ok: false, reason: `weight "${text.slice(9, 17)}" is not a number` };
  const unit = text.slice(17, 20).trim();
  const grams = toGrams(value, unit);
  if (grams === undefined) return { ok: false, reason: `unknown unit "${unit}"; set the indicator to kg or g` };
  return { ok: true, value: { type: 'weight', grams, stable: h1 === 'ST', net: h2 === 'NT' } };
}

class CasDecoder implements FrameDecoder<ScaleMessage> {
  private readonly lines = new LineFramer(Buffer.from('\n'), 256);
  push(chunk: Buffer): Frame<ScaleMessage>[] {
    return this.lines.push(chunk).map((frame): Frame<ScaleMessage> => {
      if (!frame.ok) return frame;
      const parsed = parseCasFrame(frame.value);
      const bytes = Buffer.concat([frame.bytes, Buffer.from('\n')]);
      return parsed.ok ? { ok: true, value: parsed.value, bytes } : { ok: false, reason: parsed.reason, bytes };
    });
  }
  reset(): void {
    this.lines.reset();
  }
}

export function casProtocol(): ScaleProtocol {
  return { name: 'cas', streaming: true, decoder: () => new CasDecoder(), command: () => undefined };
}
