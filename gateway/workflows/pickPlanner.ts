/**
 * Plans where each line of a released order is picked from, and which order goes next.
 * Bins: among bins holding the SKU (or an allowed substitute is not planned: the ordered SKU is),
 * pick faces first, then the lot that expires first (FEFO), then the bin id.
 *
 * @example
 *   planPickLines(order, stockRows, bins, catalog) // [{ line: 1, sku: 'MILK', bin: 'A-01-01', lot: 'L1', light: {...}, ... }]
 */
import type { BinConfig } from '../../config/schema.ts';
import type { PickLine } from './pickWorkflow.ts';
import type { CatalogView } from './types.ts';

export interface StockRow {
  sku: string;
  bin: string;
  lot: string;
  expiry: string | null;
  qty: number;
}

export interface ReleasedOrder {
  orderId: string;
  priority: number;
  dueAt?: string | null;
  releasedSeq: number;
  /** `picked`/`short` are set when picking started before a restart. */
  lines: Array<{ line: number; sku: string; qty: number; picked?: number; short?: number; substitutes?: string[] }>;
}

export function planPickLines(order: ReleasedOrder, stock: StockRow[], bins: readonly BinConfig[], catalog: CatalogView): PickLine[] {
  const binById = new Map(bins.map((b) => [b.id, b]));
  return order.lines.map((l) => {
    const candidates = stock
      .filter((s) => s.sku === l.sku && s.qty > 0 && binById.has(s.bin))
      .sort((a, b) => {
        const faceA = binById.get(a.bin)?.pickFace ? 0 : 1;
        const faceB = binById.get(b.bin)?.pickFace ? 0 : 1;
        if (faceA !== faceB) return faceA - faceB;
        const ea = a.expiry ?? '9999-12-31';
        const eb = b.expiry ?? '9999-12-31';
        if (ea !== eb) return ea < eb ? -1 : 1;
        return a.bin < b.bin ? -1 : a.bin > b.bin ? 1 : 0;
      });
    const best = candidates[0];
    const light = best ? binById.get(best.bin)?.light : undefined;
    return {
      line: l.line,
      sku: l.sku,
      name: catalog.item(l.sku)?.name ?? l.sku,
      qty: l.qty,
      picked: l.picked ?? 0,
      short: l.short ?? 0,
      substitutes: l.substitutes ?? [],
      ...(best ? { bin: best.bin, ...(best.lot ? { lot: best.lot } : {}), ...(best.expiry ? { lotExpiry: best.expiry } : {}) } : {}),
      ...(light ? { light: { device: light.device, address: light.address } } : {}),
    };
  });
}

/** Which released order a free station takes next: highest priority, then earliest due, then first released. */
export function compareOrders(a: ReleasedOrder, b: ReleasedOrder): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  const da = a.dueAt ?? '9999';
  const db = b.dueAt ?? '9999';
  if (da !== db) return da < db ? -1 : 1;
  return a.releasedSeq - b.releasedSeq;
}

/**
 * Takes the order a free pick station works next out of `waiting` (sorted by compareOrders).
 * An order half picked at a station (a gateway restart, a power cut) goes back to that station
 * first: its tote is there. An order started at another station is left for that one.
 */
export function takeOrderFor(station: string, waiting: ReleasedOrder[], startedAt: ReadonlyMap<string, string>): ReleasedOrder | undefined {
  let i = waiting.findIndex((o) => startedAt.get(o.orderId) === station);
  if (i < 0) i = waiting.findIndex((o) => !startedAt.has(o.orderId));
  return i < 0 ? undefined : waiting.splice(i, 1)[0];
}
