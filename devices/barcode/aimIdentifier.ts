/**
 * AIM symbology identifiers (ISO/IEC 15424): `]` + code character + modifier, sent by a scanner
 * in front of the data when configured to. The modifier tells GS1 data from other data, which
 * the bare payload cannot.
 */
import type { Symbology } from './types.ts';

export interface AimInfo {
  aim: string | null;
  symbology: Symbology;
  /** How the payload must be read. */
  content: 'element-string' | 'gtin' | 'itf' | 'add-on' | 'text' | 'unknown';
}

const KNOWN: Record<string, Omit<AimInfo, 'aim'>> = {
  ']C1': { symbology: 'gs1-128', content: 'element-string' },
  ']E0': { symbology: 'ean-13', content: 'gtin' },
  ']E3': { symbology: 'ean-13', content: 'gtin' }, // EAN/UPC with add-on in one transmission
  ']E4': { symbology: 'ean-8', content: 'gtin' },
  ']E1': { symbology: 'ean-upc-add-on', content: 'add-on' },
  ']E2': { symbology: 'ean-upc-add-on', content: 'add-on' },
  ']e0': { symbology: 'gs1-databar', content: 'element-string' },
  ']d2': { symbology: 'gs1-datamatrix', content: 'element-string' },
  ']Q3': { symbology: 'gs1-qr', content: 'element-string' },
  ']J1': { symbology: 'gs1-dotcode', content: 'element-string' },
  ']I1': { symbology: 'itf', content: 'itf' },
  ']I0': { symbology: 'itf', content: 'text' },
};

const NON_GS1_BY_CODE: Record<string, Symbology> = { C: 'code-128', d: 'datamatrix', Q: 'qr', J: 'dotcode', A: 'code-39', I: 'itf' };

/** Splits the AIM identifier off `input`; data without one is `unknown` and read by its shape. */
export function readAimIdentifier(input: string): AimInfo {
  if (input.length < 3 || input.charCodeAt(0) !== 93 /* ] */) return { aim: null, symbology: 'unknown', content: 'unknown' };
  const aim = input.slice(0, 3);
  const known = KNOWN[aim];
  if (known) return { aim, ...known };
  const code = aim[1] ?? '';
  // Any other modifier (]C0, ]d1, ]Q1, ]A0 ...) is a symbology carrying plain text: store labels, URLs.
  if (/^[A-Za-z]$/.test(code) && /^[0-9A-Za-z]$/.test(aim[2] ?? '')) return { aim, symbology: NON_GS1_BY_CODE[code] ?? 'other', content: 'text' };
  return { aim: null, symbology: 'unknown', content: 'unknown' };
}
