/**
 * Replenishment and count tasks as pure functions. A pick face (a bin with `pickFace` in the
 * layout) whose stock of a SKU falls below `pickFace.min` needs a replenishment up to
 * `pickFace.max`, taken from the reserve bins holding that SKU, earliest expiry first. A count
 * task compares the units counted with the stock the log says is there.
 *
 * @example
 *   replenishmentNeeds(stockRows, bins, new Set()) // [{ sku: 'MILK', toBin: 'A-01', qty: 10, sources: [{ bin: 'R-01', lot: 'L1', qty: 24, expiry: '2026-12-20' }] }]
 */
import type { BinConfig } from '../../config/schema.ts';
import type { StockRow } from './pickPlanner.ts';

export interface ReplenishmentNeed {
  sku: string;
  toBin: string;
  /** Units to bring the pick face back to its max. */
  qty: number;
  /** Reserve lots holding the SKU, earliest expiry first. */
  sources: Array<{ bin: string; lot: string; qty: number; expiry: string | null }>;
}

/**
 * Pick faces below their minimum that have no open task and stock in reserve to refill from.
 * `emptyFaces` names the SKU of each pick face that holds nothing at all (its slot: the
 * configured `pickFace.sku`, or the SKU it held last), so an empty face is refilled too.
 */
export function replenishmentNeeds(stock: readonly StockRow[], bins: readonly BinConfig[], openTaskBins: ReadonlySet<string>, emptyFaces: ReadonlyMap<string, string> = new Map()): ReplenishmentNeed[] {
  const reserve = new Set(bins.filter((b) => !b.pickFace).map((b) => b.id));
  const needs: ReplenishmentNeed[] = [];
  for (const bin of bins) {
    if (!bin.pickFace || openTaskBins.has(bin.id)) continue;
    const skus = [...new Set([...stock.filter((s) => s.bin === bin.id).map((s) => s.sku), ...(emptyFaces.has(bin.id) ? [emptyFaces.get(bin.id)!] : [])])];
    for (const sku of skus) {
      const held = stock.filter((s) => s.bin === bin.id && s.sku === sku).reduce((n, s) => n + s.qty, 0);
      if (held >= bin.pickFace.min) continue;
      const sources = stock
        .filter((s) => s.sku === sku && s.qty > 0 && reserve.has(s.bin))
        .sort((a, b) => ((a.expiry ?? '9999') < (b.expiry ?? '9999') ? -1 : (a.expiry ?? '9999') > (b.expiry ?? '9999') ? 1 : a.bin.localeCompare(b.bin)))
        .map((s) => ({ bin: s.bin, lot: s.lot, qty: s.qty, expiry: s.expiry }));
      if (sources.length > 0) needs.push({ sku, toBin: bin.id, qty: bin.pickFace.max - Math.max(0, held), sources });
    }
  }
  return needs;
}

/** The stock.counted record of a count: the variance goes to the bin's largest lot of the SKU. */
export function countResult(sku: string, bin: string, counted: number, stock: readonly StockRow[]): { sku: string; bin: string; lot: string; counted: number; expected: number; delta: number } {
  const lots = stock.filter((s) => s.sku === sku && s.bin === bin);
  const expected = lots.reduce((n, s) => n + s.qty, 0);
  const lot = [...lots].sort((a, b) => b.qty - a.qty)[0]?.lot ?? '';
  return { sku, bin, lot, counted, expected, delta: counted - expected };
}
