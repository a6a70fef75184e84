/**
 * The physical store the simulated staff work in: which item lies in which bin (with its lot
 * and expiry), the totes on their way to packing, the bags on their way to dispatch and the
 * returns tote holding the units of cancelled orders until they are put back. It is the truth
 * the gateway's stock projection must end up agreeing with.
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

/** A unit taken from a shelf: it keeps the bin and lot it came from, so a return puts it back there. */
export interface PickedUnit {
  item: CatalogItem;
  bin: string;
  zone: string;
  lot: string;
  expiry: string;
}

export interface Tote {
  tote: string;
  orderId: string;
  units: PickedUnit[];
}

export interface Bag {
  orderId: string;
  sscc: string;
  /** What is in the bag (empty when the packer could not tell, e.g. a bag packed before a restart). */
  units: PickedUnit[];
}

/** A unit of a cancelled order in the returns tote, waiting to go back to its bin. */
export interface ReturnedUnit extends PickedUnit {
  orderId: string;
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
  /** The returns tote at the receiving station: units of cancelled orders, to put back on the shelves. */
  readonly returnsTote: ReturnedUnit[] = [];
  /** Units put back on the shelves from the returns tote. */
  unitsPutBack = 0;
  /** Units that went into the returns tote. */
  unitsReturned = 0;
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

  /** Takes one unit from a shelf slot: it leaves the shelf with its bin and lot. */
  take(slot: ShelfSlot): PickedUnit {
    slot.qty -= 1;
    return { item: slot.item, bin: slot.bin, zone: slot.zone, lot: slot.lot, expiry: slot.expiry };
  }

  /** Units of a cancelled order go into the returns tote. */
  toReturns(orderId: string, units: readonly PickedUnit[]): void {
    for (const u of units) this.returnsTote.push({ ...u, orderId });
    this.unitsReturned += units.length;
  }

  /**
   * A cancelled order's tote still waiting for packing, or its bags still waiting for dispatch,
   * are taken back and emptied into the returns tote; returns how many units. A tote or bag
   * already in someone's hands is theirs to return.
   */
  takeBack(orderId: string): number {
    let units = 0;
    for (const queue of [this.totesToPack, this.bagsToDispatch] as Array<Array<{ orderId: string; units: PickedUnit[] }>>) {
      for (let i = queue.length - 1; i >= 0; i--) {
        if (queue[i]!.orderId !== orderId) continue;
        const [taken] = queue.splice(i, 1);
        this.toReturns(orderId, taken!.units);
        units += taken!.units.length;
      }
    }
    return units;
  }

  /**
   * Takes `qty` units of a SKU from `bin` out of the returns tote, those of `orderId` first
   * (units of a SKU from one bin and lot are alike: the station names one order's task, the
   * worker takes such units), then those of `lot`; none when the tote holds fewer than `qty`.
   */
  fromReturns(orderId: string, sku: string, bin: string, qty: number, lot: string): ReturnedUnit[] {
    const fits = this.returnsTote.filter((u) => u.item.sku === sku && u.bin === bin);
    const rank = (u: ReturnedUnit) => (u.orderId === orderId ? 0 : u.lot === lot ? 1 : 2);
    const taken = fits.sort((a, b) => rank(a) - rank(b)).slice(0, qty);
    if (taken.length < qty) return [];
    for (const u of taken) this.returnsTote.splice(this.returnsTote.indexOf(u), 1);
    return taken;
  }

  /** Returned units back on the shelf, in `bin`, each in its own lot. */
  putBack(bin: string, units: readonly ReturnedUnit[]): void {
    for (const u of units) this.putAway(bin, u.zone, u.item, u.lot, u.expiry, 1);
    this.unitsPutBack += units.length;
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
