/**
 * The physical store the simulated staff work in: which item lies in which bin (with its lot
 * and expiry), the totes on their way to packing and the bags on their way to dispatch. It is
 * the truth the gateway's stock projection must end up agreeing with.
 */
import type { CatalogItem } from '../cloud-oms/groceryCatalog.ts';

export interface ShelfSlot {
  bin: string;
  zone: string;
  item: CatalogItem;
  lot: string;
  expiry: string;
  qty: number;
}

export interface Tote {
  tote: string;
  orderId: string;
  units: CatalogItem[];
}

export interface Bag {
  orderId: string;
  sscc: string;
}

/** YYYY-MM-DD `days` from now (UTC is close enough for lots weeks away). */
export function isoDay(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export class FloorWorld {
  /** Every (bin, item, lot) on the shelves; a bin may hold several lots of its item. */
  readonly slots: ShelfSlot[] = [];
  readonly totesToPack: Tote[] = [];
  readonly bagsToDispatch: Bag[] = [];
  /** Every bag packed with its label on it: each label must have come out of the printer. */
  readonly bagsPacked: Bag[] = [];
  private toteCounter = 0;
  /** Totes of this run get their own ids: a store restarted on old data may still hold an unpacked tote "0001". */
  private readonly toteTag = Date.now().toString(36).slice(-3).toUpperCase();

  /** Puts one SKU in each bin: the assortment of this small store. */
  stockShelves(bins: Array<{ id: string; zone: string }>, items: CatalogItem[], qty: number): void {
    bins.forEach((bin, i) => {
      const item = items[i % items.length]!;
      this.slots.push({ bin: bin.id, zone: bin.zone, item, lot: `L${(1000 + i).toString(36).toUpperCase()}`, expiry: isoDay(Math.max(item.minShelfLifeDays + 10, 30)), qty });
    });
  }

  /** The unit a picker takes from a bin: its item, earliest expiry first. */
  takeFrom(bin: string, sku: string): ShelfSlot | undefined {
    return this.slots.filter((s) => s.bin === bin && s.item.sku === sku && s.qty > 0).sort((a, b) => a.expiry.localeCompare(b.expiry))[0];
  }

  /** Puts received units into a bin (a new lot gets its own slot). */
  putAway(bin: string, zone: string, item: ShelfSlot['item'], lot: string, expiry: string, qty: number): void {
    const slot = this.slots.find((s) => s.bin === bin && s.item.sku === item.sku && s.lot === lot);
    if (slot) slot.qty += qty;
    else this.slots.push({ bin, zone, item, lot, expiry, qty });
  }

  /** Units of a SKU on the shelves. */
  onHand(sku: string): number {
    return this.slots.filter((s) => s.item.sku === sku).reduce((n, s) => n + s.qty, 0);
  }

  /** Items a customer can order now (enough on the shelf), one entry per SKU. */
  orderable(): ShelfSlot['item'][] {
    const bySku = new Map<string, ShelfSlot['item']>();
    for (const s of this.slots) if (this.onHand(s.item.sku) > 4) bySku.set(s.item.sku, s.item);
    return [...bySku.values()];
  }

  nextTote(): string {
    this.toteCounter += 1;
    return `TOTE-${this.toteTag}${String(this.toteCounter).padStart(4, '0')}`;
  }

  /** The shelf as stock rows, for comparing with the gateway's projection. */
  shelfStock(): Map<string, number> {
    return new Map(this.slots.map((s) => [`${s.item.sku}|${s.bin}|${s.lot}`, s.qty]));
  }
}

/** The barcode on a unit: GS1-128 with GTIN, expiry and lot when lot-tracked, else EAN-13. */
export function unitBarcode(item: CatalogItem, slot?: { lot: string; expiry: string }): string {
  const gtin = item.gtins[0]!;
  if (slot && item.lotTracked) return `]C101${gtin}17${slot.expiry.slice(2).replace(/-/g, '')}10${slot.lot}`;
  return `]E0${gtin.slice(1)}`;
}
