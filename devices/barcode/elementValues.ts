/**
 * Checks one AI's value against its dictionary format (character sets, lengths, linters) and
 * turns it into the output element: ISO dates, numbers with unit and currency.
 */
import type { AiDefinition } from './aiTable.ts';
import { ISO_4217 } from './currencies.ts';
import { parseYymmdd, parseYyyymmdd } from './dates.ts';
import { BarcodeError } from './errors.ts';
import { CSET82, runLinter } from './linters.ts';
import type { BarcodeElement, BarcodeWarning, ElementValue } from './types.ts';

/** An AI and its value as found in the input, before checking. */
export interface RawElement {
  def: AiDefinition;
  raw: string;
  /** 1-based position of the AI in the input. */
  aiPos: number;
  /** 1-based position of the value's first character; later characters follow one by one. */
  valuePos: number;
}

const CSET39 = '#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CSET64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=';
const CHARSET_NAMES = { N: 'digits only', X: 'GS1 character set 82', Y: 'GS1 character set 39', Z: 'base64url' } as const;
const DATE_LINTERS = new Set(['yymmd0', 'yymmdd', 'yyyymmdd']);

function allowed(type: 'N' | 'X' | 'Y' | 'Z', code: number, ch: string): boolean {
  if (type === 'N') return code >= 48 && code <= 57;
  if (type === 'X') return CSET82.includes(ch);
  if (type === 'Y') return CSET39.includes(ch);
  return CSET64.includes(ch);
}

/** Splits the value into its components, checking lengths, characters and linters. */
function checkComponents(el: RawElement, now: Date): string[] {
  const { def, raw } = el;
  const fail = (offset: number, reason: string): never => { throw new BarcodeError(el.valuePos + offset, reason, def.ai); };
  if (raw.length === 0) fail(0, 'value is empty');
  if (raw.length < def.minLength) fail(0, `value has ${raw.length} characters, needs ${def.minLength === def.maxLength ? '' : 'at least '}${def.minLength}`);
  if (raw.length > def.maxLength) fail(def.maxLength, `value has ${raw.length} characters, at most ${def.maxLength} allowed`);
  const parts: string[] = [];
  let at = 0;
  for (const c of def.components) {
    if (at >= raw.length) {
      if (c.optional) break;
      fail(at, 'value is too short');
    }
    const rest = raw.length - at;
    const take = c.min === c.max ? c.max : Math.min(c.max, rest);
    if (take > rest) fail(at, `value is too short: component needs ${take} characters, ${rest} left`);
    const part = raw.slice(at, at + take);
    for (let i = 0; i < part.length; i++) {
      const ch = part[i] ?? '';
      if (!allowed(c.type, part.charCodeAt(i), ch)) {
        const shown = ch === '\u001d' ? 'FNC1' : JSON.stringify(ch);
        fail(at + i, `character ${shown} is not allowed here (${CHARSET_NAMES[c.type]})`);
      }
    }
    for (const linter of c.linters) {
      const problem = runLinter(linter, part, { now });
      if (problem) fail(at + problem.offset, linter === 'csum' && ['00', '01', '02', '03'].includes(def.ai) ? `${keyName(def.ai)} ${problem.reason}` : problem.reason);
    }
    parts.push(part);
    at += take;
  }
  if (at < raw.length) fail(at, `unexpected characters after the value`);
  return parts;
}

function keyName(ai: string): string {
  return ai === '00' ? 'SSCC' : 'GTIN';
}

function interpret(el: RawElement, parts: string[], now: Date, warnings: BarcodeWarning[]): { value: ElementValue; unit?: string; currency?: string } {
  const { def, raw } = el;
  const linters = def.components.map((c) => c.linters);
  if (linters[0]?.some((l) => DATE_LINTERS.has(l))) return { value: dateValue(parts, linters, now) };
  if (def.decimals !== null) {
    const hasCurrency = def.components.length === 2; // 391n, 393n: ISO 4217 code, then the amount
    const digits = hasCurrency ? (parts[1] ?? '') : raw;
    const value = Number(digits) / 10 ** def.decimals;
    if (!hasCurrency) return def.unit === null ? { value } : { value, unit: def.unit };
    const numeric = parts[0] ?? '';
    const currency = ISO_4217[numeric];
    if (currency === undefined) warnings.push({ code: 'unknown-currency', message: `AI ${def.ai}: currency code ${numeric} is not in our ISO 4217 table; kept as a number code` });
    return { value, currency: currency ?? numeric };
  }
  if (/^433[0-3]$/.test(def.ai)) {
    const magnitude = Number(parts[0]) / 100;
    return { value: parts[1] === '-' ? -magnitude : magnitude, unit: def.ai === '4330' || def.ai === '4332' ? '°F' : '°C' };
  }
  return { value: raw };
}

/** Date AIs, with the time or second date that some carry: `2026-12-31`, `2026-12-31T14:30`, `2026-01-01/2026-01-05`. */
function dateValue(parts: string[], linters: (readonly string[])[], now: Date): string {
  let out = '';
  parts.forEach((part, i) => {
    const kinds = linters[i] ?? [];
    if (kinds.includes('yyyymmdd')) out += (i > 0 ? '/' : '') + (parseYyyymmdd(part) as string);
    else if (kinds.includes('yymmd0') || kinds.includes('yymmdd')) out += (i > 0 ? '/' : '') + (parseYymmdd(part, now, kinds.includes('yymmd0')) as string);
    else if (kinds.includes('hhmi')) out += `T${part.slice(0, 2)}:${part.slice(2, 4)}`;
    else if (kinds.includes('hh')) out += `T${part}`;
    else if (kinds.includes('mi') || kinds.includes('ss')) out += `:${part}`;
  });
  return out;
}

export function toElement(el: RawElement, now: Date, warnings: BarcodeWarning[]): BarcodeElement {
  const parts = checkComponents(el, now);
  const { value, unit, currency } = interpret(el, parts, now, warnings);
  const out: BarcodeElement = { ai: el.def.ai, title: el.def.title, raw: el.raw, value, position: el.aiPos };
  if (unit !== undefined) out.unit = unit;
  if (currency !== undefined) out.currency = currency;
  return out;
}

