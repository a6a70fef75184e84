/**
 * Read-only views of the local replica (the projections and the log) in the shapes the
 * workflows decide against. Synchronous SQLite reads: a verification never waits for the cloud
 * (DESIGN principle 1).
 */
import type { Statement } from 'better-sqlite3';
import type { BinConfig } from '../../config/schema.ts';
import type { EventLog } from '../log/eventLog.ts';
import type { EventData } from '../log/eventCatalogue.ts';
import type { OrderToPack } from './packWorkflow.ts';
import type { ReleasedOrder, StockRow } from './pickPlanner.ts';
import type { CatalogItem, CatalogView } from './types.ts';

interface CatalogRow {
  sku: string;
  name: string;
  unit_grams: number | null;
  tolerance_grams: number | null;
  variable_measure: number;
  min_shelf_life_days: number;
}

export class ReplicaViews {
  private readonly log: EventLog;
  // Prepared once: a verdict reads the catalog two or three times and must stay sub-millisecond.
  private readonly itemBySku: Statement;
  private readonly skuByGtin: Statement;
  private readonly stockOfOne: Statement;
  private readonly allStockRows: Statement;
  private readonly lastInBin: Statement;
  private readonly releasedSeqOf: Statement;
  private readonly cancelledOrders: Statement;

  constructor(log: EventLog) {
    this.log = log;
    this.itemBySku = log.db.prepare('SELECT * FROM catalog WHERE sku = ?');
    this.skuByGtin = log.db.prepare('SELECT sku FROM catalog_gtins WHERE gtin = ?');
    this.stockOfOne = log.db.prepare('SELECT sku, bin, lot, expiry, qty FROM stock WHERE sku = ?');
    this.allStockRows = log.db.prepare('SELECT sku, bin, lot, expiry, qty FROM stock WHERE qty != 0');
    // Any row with stock first, else the row updated last: what a bin holds, or held last.
    this.releasedSeqOf = log.db.prepare('SELECT released_seq AS seq FROM orders WHERE order_id = ?');
    this.cancelledOrders = log.db.prepare("SELECT order_id AS id FROM orders WHERE status = 'cancelled' ORDER BY updated_seq DESC LIMIT ?");
    this.lastInBin = log.db.prepare('SELECT sku, qty FROM stock WHERE bin = ? ORDER BY (qty != 0) DESC, updated_seq DESC LIMIT 1');
  }

  /**
   * The catalog, cached per SKU and GTIN until the projections say the catalog changed: a scan
   * reads it two or three times, and it changes only with `catalog.upserted`.
   */
  readonly catalog: CatalogView = {
    item: (sku) => this.cached(this.items, sku, () => {
      const row = this.itemBySku.get(sku) as CatalogRow | undefined;
      return row ? Object.freeze(toItem(row)) : undefined;
    }),
    skuOfGtin: (gtin) => this.cached(this.skus, gtin, () => (this.skuByGtin.get(gtin) as { sku: string } | undefined)?.sku),
  };
  private readonly items = new Map<string, CatalogItem | undefined>();
  private readonly skus = new Map<string, string | undefined>();
  private catalogVersion = -1;

  private cached<T>(cache: Map<string, T | undefined>, key: string, read: () => T | undefined): T | undefined {
    const version = this.log.projections.catalogVersion;
    // Unknown barcodes are cached too; a bound keeps a stream of garbage scans from growing it.
    if (version !== this.catalogVersion || cache.size > 100_000) {
      this.items.clear();
      this.skus.clear();
      this.catalogVersion = version;
    }
    if (cache.has(key)) return cache.get(key);
    const value = read();
    cache.set(key, value);
    return value;
  }

  stockOf(skus: string[]): StockRow[] {
    if (skus.length === 0) return [];
    if (skus.length === 1) return this.stockOfOne.all(skus[0]) as StockRow[];
    return this.log.db.prepare(`SELECT sku, bin, lot, expiry, qty FROM stock WHERE sku IN (${skus.map(() => '?').join(',')})`).all(...skus) as StockRow[];
  }

  /** The seq of an order's release in this store, or undefined if it was never released here. */
  releasedSeq(orderId: string): number | undefined {
    return (this.releasedSeqOf.get(orderId) as { seq: number } | undefined)?.seq;
  }

  /** The `afterSeq` of a query of one order's events: everything about it comes after its release (type, seq index). */
  private sinceRelease(orderId: string): number {
    return (this.releasedSeq(orderId) ?? 1) - 1;
  }

  /** The orders cancelled last, newest first. */
  recentlyCancelled(limit: number): string[] {
    return (this.cancelledOrders.all(limit) as Array<{ id: string }>).map((r) => r.id);
  }

  allStock(): StockRow[] {
    return this.allStockRows.all() as StockRow[];
  }

  /**
   * The pick faces among `faces` that hold nothing at all, with the SKU each is slotted for: its
   * `pickFace.sku`, else the SKU it held last (the stock row updated last). A face that never
   * held stock and has no `pickFace.sku` has no slot and is left out.
   */
  emptyPickFaces(faces: readonly BinConfig[]): Map<string, string> {
    const empty = new Map<string, string>();
    for (const face of faces) {
      const last = this.lastInBin.get(face.id) as { sku: string; qty: number } | undefined;
      if (last && last.qty !== 0) continue;
      const sku = face.pickFace?.sku ?? last?.sku;
      if (sku) empty.set(face.id, sku);
    }
    return empty;
  }

  /** Orders a pick station may take: released, or started before a restart. */
  ordersToPick(): ReleasedOrder[] {
    const orders = this.log.db.prepare("SELECT order_id, priority, due_at, released_seq FROM orders WHERE status IN ('released', 'picking')").all() as OrderRow[];
    return orders.map((o) => this.withLines(o));
  }

  /** One order as it was released, with what was picked and short of each line, whatever its status now. */
  releasedOrder(orderId: string): ReleasedOrder | undefined {
    const row = this.log.db.prepare('SELECT order_id, priority, due_at, released_seq FROM orders WHERE order_id = ?').get(orderId) as OrderRow | undefined;
    return row && this.withLines(row);
  }

  private withLines(o: OrderRow): ReleasedOrder {
    const lines = this.log.db.prepare('SELECT line, sku, qty, picked, short, substitutes FROM order_lines WHERE order_id = ? ORDER BY line');
    return {
      orderId: o.order_id,
      priority: o.priority,
      dueAt: o.due_at,
      releasedSeq: o.released_seq,
      lines: (lines.all(o.order_id) as Array<{ line: number; sku: string; qty: number; picked: number; short: number; substitutes: string | null }>)
        .map((l) => ({ line: l.line, sku: l.sku, qty: l.qty, picked: l.picked, short: l.short, ...(l.substitutes ? { substitutes: JSON.parse(l.substitutes) as string[] } : {}) })),
    };
  }

  /** The station that picked the last unit (or short) of an order, while its picking is unfinished. */
  pickingStation(orderId: string): string | undefined {
    return this.log.query({ orderId, type: 'stock.', limit: 20, descending: true }).find((e) => e.type === 'stock.picked' || e.type === 'stock.short')?.source.station;
  }

  orderStatus(orderId: string): { status: string; shortCode?: string } | undefined {
    const row = this.log.db.prepare('SELECT status, short_code FROM orders WHERE order_id = ?').get(orderId) as { status: string; short_code: string | null } | undefined;
    return row ? { status: row.status, ...(row.short_code ? { shortCode: row.short_code } : {}) } : undefined;
  }

  /** The order behind a tote id (from `order.picked`), an order id or a short code, with what was picked into it. */
  orderToPack(id: string): OrderToPack | undefined {
    const byTote = this.log.db
      .prepare(pickedByToteSql)
      .get(id) as { o: string } | undefined;
    const byCode = this.log.db.prepare(orderByIdOrShortCodeSql).get({ id }) as { o: string } | undefined;
    const orderId = byTote?.o ?? byCode?.o;
    if (!orderId) return undefined;
    const status = this.orderStatus(orderId)!;
    const afterSeq = this.sinceRelease(orderId);
    const items = new Map<string, { sku: string; qty: number; measuredGrams?: number }>();
    for (const e of this.log.query({ orderId, type: 'stock.picked', afterSeq, limit: 100_000 })) {
      const d = e.data as { sku: string; qty: number; grams?: number };
      const item = items.get(d.sku) ?? { sku: d.sku, qty: 0 };
      item.qty += d.qty;
      if (d.grams !== undefined) item.measuredGrams = (item.measuredGrams ?? 0) + d.grams;
      items.set(d.sku, item);
    }
    // Bags of an order packed in several that passed already (a restart mid-order keeps them).
    const bags = this.log.query({ orderId, type: 'bag.packed', afterSeq, limit: 1000 }).map((e) => e.data as EventData<'bag.packed'>);
    return { orderId, status: status.status, ...(status.shortCode ? { shortCode: status.shortCode } : {}), items: [...items.values()], ...(bags.length > 0 ? { bags } : {}) };
  }

  /** The units that left in the order's dispatched bags (of an order packed in several), read from its release on. */
  dispatchedBagItems(orderId: string, releasedSeq: number): DispatchedBagItems {
    const since = { orderId, afterSeq: releasedSeq - 1 };
    const bags = this.log.query({ type: 'bag.dispatched', ...since, limit: 1000 }).map((e) => e.data as EventData<'bag.dispatched'>);
    const units = new Map<string, number>();
    if (bags.length === 0) return { units, bags: [] };
    const ssccs = new Set(bags.map((b) => b.sscc));
    let known = 0;
    for (const e of this.log.query({ type: 'bag.packed', ...since, limit: 1000 })) {
      const d = e.data as EventData<'bag.packed'>;
      if (!ssccs.has(d.sscc)) continue;
      known++;
      for (const i of d.items) units.set(i.sku, (units.get(i.sku) ?? 0) + i.qty);
    }
    return { units, bags: bags.map((b) => ({ sscc: b.sscc, ...(b.courier ? { courier: b.courier } : {}) })), ...(known < ssccs.size ? { unknownContents: ssccs.size - known } : {}) };
  }

  /**
   * The order behind a bag label we printed (its SSCC) or an order id. For an order packed in
   * several bags: how many, which one this label is, and the SSCCs already dispatched.
   */
  bag(id: string): BagAtDispatch | undefined {
    const printed = this.log.db
      .prepare(labelBySsccSql)
      .get(id) as { o: string; b: number | null } | undefined;
    const orderId = printed?.o ?? id;
    const status = this.orderStatus(orderId);
    if (!status) return undefined;
    const afterSeq = this.sinceRelease(orderId);
    // An order is packed once: its first order.packed after the release.
    const packed = this.log.query({ orderId, type: 'order.packed', afterSeq, limit: 1 })[0]?.data as EventData<'order.packed'> | undefined;
    const bags = packed?.bags ?? 1;
    const several = bags > 1 ? { bags, ...(printed?.b ? { bag: printed.b } : {}), dispatched: this.log.query({ orderId, type: 'bag.dispatched', afterSeq, limit: 1000 }).map((e) => (e.data as EventData<'bag.dispatched'>).sscc) } : {};
    return { orderId, status: status.status, ...(printed ? { sscc: id } : {}), ...several };
  }
}

type OrderRow = { order_id: string; priority: number; due_at: string | null; released_seq: number };

/** The order (and bag) behind an SSCC we printed; found through the index events_label_sscc (migrations.ts). */
export const labelBySsccSql = "SELECT json_extract(data, '$.orderId') AS o, json_extract(data, '$.bag') AS b FROM events WHERE type = 'label.printed' AND json_extract(data, '$.sscc') = ? ORDER BY seq DESC LIMIT 1";
/** The order last picked into a tote; found through the index events_picked_tote (migrations.ts). */
export const pickedByToteSql = "SELECT json_extract(data, '$.orderId') AS o FROM events WHERE type = 'order.picked' AND json_extract(data, '$.tote') = ? ORDER BY seq DESC LIMIT 1";

/**
 * An order by its id, else by its short code (an order label), the newest order with that code:
 * short codes repeat over months (the OMS makes them from a counter), and the one on the bench is
 * the latest. The short code through the index orders_short_code (projections.ts).
 */
export const orderByIdOrShortCodeSql = 'SELECT order_id AS o FROM orders WHERE order_id = @id OR short_code = @id ORDER BY order_id = @id DESC, released_seq DESC LIMIT 1';

/** The units of an order's bags that were dispatched (before a cancellation), per SKU, and those bags. */
export interface DispatchedBagItems {
  units: Map<string, number>;
  /** How many bags that left have no `bag.packed` (weighed together at a station that trusts the pick): what they held is not known. */
  unknownContents?: number;
  bags: Array<{ sscc: string; courier?: string }>;
}

/** What the dispatch point needs to know of a bag label. */
export interface BagAtDispatch {
  orderId: string;
  status: string;
  /** When the label scanned is an SSCC we printed. */
  sscc?: string;
  /** An order packed in several bags: how many, this label's bag, and the SSCCs gone already. */
  bags?: number;
  bag?: number;
  dispatched?: string[];
}

function toItem(row: CatalogRow): CatalogItem {
  return {
    sku: row.sku,
    name: row.name,
    ...(row.unit_grams !== null ? { unitGrams: row.unit_grams } : {}),
    ...(row.tolerance_grams !== null ? { toleranceGrams: row.tolerance_grams } : {}),
    variableMeasure: row.variable_measure === 1,
    minShelfLifeDays: row.min_shelf_life_days,
  };
}
