/**
 * Weight units to grams. An unknown unit is an error, never a guess: a scale set to a unit we
 * do not expect must not make a 412 g bag look like 412 kg.
 *
 * @example
 *   toGrams(1.234, 'kg'); // 1234
 *   toGrams(2, 'dr');     // undefined: say "unknown unit" and count it
 */
const gramsPer: Record<string, number> = {
  mg: 0.001,
  g: 1,
  kg: 1000,
  t: 1_000_000,
  ct: 0.2,
  oz: 28.349523125,
  ozt: 31.1034768,
  lb: 453.59237,
  dwt: 1.55517384,
  gr: 0.06479891,
};

export function toGrams(value: number, unit: string): number | undefined {
  const factor = gramsPer[unit.trim().toLowerCase()];
  if (factor === undefined) return undefined;
  return roundGrams(value * factor);
}

/** Rounds away float noise (0.1 kg * 1000 = 100.00000000000001) to a milligram. */
export function roundGrams(grams: number): number {
  return Math.round(grams * 1000) / 1000;
}

export const knownUnits = Object.keys(gramsPer);
