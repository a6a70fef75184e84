import { describe, expect, it } from 'vitest';
import type { BarcodeResult } from '../../devices/barcode/index.ts';
import { verifyPickScan, type LineToPick } from '../../gateway/workflows/pickVerifier.ts';
import { scannedItem } from '../../gateway/workflows/scannedItem.ts';
import { catalog, cheeseLabel, gtin, itemScan, today } from './fixtures.ts';

const line = (over: Partial<LineToPick> = {}): LineToPick => ({ sku: 'MILK', qty: 2, picked: 0, substitutes: [], bin: 'A-01', ...over });
const verify = (barcode: BarcodeResult, l: LineToPick = line(), stockExpiry?: string) =>
  verifyPickScan({ line: l, item: scannedItem(barcode)!, catalog, today, ...(stockExpiry ? { stockExpiry } : {}) });

describe('verifyPickScan: accepted', () => {
  it.each<[string, BarcodeResult, LineToPick, Record<string, unknown>, string?]>([
    ['the line\'s GTIN', itemScan(gtin.milk), line(), { ok: true, sku: 'MILK', qty: 1 }],
    ['a second GTIN of the same SKU (the 6-pack indicator)', itemScan(gtin.milk6), line(), { ok: true, sku: 'MILK', qty: 1 }],
    ['a lot with enough shelf life', itemScan(gtin.milk, { expiry: '2026-12-05', lot: 'L1' }), line(), { ok: true, expiry: '2026-12-05' }],
    ['a count (AI 30) up to the ordered quantity', itemScan(gtin.milk, { count: 2 }), line(), { ok: true, qty: 2 }],
    ['the last unit of a line', itemScan(gtin.milk), line({ picked: 1 }), { ok: true, qty: 1 }],
    ['an allowed substitute', itemScan(gtin.lactoseFree), line({ substitutes: ['MILK-LF'] }), { ok: true, sku: 'MILK-LF', substituteFor: 'MILK' }],
    ['a variable-measure item within its tolerance', cheeseLabel(540), line({ sku: 'CHEESE', qty: 1 }), { ok: true, sku: 'CHEESE', grams: 540 }],
    ['a variable-measure item at the edge of its tolerance', cheeseLabel(400), line({ sku: 'CHEESE', qty: 1 }), { ok: true, grams: 400 }],
    ['the expiry of the stock lot when the barcode has none', itemScan(gtin.milk), line(), { ok: true, expiry: '2026-12-20' }, '2026-12-20'],
    ['a barcode expiry wins over the stock one', itemScan(gtin.milk, { expiry: '2026-12-10' }), line(), { ok: true, expiry: '2026-12-10' }, '2026-11-01'],
  ])('%s', (_name, barcode, l, expected, stockExpiry) => {
    expect(verify(barcode, l, stockExpiry)).toMatchObject(expected);
  });
});

describe('verifyPickScan: refused, with the reason the picker sees', () => {
  it.each<[string, BarcodeResult, LineToPick, string, Record<string, unknown>, string?]>([
    ['a wrong item', itemScan(gtin.oat), line(), 'pick.wrongItem', { scanned: 'Oat Milk 1L', expected: 'Whole Milk 1L' }],
    ['an unknown GTIN', itemScan(gtin.unknown), line(), 'pick.unknownItem', { gtin: gtin.unknown }],
    ['a substitute the OMS did not allow for this line', itemScan(gtin.lactoseFree), line(), 'pick.wrongItem', { scanned: 'Lactose-free Milk 1L' }],
    ['a substitute allowed for another SKU only', itemScan(gtin.oat), line({ substitutes: ['MILK-LF'] }), 'pick.wrongItem', { scanned: 'Oat Milk 1L' }],
    ['an expired lot', itemScan(gtin.milk, { expiry: '2026-12-02', lot: 'L9' }), line(), 'pick.expired', { lot: 'L9', expiry: '2026-12-02' }],
    ['an expired lot known from stock only', itemScan(gtin.milk), line(), 'pick.expired', { expiry: '2026-11-30' }, '2026-11-30'],
    ['too little shelf life left', itemScan(gtin.yog, { expiry: '2026-12-06' }), line({ sku: 'YOG' }), 'pick.shortShelfLife', { expiry: '2026-12-06', daysLeft: 3, minDays: 5 }],
    ['shelf life of a substitute is the substitute\'s', itemScan(gtin.yog, { expiry: '2026-12-04' }), line({ sku: 'MILK', substitutes: ['YOG'] }), 'pick.shortShelfLife', { minDays: 5 }],
    ['one more than ordered', itemScan(gtin.milk), line({ picked: 2 }), 'pick.tooMany', { qty: 2, picked: 2 }],
    ['a count that overshoots', itemScan(gtin.milk, { count: 3 }), line(), 'pick.tooMany', { scannedCount: 3 }],
    ['a variable-measure item without its weight', itemScan(gtin.cheese), line({ sku: 'CHEESE', qty: 1 }), 'pick.weightMissing', { name: 'Gouda by weight' }],
    ['a variable-measure item too heavy', cheeseLabel(650), line({ sku: 'CHEESE', qty: 1 }), 'pick.weightOutOfRange', { grams: 650, expected: 500, tolerance: 100 }],
    ['a variable-measure item too light', cheeseLabel(390), line({ sku: 'CHEESE', qty: 1 }), 'pick.weightOutOfRange', { grams: 390 }],
  ])('%s: %s', (_name, barcode, l, key, params, stockExpiry) => {
    const verdict = verify(barcode, l, stockExpiry);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.failure.key).toBe(key);
    expect(verdict.failure.params).toMatchObject(params);
  });
});
