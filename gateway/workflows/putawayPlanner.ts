/**
 * Where received stock goes: the SKU's pick face when it has room (pickFace.max counts units of
 * the SKU already there; an empty face counts when `emptyFaces` names it for the SKU), else a
 * reserve bin that already holds the SKU, else an empty reserve bin. Pick faces are bins with a
 * `pickFace` in the layout; every other bin is reserve.
 *
 * @example
 *   suggestPutawayBin('MILK', 12, stockRows, bins) // { bin: 'A-01', light: { device: 'lights-1', address: 1 } }
 */
import type { BinConfig } from '../../config/schema.ts';
import type { StockRow } from './pickPlanner.ts';

export interface PutawaySuggestion {
  bin: string;
  light?: { device: string; address: number | string };
}

export function suggestPutawayBin(
  sku: string,
  qty: number,
  stock: readonly StockRow[],
  bins: readonly BinConfig[],
  exclude: readonly string[] = [],
  emptyFaces: ReadonlyMap<string, string> = new Map(),
): PutawaySuggestion | undefined {
  const held = (bin: string, ofSku?: string) => stock.filter((s) => s.bin === bin && (ofSku === undefined || s.sku === ofSku)).reduce((n, s) => n + s.qty, 0);
  const usable = bins.filter((b) => !exclude.includes(b.id));
  // The SKU's pick face: one holding it and nothing else, or an empty one slotted for it.
  const faces = usable.filter((b) => b.pickFace && ((held(b.id, sku) > 0 && held(b.id) - held(b.id, sku) === 0) || (emptyFaces.get(b.id) === sku && held(b.id) === 0)));
  const face = faces.find((b) => b.pickFace!.max - held(b.id, sku) >= qty);
  const reserve = usable.filter((b) => !b.pickFace);
  const chosen = face ?? reserve.find((b) => held(b.id, sku) > 0) ?? reserve.find((b) => held(b.id) === 0);
  if (!chosen) return undefined;
  return { bin: chosen.id, ...(chosen.light ? { light: { device: chosen.light.device, address: chosen.light.address } } : {}) };
}
