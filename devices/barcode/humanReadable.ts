/**
 * The bracketed human-readable form, `(01)09501101530003(17)261231(10)LOT42`, as printed under
 * a barcode or typed by a person. A literal "(" inside a value is written "\(" (as the GS1
 * Syntax Engine does).
 */
import { AI_TABLE } from './aiTable.ts';
import type { RawElement } from './elementValues.ts';
import { BarcodeError } from './errors.ts';

export function looksHumanReadable(data: string): boolean {
  return /^\(\d{2,4}\)/.test(data);
}

export function splitHumanReadable(data: string, positionOf: (index: number) => number): RawElement[] {
  const elements: RawElement[] = [];
  let i = 0;
  while (i < data.length) {
    if (data[i] !== '(') throw new BarcodeError(positionOf(i), 'expected "(" to open an Application Identifier');
    const close = data.indexOf(')', i);
    const ai = close < 0 ? '' : data.slice(i + 1, close);
    if (!/^\d{2,4}$/.test(ai)) throw new BarcodeError(positionOf(i), 'expected an Application Identifier of 2 to 4 digits in parentheses');
    const def = AI_TABLE.get(ai);
    if (!def) throw new BarcodeError(positionOf(i + 1), `(${ai}) is not a known Application Identifier`);
    let j = close + 1;
    let raw = '';
    while (j < data.length && data[j] !== '(') {
      if (data[j] === '\\' && data[j + 1] === '(') j++;
      raw += data[j];
      j++;
    }
    elements.push({ def, raw, aiPos: positionOf(i + 1), valuePos: positionOf(close + 1) });
    i = j;
  }
  return elements;
}

/** Formats elements as the bracketed human-readable string. */
export function formatHumanReadable(elements: readonly { ai: string; raw: string }[]): string {
  let out = '';
  for (const e of elements) out += `(${e.ai})${e.raw.replaceAll('(', '\\(')}`;
  return out;
}
