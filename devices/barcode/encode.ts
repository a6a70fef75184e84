/**
 * The other direction: elements to an element string, the bracketed human-readable form, or a
 * Digital Link URI. Used to print labels and by the round-trip property tests.
 */
import { AI_TABLE, PREDEFINED_LENGTH_PREFIXES } from './aiTable.ts';
import { formatDigitalLink } from './digitalLink.ts';
import { GS } from './elementString.ts';
import { formatHumanReadable } from './humanReadable.ts';

export interface ElementInput {
  ai: string;
  raw: string;
}

export interface EncodeOptions {
  /** What to write for FNC1 between elements; GS (0x1D) by default. */
  separator?: string;
  /** Prepend an AIM symbology identifier, e.g. `]C1`. */
  aim?: string;
}

/**
 * FNC1 follows every element whose AI is not in the predefined-length list, except the last.
 */
export function encodeElementString(elements: readonly ElementInput[], options: EncodeOptions = {}): string {
  const separator = options.separator ?? GS;
  let out = options.aim ?? '';
  elements.forEach((e, i) => {
    if (!AI_TABLE.has(e.ai)) throw new RangeError(`unknown AI ${e.ai}`);
    out += e.ai + e.raw;
    if (i < elements.length - 1 && !PREDEFINED_LENGTH_PREFIXES.has(e.ai.slice(0, 2))) out += separator;
  });
  return out;
}

export function encodeHumanReadable(elements: readonly ElementInput[]): string {
  return formatHumanReadable(elements);
}

export function encodeDigitalLink(elements: readonly ElementInput[], base?: string): string {
  return formatDigitalLink(elements, base);
}
