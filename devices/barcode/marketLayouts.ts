/**
 * National variable-measure layouts for RCN-13 prefixes 02 and 20-29. Each GS1 Member
 * Organisation defines its own; a store picks its market in config, and can add or override
 * prefixes with custom layouts (a scale vendor's format, a retailer's in-store scheme).
 *
 * Sources: GS1 Sweden "Hur skapar jag mina viktvarunummer?"; GS1 Germany "GTIN in der
 * Anwendung"; GS1 UK "How to barcode variable measure items" (20XXX RR V PPPP C); GS1 Denmark
 * "GTIN-13 pris"/"GTIN-13 vaegt". The Netherlands layout is the common scale configuration and was
 * NOT checked against a GS1 Nederland publication: confirm it or override it with customLayouts.
 */
import type { Market, MeasureKind, VariableMeasureLayout } from './types.ts';

function layouts(prefixes: string[], kind: MeasureKind, itemLength: number, verifier: boolean, valueLength: number, decimals: number, extra: { unit?: string; currency?: string }): VariableMeasureLayout[] {
  return prefixes.map((prefix) => ({ prefix, kind, itemLength, verifier, valueLength, decimals, ...extra }));
}

const SE: VariableMeasureLayout[] = [
  ...layouts(['20'], 'price', 8, false, 4, 2, { currency: 'SEK' }),
  ...layouts(['21'], 'price', 8, false, 4, 1, { currency: 'SEK' }),
  ...layouts(['22'], 'price', 8, false, 4, 0, { currency: 'SEK' }),
  ...layouts(['23'], 'weight', 8, false, 4, 3, { unit: 'kg' }),
  ...layouts(['24'], 'weight', 8, false, 4, 2, { unit: 'kg' }),
  ...layouts(['25'], 'weight', 8, false, 4, 1, { unit: 'kg' }),
];

// Germany: 2X IIII V MMMMM C, the verifier over the five-digit measure (GenSpecs 7.9.4).
const DE: VariableMeasureLayout[] = [
  ...layouts(['22', '23'], 'price', 6, true, 5, 2, { currency: 'EUR' }),
  ...layouts(['25', '26'], 'count', 6, true, 5, 0, {}),
  ...layouts(['28', '29'], 'weight', 6, true, 5, 3, { unit: 'kg' }),
];

// UK: 20XXX RR V PPPP C, the verifier over the four-digit price in pence (GenSpecs 7.9.3).
const GB: VariableMeasureLayout[] = layouts(['20', '28'], 'price', 7, true, 4, 2, { currency: 'GBP' });

const DK: VariableMeasureLayout[] = [
  ...layouts(['21', '22', '23', '24'], 'price', 6, false, 6, 2, { currency: 'DKK' }),
  ...layouts(['26', '28'], 'weight', 6, false, 6, 3, { unit: 'kg' }),
  ...layouts(['27'], 'weight', 7, false, 5, 3, { unit: 'kg' }),
];

// Unverified (see header): 2X IIIII MMMMM C, price in euro cents or weight in grams.
const NL: VariableMeasureLayout[] = [
  ...layouts(['21', '22', '23', '24'], 'price', 7, false, 5, 2, { currency: 'EUR' }),
  ...layouts(['28', '29'], 'weight', 7, false, 5, 3, { unit: 'kg' }),
];

export const MARKET_LAYOUTS: Readonly<Record<Market, readonly VariableMeasureLayout[]>> = { SE, DE, GB, UK: GB, DK, NL };

export const MARKETS: readonly Market[] = ['SE', 'DE', 'GB', 'UK', 'DK', 'NL'];

/** Why a layout is impossible, or null when it fits a 13-digit RCN. */
export function layoutProblem(l: VariableMeasureLayout): string | null {
  if (!/^(02|2\d)$/.test(l.prefix)) return `prefix "${l.prefix}" is not a variable-measure prefix (02 or 20-29)`;
  if (l.itemLength + (l.verifier ? 1 : 0) + l.valueLength !== 12) return `prefix ${l.prefix}: item ${l.itemLength} + verifier ${l.verifier ? 1 : 0} + value ${l.valueLength} digits must make 12`;
  if (l.itemLength < 2) return `prefix ${l.prefix}: the item reference includes the two prefix digits`;
  if (l.verifier && l.valueLength !== 4 && l.valueLength !== 5) return `prefix ${l.prefix}: a verifier digit covers a 4- or 5-digit value only`;
  if (l.decimals < 0 || l.decimals > l.valueLength) return `prefix ${l.prefix}: ${l.decimals} decimals do not fit ${l.valueLength} digits`;
  return null;
}
