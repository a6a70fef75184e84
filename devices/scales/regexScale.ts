/**
 * Any line-based scale, described by a regular expression in config: a named group `weight`
 * (a decimal number, sign allowed), an optional `unit` (else `scale.unit`), and an optional
 * `unstable` group whose presence marks a reading as moving.
 *
 * @example
 *   regexProtocol({ pattern: '^(?<unstable>\\?)?\\s*(?<weight>-?[0-9.]+)\\s*(?<unit>kg|g)$', unit: 'g', delimiter: Buffer.from('\r\n') });
 */
import { LineFramer, type Frame, type FrameDecoder } from '../frames.ts';
import { toGrams } from './units.ts';
import type { ScaleMessage, ScaleProtocol } from './scaleProtocol.ts';

export interface RegexScaleOptions {
  pattern: string;
  unit: string;
  delimiter: Buffer;
}

/** Compiles the pattern, saying what is wrong when it cannot be used. */
export function compileScalePattern(pattern: string): RegExp {
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (err) {
    throw new Error(`scale.pattern is not a valid regular expression: ${(err as Error).message}`);
  }
  if (!pattern.includes('(?<weight>')) throw new Error('scale.pattern needs a named group "weight", e.g. (?<weight>-?[0-9.]+)');
  return re;
}

class RegexDecoder implements FrameDecoder<ScaleMessage> {
  private readonly lines: LineFramer;
  constructor(
    private readonly re: RegExp,
    private readonly options: RegexScaleOptions,
  ) {
    this.lines = new LineFramer(options.delimiter, 512);
  }
  push(chunk: Buffer): Frame<ScaleMessage>[] {
    return this.lines.push(chunk).map((frame): Frame<ScaleMessage> => {
      if (!frame.ok) return frame;
      const text = frame.value.toString('latin1');
      const m = this.re.exec(text);
      if (!m?.groups?.weight) return { ok: false, reason: `line does not match scale.pattern: ${JSON.stringify(text)}`, bytes: frame.bytes };
      const value = Number(m.groups.weight.replace(/\s+/g, ''));
      if (!Number.isFinite(value)) return { ok: false, reason: `weight "${m.groups.weight}" is not a number`, bytes: frame.bytes };
      const unit = m.groups.unit ?? this.options.unit;
      const grams = toGrams(value, unit);
      if (grams === undefined) return { ok: false, reason: `unknown unit "${unit}"`, bytes: frame.bytes };
      return { ok: true, value: { type: 'weight', grams, stable: !m.groups.unstable }, bytes: frame.bytes };
    });
  }
  reset(): void {
    this.lines.reset();
  }
}

export function regexProtocol(options: RegexScaleOptions): ScaleProtocol {
  const re = compileScalePattern(options.pattern);
  return { name: 'regex', streaming: true, decoder: () => new RegexDecoder(re, options), command: () => undefined };
}
