/**
 * The pick verification rules as one pure function: is this scanned item right for this line?
 * Checked in the order a picker can fix them: the item (or an allowed substitute), the shelf
 * life, the quantity, then a variable-measure item's weight. Each failure is a message key with
 * its parameters; the same key is recorded in `verification.failed` and shown to the picker.
 *
 * @example
 *   verifyPickScan({ line, item: scannedItem(barcode)!, catalog, today: '2026-12-03' });
 *   // { ok: false, failure: { key: 'pick.wrongItem', params: { scanned: 'Oat Milk 1L', expected: 'Whole Milk 1L', ... } } }
 */
import { msg, type Message } from '../messages/messages.ts';
import type { ScannedItem } from './scannedItem.ts';
import { checkShelfLife } from './shelfLife.ts';
import type { CatalogItem, CatalogView } from './types.ts';

export interface LineToPick {
  sku: string;
  qty: number;
  picked: number;
  /** SKUs the OMS allows in place of `sku` for this line. */
  substitutes: readonly string[];
  bin?: string;
}

export interface VerifyPickInput {
  line: LineToPick;
  item: ScannedItem;
  catalog: CatalogView;
  /** Store date, YYYY-MM-DD. */
  today: string;
  /** Expiry of the lot from stock when the barcode carries none. */
  stockExpiry?: string;
}

export type PickVerdict =
  | { ok: true; sku: string; substituteFor?: string; qty: number; grams?: number; expiry?: string }
  | { ok: false; failure: Message };

export function verifyPickScan(input: VerifyPickInput): PickVerdict {
  const { line, item, catalog, today } = input;
  const expectedItem = catalog.item(line.sku);
  const expectedName = expectedItem?.name ?? line.sku;
  const sku = catalog.skuOfGtin(item.gtin);
  const scanned = sku === undefined ? undefined : catalog.item(sku);
  if (sku === undefined || scanned === undefined) return fail(msg('pick.unknownItem', { gtin: item.gtin, expected: expectedName }));

  const isSubstitute = sku !== line.sku && line.substitutes.includes(sku);
  if (sku !== line.sku && !isSubstitute) {
    return fail(msg('pick.wrongItem', { scanned: scanned.name, expected: expectedName, scannedSku: sku, expectedSku: line.sku, gtin: item.gtin }));
  }

  const expiry = item.expiry ?? input.stockExpiry;
  const shelfLife = checkShelfLife({ expiry, minDays: scanned.minShelfLifeDays, today });
  if (!shelfLife.ok) {
    return fail(
      shelfLife.reason === 'expired'
        ? msg('pick.expired', { lot: item.lot, expiry, sku, today })
        : msg('pick.shortShelfLife', { lot: item.lot, expiry, daysLeft: shelfLife.daysLeft, minDays: scanned.minShelfLifeDays, sku }),
    );
  }

  if (line.picked + item.count > line.qty) {
    return fail(msg('pick.tooMany', { name: expectedName, qty: line.qty, picked: line.picked, scannedCount: item.count, sku }));
  }

  if (scanned.variableMeasure) {
    const weight = checkVariableMeasure(scanned, item);
    if (weight) return fail(weight);
  }

  return {
    ok: true,
    sku,
    qty: item.count,
    ...(isSubstitute ? { substituteFor: line.sku } : {}),
    ...(item.grams !== undefined ? { grams: item.grams } : {}),
    ...(expiry !== undefined ? { expiry } : {}),
  };
}

/** A variable-measure item must carry its weight, within the catalog's unit weight +/- tolerance. */
function checkVariableMeasure(item: CatalogItem, scanned: ScannedItem): Message | undefined {
  if (scanned.grams === undefined) return msg('pick.weightMissing', { name: item.name, sku: item.sku });
  if (item.unitGrams === undefined || item.toleranceGrams === undefined) return undefined;
  const perUnit = scanned.grams / scanned.count;
  if (Math.abs(perUnit - item.unitGrams) > item.toleranceGrams) {
    return msg('pick.weightOutOfRange', { name: item.name, grams: scanned.grams, expected: item.unitGrams * scanned.count, tolerance: item.toleranceGrams * scanned.count, sku: item.sku });
  }
  return undefined;
}

const fail = (failure: Message): PickVerdict => ({ ok: false, failure });
