/**
 * Content checks named by the Syntax Dictionary ("linters"), applied per component. Each returns
 * null or a ValueProblem with the offset inside the component.
 *
 * Deliberately shallow: gcppos1/gcppos2 (is the company prefix allocated?) needs GS1's online
 * registry; country, package-type and coupon code lists are not shipped. These pass here.
 */
import { checkHour, checkMinuteOrSecond, parseYymmdd, parseYyyymmdd } from './dates.ts';
import { ValueProblem } from './errors.ts';
import { gs1CheckDigit } from './gtin.ts';

export interface LintContext { now: Date }

type Linter = (value: string, ctx: LintContext) => ValueProblem | null;

// CSET 82 in GS1 order: the check-character-pair algorithm (GenSpecs 7.9.5) uses these indices.
export const CSET82 = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83];

/** The two check characters of a GMN / MUDI body (GenSpecs 7.9.5). */
export function checkCharacterPair(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += CSET82.indexOf(body[i] ?? '') * (PRIMES[body.length - 1 - i] ?? 0);
  sum %= 1021;
  return (CSET32[sum >> 5] ?? '') + (CSET32[sum & 31] ?? '');
}

const csum: Linter = (v) => {
  const expected = gs1CheckDigit(v.slice(0, -1));
  const actual = v.charCodeAt(v.length - 1) - 48;
  return expected === actual ? null : new ValueProblem(v.length - 1, `check digit is ${actual}, expected ${expected}`);
};

const csumalpha: Linter = (v) => {
  if (v.length < 3 || v.length > 25) return new ValueProblem(0, 'needs at least one character and two check characters');
  const expected = checkCharacterPair(v.slice(0, -2));
  return v.endsWith(expected) ? null : new ValueProblem(v.length - 2, `check characters are ${v.slice(-2)}, expected ${expected}`);
};

function iban(v: string): ValueProblem | null {
  if (!/^[A-Z]{2}\d{2}[0-9A-Za-z]{1,30}$/.test(v)) return new ValueProblem(0, 'is not an IBAN (two letters, two check digits, then the account)');
  const moved = (v.slice(4) + v.slice(0, 4)).toUpperCase();
  let rest = 0;
  for (const ch of moved) {
    const n = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of n) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1 ? null : new ValueProblem(2, 'IBAN check digits are wrong');
}

const digitRange = (min: number, max: number, what: string): Linter => (v) => {
  const n = Number(v);
  return n >= min && n <= max ? null : new ValueProblem(0, `${v} is not a ${what}`);
};

const LINTERS: Record<string, Linter> = {
  csum,
  csumalpha,
  gcppos1: () => null,
  gcppos2: () => null,
  yymmd0: (v, ctx) => { const r = parseYymmdd(v, ctx.now, true); return typeof r === 'string' ? null : r; },
  yymmdd: (v, ctx) => { const r = parseYymmdd(v, ctx.now, false); return typeof r === 'string' ? null : r; },
  yyyymmdd: (v) => { const r = parseYyyymmdd(v); return typeof r === 'string' ? null : r; },
  hhmi: (v) => checkHour(v.slice(0, 2)) ?? offset(checkMinuteOrSecond(v.slice(2, 4), 'minute'), 2),
  hh: (v) => checkHour(v),
  mi: (v) => checkMinuteOrSecond(v, 'minute'),
  ss: (v) => checkMinuteOrSecond(v, 'second'),
  iso4217: () => null, // unknown codes are accepted and reported as a warning by elementValues.ts
  iso3166: () => null,
  iso3166999: () => null,
  iso3166alpha2: (v) => (/^[A-Z]{2}$/.test(v) ? null : new ValueProblem(0, `${v} is not a two-letter country code`)),
  pcenc: (v) => { const i = v.search(/%(?![0-9A-Fa-f]{2})/); return i < 0 ? null : new ValueProblem(i, 'a "%" must start a two-digit hex escape'); },
  yesno: (v) => (v === '0' || v === '1' ? null : new ValueProblem(0, `${v} is not 0 (no) or 1 (yes)`)),
  hyphen: (v) => (v === '-' ? null : new ValueProblem(0, `"${v}" may only be "-" (a negative temperature)`)),
  latitude: digitRange(0, 1800000000, 'latitude (0 to 1800000000)'),
  longitude: digitRange(0, 3600000000, 'longitude (0 to 3600000000)'),
  importeridx: (v) => (/^[-0-9A-Z_a-z]$/.test(v) ? null : new ValueProblem(0, `"${v}" is not an importer index character`)),
  packagetype: () => null,
  mediatype: digitRange(1, 99, 'AIDC media type'),
  iso5218: (v) => (/^[0129]$/.test(v) ? null : new ValueProblem(0, `${v} is not an ISO/IEC 5218 sex code (0, 1, 2 or 9)`)),
  posinseqslash: (v) => {
    const m = /^([1-9])\/([1-9])$/.exec(v);
    return m && Number(m[1]) <= Number(m[2]) ? null : new ValueProblem(0, `"${v}" is not a position like 1/2`);
  },
  nonzero: (v) => (/^0+$/.test(v) ? new ValueProblem(0, 'must not be zero') : null),
  winding: (v) => (/^[019]$/.test(v) ? null : new ValueProblem(0, `${v} is not a winding direction (0, 1 or 9)`)),
  zero: (v) => (v === '0' ? null : new ValueProblem(0, `must be 0, got ${v}`)),
  pieceoftotal: (v) => {
    const piece = Number(v.slice(0, 2));
    const total = Number(v.slice(2, 4));
    if (piece === 0 || total === 0) return new ValueProblem(0, 'piece and total must not be 00');
    return piece <= total ? null : new ValueProblem(0, `piece ${piece} is more than the total ${total}`);
  },
  iban,
  nozeroprefix: (v) => (v.length > 1 && v[0] === '0' ? new ValueProblem(0, 'must not start with 0') : null),
  hasnondigit: (v) => (/^\d+$/.test(v) ? new ValueProblem(0, 'must contain a non-digit') : null),
  couponcode: () => null,
  couponposoffer: () => null,
};

function offset(problem: ValueProblem | null, by: number): ValueProblem | null {
  return problem === null ? null : new ValueProblem(problem.offset + by, problem.reason);
}

export function runLinter(name: string, value: string, ctx: LintContext): ValueProblem | null {
  const linter = LINTERS[name];
  return linter ? linter(value, ctx) : null;
}

export const IMPLEMENTED_LINTERS: readonly string[] = Object.keys(LINTERS);
