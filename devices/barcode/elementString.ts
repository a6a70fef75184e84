/**
 * Splits a GS1 element string (AIs concatenated, FNC1 sent as GS 0x1D) into AIs and values.
 * The separator rule: an AI whose two-digit prefix is in the predefined-length list takes
 * exactly its length; any other AI runs to the next GS or the end of the data.
 */
import { aiAt, PREDEFINED_LENGTH_PREFIXES } from './aiTable.ts';
import type { RawElement } from './elementValues.ts';
import { BarcodeError } from './errors.ts';

export const GS = '\u001d';

/** `positionOf(i)` gives the 1-based input position of `data[i]` (the data may have been normalised). */
export function splitElementString(data: string, positionOf: (index: number) => number): { elements: RawElement[]; redundantFnc1: boolean } {
  const elements: RawElement[] = [];
  let redundantFnc1 = false;
  let i = 0;
  // Some scanners send the leading FNC1 of the symbol as a GS; it carries no data.
  while (data[i] === GS) i++;
  if (i >= data.length) throw new BarcodeError(positionOf(Math.max(0, i - 1)), 'no data after the symbology identifier');
  while (i < data.length) {
    const def = aiAt(data, i);
    if (!def) throw new BarcodeError(positionOf(i), `no Application Identifier starts with "${data.slice(i, i + 4).replace(GS, '<GS>')}"`);
    const valueStart = i + def.ai.length;
    let end: number;
    const predefined = PREDEFINED_LENGTH_PREFIXES.get(def.ai.slice(0, 2));
    if (predefined !== undefined) {
      end = valueStart + predefined;
      if (end > data.length) {
        throw new BarcodeError(positionOf(valueStart), `value has ${data.length - valueStart} characters, needs ${predefined}`, def.ai);
      }
      const gs = data.indexOf(GS, valueStart);
      if (gs >= 0 && gs < end) throw new BarcodeError(positionOf(gs), `FNC1 inside a fixed-length value (needs ${predefined} characters)`, def.ai);
    } else {
      const gs = data.indexOf(GS, valueStart);
      end = gs < 0 ? data.length : gs;
      if (end - valueStart > def.maxLength) {
        const reason = def.minLength === def.maxLength
          ? `value must be ended by FNC1 after ${def.maxLength} characters: only AIs starting 00-04, 11-20, 31-36 and 41 have a predefined length`
          : `value has ${end - valueStart} characters, at most ${def.maxLength} allowed (missing FNC1?)`;
        throw new BarcodeError(positionOf(valueStart + def.maxLength), reason, def.ai);
      }
    }
    elements.push({ def, raw: data.slice(valueStart, end), aiPos: positionOf(i), valuePos: positionOf(valueStart) });
    i = end;
    if (data[i] === GS) {
      // FNC1 after a predefined-length AI is not needed; tolerated, but reported.
      if (predefined !== undefined) redundantFnc1 = true;
      i++;
    }
  }
  return { elements, redundantFnc1 };
}
