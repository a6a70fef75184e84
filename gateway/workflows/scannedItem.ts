/**
 * Reads what a workflow needs from a decoded scan of a trade item: the catalog key (a
 * variable-measure label maps to its measure-free lookup GTIN), lot (AI 10), expiry (AI 17,
 * else best-before AI 15), count (AI 30/37) and weight in grams (AI 310n or a weight label).
 *
 * @example
 *   scannedItem(decodeBarcode(']C101095011015300031726123110LOT42'))
 *   // { gtin: '09501101530003', lot: 'LOT42', expiry: '2026-12-31', count: 1 }
 */
import type { BarcodeResult } from '../../devices/barcode/index.ts';

export interface ScannedItem {
  /** 14-digit GTIN to look up in the catalog. */
  gtin: string;
  lot?: string;
  expiry?: string;
  count: number;
  grams?: number;
  /** A price-embedded label: the amount, for the record. */
  price?: number;
}

const toGrams = (value: number, unit: string | null | undefined) => (unit === 'g' ? value : unit === 'lb' ? value * 453.59237 : value * 1000);

export function scannedItem(barcode: BarcodeResult): ScannedItem | undefined {
  const vm = barcode.variableMeasure;
  const element = (ai: string) => barcode.elements.find((e) => e.ai === ai)?.value;
  // A logistic unit label (GS1-128 on a case) carries the contained items' GTIN in AI 02 with
  // their count in AI 37, and no AI 01.
  const contained = element('02');
  const key = vm?.lookupGtin ? vm.lookupGtin.padStart(14, '0') : (barcode.gtin ?? (typeof contained === 'string' ? contained : undefined));
  if (!key) return undefined;
  // 310n net weight in kg, 320n in pounds.
  const weightElement = barcode.elements.find((e) => /^3[12]0\d$/.test(e.ai));
  const item: ScannedItem = { gtin: key, count: 1 };
  const lot = element('10');
  if (lot !== undefined) item.lot = String(lot);
  const expiry = element('17') ?? element('15');
  if (expiry !== undefined) item.expiry = String(expiry).slice(0, 10);
  const count = element('30') ?? element('37');
  if (count !== undefined && Number(count) > 0) item.count = Number(count);
  if (weightElement && typeof weightElement.value === 'number') item.grams = Math.round(toGrams(weightElement.value, weightElement.unit));
  if (vm?.kind === 'weight' && vm.value !== null) item.grams = Math.round(toGrams(vm.value, vm.unit));
  if (vm?.kind === 'count' && vm.value !== null && vm.value > 0) item.count = vm.value;
  if (vm?.kind === 'price' && vm.value !== null) item.price = vm.value;
  return item;
}
