import { describe, expect, it } from 'vitest';
import { checkweigh, expectedBagWeight, type BagItem } from '../../gateway/workflows/checkweigh.ts';

const settings = { packagingGrams: 40, toleranceGrams: 50, tolerancePercent: 3 };

describe('expectedBagWeight', () => {
  it.each<[string, BagItem[], typeof settings, { expected: number; tolerance: number; unknownWeight: string[] }]>([
    ['packaging only', [], settings, { expected: 40, tolerance: 50, unknownWeight: [] }],
    ['unit weights times quantity plus packaging', [{ sku: 'MILK', qty: 2, unitGrams: 1030 }], settings, { expected: 2100, tolerance: 63, unknownWeight: [] }],
    ['the absolute bound wins on a light bag', [{ sku: 'YOG', qty: 1, unitGrams: 160 }], settings, { expected: 200, tolerance: 50, unknownWeight: [] }],
    ['the percentage wins on a heavy bag', [{ sku: 'WATER', qty: 6, unitGrams: 1550 }], settings, { expected: 9340, tolerance: 280, unknownWeight: [] }],
    ['catalog tolerances raise the absolute bound', [{ sku: 'EGGS', qty: 4, unitGrams: 400, toleranceGrams: 20 }], { ...settings, tolerancePercent: 0 }, { expected: 1640, tolerance: 80, unknownWeight: [] }],
    ['a measured variable-measure weight replaces unit x qty', [{ sku: 'CHEESE', qty: 2, unitGrams: 500, measuredGrams: 1234 }], settings, { expected: 1274, tolerance: 50, unknownWeight: [] }],
    ['an item without a weight is reported', [{ sku: 'BREAD', qty: 1 }, { sku: 'MILK', qty: 1, unitGrams: 1030 }], settings, { expected: 1070, tolerance: 50, unknownWeight: ['BREAD'] }],
    ['zero tolerance settings', [{ sku: 'MILK', qty: 1, unitGrams: 1030 }], { packagingGrams: 0, toleranceGrams: 0, tolerancePercent: 0 }, { expected: 1030, tolerance: 0, unknownWeight: [] }],
  ])('%s', (_name, items, s, expected) => {
    expect(expectedBagWeight(items, s)).toEqual(expected);
  });
});

describe('checkweigh', () => {
  const e = { expected: 2100, tolerance: 63 };
  it.each([
    [2100, true, 0],
    [2163, true, 63],
    [2037, true, -63],
    [2164, false, 64],
    [2036, false, -64],
    [2410, false, 310],
    [0, false, -2100],
    [2100.4, true, 0],
  ])('%d g against 2100 +/- 63 g: pass %s, delta %d', (grams, pass, delta) => {
    expect(checkweigh(grams, e)).toEqual({ pass, delta });
  });
});
