/** Reads the item reference and the weight, price or count out of a variable-measure RCN-13. */
import { BarcodeError } from './errors.ts';
import { gs1CheckDigit } from './gtin.ts';
import { layoutProblem, MARKET_LAYOUTS } from './marketLayouts.ts';
import { priceCheckDigit } from './priceCheckDigit.ts';
import type { BarcodeOptions, BarcodeWarning, VariableMeasure, VariableMeasureLayout } from './types.ts';

export function findLayout(prefix: string, options: BarcodeOptions): VariableMeasureLayout | null {
  const custom = options.customLayouts?.find((l) => l.prefix === prefix);
  if (custom) {
    const problem = layoutProblem(custom);
    if (problem) throw new BarcodeError(1, `custom variable-measure layout is unusable: ${problem}; fix barcodes.customLayouts`);
    return custom;
  }
  if (!options.market) return null;
  return MARKET_LAYOUTS[options.market].find((l) => l.prefix === prefix) ?? null;
}

/**
 * `gtin14` is a variable-measure GTIN (its GTIN-13 starts 02 or 2X); `g13Position` is the input
 * position of the GTIN-13's first digit, so a wrong verifier digit is reported where it is.
 */
export function readVariableMeasure(gtin14: string, g13Position: number, options: BarcodeOptions, warnings: BarcodeWarning[]): VariableMeasure {
  const g13 = gtin14.slice(1);
  const prefix = g13.slice(0, 2);
  const empty: VariableMeasure = { market: options.market ?? null, prefix, itemReference: null, lookupGtin: null, kind: null, value: null, unit: null, currency: null, verifierChecked: false };
  const layout = findLayout(prefix, options);
  if (!layout) {
    if (!options.market && !options.customLayouts?.length) {
      warnings.push({ code: 'variable-measure-unknown-market', message: `GTIN ${g13} is a variable-measure number (prefix ${prefix}); set the market (e.g. --market SE) to read its weight or price` });
    } else {
      warnings.push({ code: 'variable-measure-unknown-prefix', message: `prefix ${prefix} has no variable-measure layout in market ${options.market ?? '(custom only)'}; treated as a plain item number` });
    }
    return empty;
  }
  const valueStart = layout.itemLength + (layout.verifier ? 1 : 0);
  const digits = g13.slice(valueStart, valueStart + layout.valueLength);
  let verifierChecked = false;
  if (layout.verifier) {
    const expected = priceCheckDigit(digits);
    const actual = Number(g13[layout.itemLength]);
    if (expected !== actual) throw new BarcodeError(g13Position + layout.itemLength, `${layout.kind} verifier digit is ${actual}, expected ${expected} for ${layout.kind} digits ${digits}`);
    verifierChecked = true;
  }
  const zeroed = g13.slice(0, layout.itemLength) + (layout.verifier ? String(priceCheckDigit('0'.repeat(layout.valueLength))) : '') + '0'.repeat(layout.valueLength);
  return {
    market: options.market ?? null,
    prefix,
    itemReference: g13.slice(0, layout.itemLength),
    lookupGtin: `0${zeroed}${gs1CheckDigit(zeroed)}`,
    kind: layout.kind,
    value: Number(digits) / 10 ** layout.decimals,
    unit: layout.kind === 'weight' ? (layout.unit ?? 'kg') : null,
    currency: layout.kind === 'price' ? (layout.currency ?? null) : null,
    verifierChecked,
  };
}
