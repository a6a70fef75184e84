/** GTIN helpers: GS1 mod-10 check digit (GenSpecs 7.9.1), normalisation, prefix meaning. */
import { BarcodeError } from './errors.ts';
import type { GtinPrefixClass } from './types.ts';

/** GS1 mod-10 check digit over `body` (the digits without the check digit): weights 3,1,3,... from the right. */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  let weight = 3;
  for (let i = body.length - 1; i >= 0; i--) {
    sum += (body.charCodeAt(i) - 48) * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when `digits` (check digit last) is all digits and its check digit is right. */
export function hasValidCheckDigit(digits: string): boolean {
  if (digits.length < 2 || !/^\d+$/.test(digits)) return false;
  return gs1CheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

export function isValidGtin(gtin: string): boolean {
  return (gtin.length === 8 || gtin.length === 12 || gtin.length === 13 || gtin.length === 14) && hasValidCheckDigit(gtin);
}

/**
 * A GTIN-8/12/13/14 as 14 digits, after checking its check digit. `position` is where the GTIN
 * starts in the input, so the error can point at the check digit itself.
 */
export function normalizeGtin(gtin: string, position = 1, ai: string | null = null): string {
  if (!/^\d+$/.test(gtin)) {
    const bad = gtin.search(/\D/);
    throw new BarcodeError(position + bad, `GTIN has a non-digit "${gtin[bad]}"`, ai);
  }
  if (gtin.length !== 8 && gtin.length !== 12 && gtin.length !== 13 && gtin.length !== 14) {
    throw new BarcodeError(position, `a GTIN has 8, 12, 13 or 14 digits, got ${gtin.length}`, ai);
  }
  const expected = gs1CheckDigit(gtin.slice(0, -1));
  const actual = gtin.charCodeAt(gtin.length - 1) - 48;
  if (expected !== actual) throw new BarcodeError(position + gtin.length - 1, `GTIN check digit is ${actual}, expected ${expected}`, ai);
  return gtin.padStart(14, '0');
}

/** Adds the check digit to a GTIN body of 7, 11, 12 or 13 digits. */
export function completeGtin(body: string): string {
  return body + String(gs1CheckDigit(body));
}

/** The shortest form a GTIN-14 is usually printed in (GTIN-8 inside zeros stays 8 digits). */
export function shortestGtin(gtin14: string): string {
  if (gtin14.startsWith('000000')) return gtin14.slice(6);
  if (gtin14.startsWith('00')) return gtin14.slice(2);
  if (gtin14.startsWith('0')) return gtin14.slice(1);
  return gtin14;
}

/**
 * What the prefix says about the item (GenSpecs 1.4.x GS1 prefix list). Only the classes a dark
 * store acts on are told apart; everything else is a plain trade item.
 */
export function classifyGtin(gtin14: string): GtinPrefixClass {
  if (gtin14[0] === '9') return 'variable-measure-trade-item';
  if (gtin14[0] !== '0') return classifyThirteen(gtin14.slice(1));
  if (gtin14.startsWith('000000')) {
    // GTIN-8: prefixes 0 and 2 are RCN-8, restricted to use within a company (GenSpecs 2.1.12).
    const first = gtin14[6];
    return first === '0' || first === '2' ? 'company-internal' : 'standard';
  }
  return classifyThirteen(gtin14.slice(1));
}

function classifyThirteen(g13: string): GtinPrefixClass {
  const two = g13.slice(0, 2);
  const three = g13.slice(0, 3);
  if (two === '02' || two[0] === '2') return 'variable-measure';
  if (two === '04' || two[0] === '4') return 'company-internal';
  if (two === '05' || two === '99') return 'coupon';
  if (three === '977') return 'issn';
  if (g13.startsWith('9790')) return 'ismn';
  if (three === '978' || three === '979') return 'isbn';
  if (three === '980') return 'refund-receipt';
  if (three >= '981' && three <= '984') return 'coupon';
  return 'standard';
}
