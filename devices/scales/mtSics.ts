/**
 * METTLER TOLEDO Standard Interface Command Set (MT-SICS), level 0/1: the gateway polls "SI"
 * (weight now, stable or not) and sends "Z" (zero) and "T" (tare). Replies are CR LF lines:
 * `S S     412.50 g` (stable), `S D     412.48 g` (dynamic), `S I` (busy), `S +` / `S -`
 * (over / under range), `Z A` (zeroed), `T S   12.00 g` (tared), `TA A   12.00 g` (tare value),
 * and `ES` / `ET` / `EL` (syntax, transmission, logical error). "SIR" (repeat) is understood too.
 *
 * @example
 *   const d = mtSicsProtocol().decoder();
 *   d.push(Buffer.from('S D     0.412 kg\r\n')); // weight 412 g, stable false
 */
import { LineFramer, type Frame, type FrameDecoder } from '../frames.ts';
import { toGrams } from './units.ts';
import type { ScaleCommandName, ScaleMessage, ScaleProtocol } from './scaleProtocol.ts';

const crlf = Buffer.from('\r\n');

const statusReasons: Record<string, string> = {
  I: 'the scale is busy (another command or not yet settled)',
  '+': 'over range: take something off the scale',
  '-': 'under range: put the pan back or zero the scale',
  L: 'the scale refused the value (logical error)',
};

const commandOf: Record<string, ScaleCommandName> = { S: 'weigh', SI: 'weigh', SIR: 'weigh', Z: 'zero', ZI: 'zero', T: 'tare', TA: 'tare-value' };

/** Parses one MT-SICS reply line (without CR LF). */
export function parseMtSicsLine(line: string): { ok: true; value: ScaleMessage } | { ok: false; reason: string } {
  const tokens = line.trim().split(/\s+/);
  const [id, status, value, unit] = tokens;
  if (id === 'ES') return { ok: true, value: { type: 'reply', command: 'any', ok: false, reason: 'the scale did not understand the command (ES syntax error)' } };
  if (id === 'ET') return { ok: true, value: { type: 'reply', command: 'any', ok: false, reason: 'the scale received a garbled command (ET transmission error); check the baud rate and parity' } };
  if (id === 'EL') return { ok: true, value: { type: 'reply', command: 'any', ok: false, reason: 'the scale cannot carry out the command now (EL logical error)' } };
  const command = id === undefined ? undefined : commandOf[id];
  if (!command || status === undefined) return { ok: false, reason: `not an MT-SICS reply: ${JSON.stringify(line)}` };
  if (statusReasons[status]) {
    if (command === 'weigh') return { ok: true, value: { type: 'status', reason: statusReasons[status]! } };
    return { ok: true, value: { type: 'reply', command, ok: false, reason: statusReasons[status] } };
  }
  if (command === 'zero') {
    if (status === 'A') return { ok: true, value: { type: 'reply', command, ok: true } };
    return { ok: false, reason: `unknown status "${status}" in zero reply ${JSON.stringify(line)}` };
  }
  const okStatus = command === 'weigh' ? ['S', 'D'] : command === 'tare' ? ['S'] : ['A'];
  if (!okStatus.includes(status)) return { ok: false, reason: `unknown status "${status}" in ${JSON.stringify(line)}` };
  const number = Number(value);
  if (value === undefined || !Number.isFinite(number)) return { ok: false, reason: `no weight in ${JSON.stringify(line)}` };
  if (unit === undefined) return { ok: false, reason: `no unit in ${JSON.stringify(line)}` };
  const grams = toGrams(number, unit);
  if (grams === undefined) return { ok: false, reason: `unknown unit "${unit}" in ${JSON.stringify(line)}; set the scale to g or kg` };
  if (command === 'weigh') return { ok: true, value: { type: 'weight', grams, stable: status === 'S' } };
  return { ok: true, value: { type: 'reply', command, ok: true, grams } };
}

class MtSicsDecoder implements FrameDecoder<ScaleMessage> {
  private readonly lines = new LineFramer(crlf, 256);

  push(chunk: Buffer): Frame<ScaleMessage>[] {
    return this.lines.push(chunk).map((frame): Frame<ScaleMessage> => {
      if (!frame.ok) return frame;
      const text = frame.value.toString('latin1');
      if (text.trim() === '') return { ok: false, reason: 'empty line', bytes: frame.bytes };
      const parsed = parseMtSicsLine(text);
      return parsed.ok ? { ok: true, value: parsed.value, bytes: frame.bytes } : { ok: false, reason: parsed.reason, bytes: frame.bytes };
    });
  }

  reset(): void {
    this.lines.reset();
  }
}

export function mtSicsProtocol(): ScaleProtocol {
  return {
    name: 'mt-sics',
    streaming: false,
    decoder: () => new MtSicsDecoder(),
    pollCommand: { bytes: Buffer.from('SI\r\n'), text: 'SI' },
    command: (kind) => Buffer.from(kind === 'zero' ? 'Z\r\n' : 'T\r\n'),
  };
}
