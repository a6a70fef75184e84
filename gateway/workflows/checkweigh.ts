/**
 * Checkweigh rules for a packed bag: expected = sum of item weights + packaging; tolerance = the
 * larger of an absolute bound (store or station config, raised to the sum of the catalog's
 * per-item tolerances when those are larger) and a percentage of the expected weight. A bag with
 * an item of unknown weight cannot be checked and needs a supervisor.
 *
 * @example
 *   const e = expectedBagWeight([{ sku: 'MILK', qty: 2, unitGrams: 1030 }], { packagingGrams: 40, toleranceGrams: 50, tolerancePercent: 3 });
 *   // { expected: 2100, tolerance: 63, unknownWeight: [] }
 *   checkweigh(2410, e); // { pass: false, delta: 310 }
 */

export interface BagItem {
  sku: string;
  qty: number;
  /** Catalog unit weight; undefined when the catalog has none. */
  unitGrams?: number;
  toleranceGrams?: number;
  /** Weight captured at picking for variable-measure items (replaces unitGrams x qty). */
  measuredGrams?: number;
}

export interface CheckweighSettings {
  packagingGrams: number;
  toleranceGrams: number;
  tolerancePercent: number;
}

export interface ExpectedWeight {
  expected: number;
  tolerance: number;
  /** SKUs whose weight is unknown: the check cannot pass on its own. */
  unknownWeight: string[];
}

export function expectedBagWeight(items: BagItem[], settings: CheckweighSettings): ExpectedWeight {
  let expected = settings.packagingGrams;
  let catalogTolerance = 0;
  const unknownWeight: string[] = [];
  for (const item of items) {
    if (item.measuredGrams !== undefined) expected += item.measuredGrams;
    else if (item.unitGrams !== undefined) expected += item.unitGrams * item.qty;
    else unknownWeight.push(item.sku);
    catalogTolerance += (item.toleranceGrams ?? 0) * item.qty;
  }
  const absolute = Math.max(settings.toleranceGrams, catalogTolerance);
  const tolerance = Math.max(absolute, (expected * settings.tolerancePercent) / 100);
  return { expected: Math.round(expected), tolerance: Math.round(tolerance), unknownWeight };
}

export function checkweigh(grams: number, expected: Pick<ExpectedWeight, 'expected' | 'tolerance'>): { pass: boolean; delta: number } {
  const delta = Math.round(grams - expected.expected);
  return { pass: Math.abs(delta) <= expected.tolerance, delta };
}
