/**
 * fast-check arbitraries for valid AI values, built from the AI table (formats and linters), so
 * every AI in the dictionary gets vectors and property runs without a hand-written list.
 */
import fc from 'fast-check';
import type { AiDefinition } from '../../../devices/barcode/aiTable.ts';
import { gs1CheckDigit } from '../../../devices/barcode/gtin.ts';
import { checkCharacterPair, CSET82 } from '../../../devices/barcode/linters.ts';

const CSET39 = '#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CSET64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DIGITS = '0123456789';

const chars = (set: string, min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...set.split('')), { minLength: min, maxLength: max }).map((a) => a.join(''));

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Valid dates between 1980 and 2070, so the century rule with `now` = 2026 maps them back. */
const yymmdd = fc.date({ min: new Date(Date.UTC(1977, 0, 1)), max: new Date(Date.UTC(2076, 11, 31)), noInvalidDate: true })
  .map((d) => pad(d.getUTCFullYear() % 100, 2) + pad(d.getUTCMonth() + 1, 2) + pad(d.getUTCDate(), 2));
const yyyymmdd = fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true })
  .map((d) => pad(d.getUTCFullYear(), 4) + pad(d.getUTCMonth() + 1, 2) + pad(d.getUTCDate(), 2));

function componentArb(c: AiDefinition['components'][number]): fc.Arbitrary<string> {
  const L = new Set(c.linters);
  const len = (min: number, max: number) => ({ min: Math.max(c.min, min), max: Math.min(c.max, max) });
  if (L.has('csum')) return chars(DIGITS, c.min - 1, c.max - 1).map((b) => b + String(gs1CheckDigit(b)));
  if (L.has('csumalpha')) {
    const { min, max } = len(3, 25);
    return chars(CSET82, min - 2, max - 2).filter((b) => !L.has('hasnondigit') || /\D/.test(b)).map((b) => b + checkCharacterPair(b));
  }
  if (L.has('yymmd0') || L.has('yymmdd')) return yymmdd;
  if (L.has('yyyymmdd')) return yyyymmdd;
  if (L.has('hhmi')) return fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => pad(h, 2) + pad(m, 2));
  if (L.has('hh')) return fc.integer({ min: 0, max: 23 }).map((h) => pad(h, 2));
  if (L.has('mi') || L.has('ss')) return fc.integer({ min: 0, max: 59 }).map((m) => pad(m, 2));
  if (L.has('iso4217')) return fc.constantFrom('978', '752', '826', '208');
  if (L.has('iso3166') || L.has('iso3166999')) return fc.constantFrom('752', '276', '528', '208');
  if (L.has('iso3166alpha2')) return fc.constantFrom('SE', 'DE', 'NL', 'DK');
  if (L.has('yesno')) return fc.constantFrom('0', '1');
  if (L.has('hyphen')) return fc.constant('-');
  if (L.has('latitude')) return fc.integer({ min: 0, max: 1800000000 }).map((n) => pad(n, 10));
  if (L.has('longitude')) return fc.integer({ min: 0, max: 2147483647 }).map((n) => pad(n, 10));
  if (L.has('importeridx')) return fc.constantFrom('A', 'z', '0', '-', '_');
  if (L.has('mediatype')) return fc.integer({ min: 1, max: 10 }).map((n) => pad(n, 2));
  if (L.has('iso5218')) return fc.constantFrom('0', '1', '2', '9');
  if (L.has('posinseqslash')) return fc.integer({ min: 1, max: 9 }).chain((t) => fc.integer({ min: 1, max: t }).map((p) => `${p}/${t}`));
  if (L.has('winding')) return fc.constantFrom('0', '1', '9');
  if (L.has('zero')) return fc.constant('0');
  if (L.has('pieceoftotal')) return fc.integer({ min: 1, max: 99 }).chain((t) => fc.integer({ min: 1, max: t }).map((p) => pad(p, 2) + pad(t, 2)));
  if (L.has('iban')) return fc.constantFrom('GB82WEST12345698765432', 'DE89370400440532013000', 'SE4550000000058398257466');
  if (L.has('nozeroprefix')) return fc.tuple(fc.constantFrom(...'123456789'.split('')), chars(DIGITS, c.min - 1, c.max - 1)).map(([a, b]) => a + b);
  if (L.has('nonzero')) return chars(DIGITS, c.min, c.max).filter((v) => /[1-9]/.test(v));
  const set = c.type === 'N' ? DIGITS : c.type === 'Y' ? CSET39 : c.type === 'Z' ? CSET64 : L.has('pcenc') ? CSET82.replace('%', '') : CSET82;
  return chars(set, c.min, c.max);
}

/** A valid value for `def`: every mandatory component, and optional ones in order. */
export function validValueArb(def: AiDefinition): fc.Arbitrary<string> {
  const required = def.components.filter((c) => !c.optional).map(componentArb);
  const optional = def.components.filter((c) => c.optional).map(componentArb);
  return fc.tuple(fc.tuple(...required), fc.integer({ min: 0, max: optional.length }), fc.tuple(...optional)).map(
    ([req, n, opt]) => (req as string[]).join('') + (opt as string[]).slice(0, n).join(''),
  );
}

export const NOW = new Date(Date.UTC(2026, 5, 15));
