/**
 * Price/weight verifier digits for variable-measure EAN-13 (GenSpecs 7.9.2-7.9.4).
 *
 * Each weighting factor maps a digit to a product digit: "2-" multiplies by 2 and subtracts the
 * tens digit, "3" keeps the units of the product, "5+" multiplies by 5 and adds the tens digit,
 * "5-" multiplies by 5 and subtracts the tens digit. The tables below are those rules written
 * out, as printed in GenSpecs figure 7.9.2-1; tests recompute them from the rule.
 */
export const WEIGHT_2_MINUS = [0, 2, 4, 6, 8, 9, 1, 3, 5, 7] as const;
export const WEIGHT_3 = [0, 3, 6, 9, 2, 5, 8, 1, 4, 7] as const;
export const WEIGHT_5_PLUS = [0, 5, 1, 6, 2, 7, 3, 8, 4, 9] as const;
export const WEIGHT_5_MINUS = [0, 5, 9, 4, 8, 3, 7, 2, 6, 1] as const;

const at = (table: readonly number[], digit: string | undefined): number => table[(digit ?? '0').charCodeAt(0) - 48] ?? 0;

/** 7.9.3: four-digit price field, factors 2-, 2-, 3, 5-; the check digit is the units of 3 x the sum. */
export function fourDigitPriceCheckDigit(price: string): number {
  const sum = at(WEIGHT_2_MINUS, price[0]) + at(WEIGHT_2_MINUS, price[1]) + at(WEIGHT_3, price[2]) + at(WEIGHT_5_MINUS, price[3]);
  return (sum * 3) % 10;
}

/**
 * 7.9.4: five-digit price field, factors 5+, 2-, 5-, 5+, 2-. Ten minus the units of the sum is
 * the "5-" product of the check digit, so the check digit is found through the inverse of 5-.
 */
export function fiveDigitPriceCheckDigit(price: string): number {
  const sum = at(WEIGHT_5_PLUS, price[0]) + at(WEIGHT_2_MINUS, price[1]) + at(WEIGHT_5_MINUS, price[2]) + at(WEIGHT_5_PLUS, price[3]) + at(WEIGHT_2_MINUS, price[4]);
  const target = (10 - (sum % 10)) % 10;
  return WEIGHT_5_MINUS.indexOf(target as (typeof WEIGHT_5_MINUS)[number]);
}

export function priceCheckDigit(value: string): number {
  if (!/^\d{4,5}$/.test(value)) throw new RangeError(`a price verifier covers 4 or 5 digits, got "${value}"`);
  return value.length === 4 ? fourDigitPriceCheckDigit(value) : fiveDigitPriceCheckDigit(value);
}
