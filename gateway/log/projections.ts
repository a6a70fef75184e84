/**
 * Projections of the event log: stock per (sku, bin, lot), orders with line progress, and the
 * catalog. They are updated in the same transaction as the append, and can be rebuilt from the
 * log at any time into another schema (see rebuild.ts), which is how we prove they are right.
 */
import type Database from 'better-sqlite3';
import type { EventData, EventType, LoggedEvent } from './eventCatalogue.ts';

/** Bump when a table below changes shape or meaning (2: a cancelled order stays cancelled): the log then rebuilds the projections on open. */
export const projectionVersion = 2;

export const projectionTables = {
  catalog: 'sku',
  catalog_gtins: 'gtin',
  stock: 'sku, bin, lot',
  orders: 'order_id',
  order_lines: 'order_id, line',
} as const;
export type ProjectionTable = keyof typeof projectionTables;

const ddl = (s: string) => `
  CREATE TABLE IF NOT EXISTS ${s}.catalog (
    sku TEXT PRIMARY KEY, name TEXT NOT NULL, unit_grams REAL, tolerance_grams REAL,
    variable_measure INTEGER NOT NULL, min_shelf_life_days INTEGER NOT NULL, updated_seq INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS ${s}.catalog_gtins (gtin TEXT PRIMARY KEY, sku TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS ${s}.stock (
    sku TEXT NOT NULL, bin TEXT NOT NULL, lot TEXT NOT NULL, expiry TEXT, qty INTEGER NOT NULL,
    updated_seq INTEGER NOT NULL, PRIMARY KEY (sku, bin, lot));
  -- What a bin holds (or held last): putaway and replenishment look at empty pick faces by bin.
  CREATE INDEX IF NOT EXISTS ${s}.stock_bin ON stock(bin, updated_seq);
  CREATE TABLE IF NOT EXISTS ${s}.orders (
    order_id TEXT PRIMARY KEY, status TEXT NOT NULL, priority INTEGER NOT NULL, due_at TEXT, short_code TEXT,
    released_seq INTEGER NOT NULL, updated_seq INTEGER NOT NULL);
  -- Orders to pick (by status), the admin's newest orders (of a status), and an order label read by
  -- its short code, without reading every order ever released.
  CREATE INDEX IF NOT EXISTS ${s}.orders_status ON orders(status, released_seq);
  CREATE INDEX IF NOT EXISTS ${s}.orders_released ON orders(released_seq);
  CREATE INDEX IF NOT EXISTS ${s}.orders_short_code ON orders(short_code);
  CREATE TABLE IF NOT EXISTS ${s}.order_lines (
    order_id TEXT NOT NULL, line INTEGER NOT NULL, sku TEXT NOT NULL, qty INTEGER NOT NULL,
    picked INTEGER NOT NULL DEFAULT 0, short INTEGER NOT NULL DEFAULT 0, substitutes TEXT,
    PRIMARY KEY (order_id, line));
`;

type Statements = ReturnType<Projections['prepare']>;

export class Projections {
  private readonly db: Database.Database;
  private readonly s: string;
  private statements?: Statements;
  /** Changes whenever the catalog tables may have changed, so a reader may cache catalog rows. */
  catalogVersion = 0;

  /** @param schema `main`, or an attached schema such as `rebuilt` */
  constructor(db: Database.Database, schema = 'main') {
    this.db = db;
    this.s = schema;
  }

  createTables(): void {
    this.catalogVersion++;
    this.db.exec(ddl(this.s));
  }

  dropTables(): void {
    this.catalogVersion++;
    for (const table of Object.keys(projectionTables)) this.db.exec(`DROP TABLE IF EXISTS ${this.s}.${table}`);
    this.statements = undefined;
  }

  private prepare() {
    const s = this.s;
    const p = (sql: string) => this.db.prepare(sql);
    return {
      addStock: p(`INSERT INTO ${s}.stock (sku, bin, lot, expiry, qty, updated_seq) VALUES (@sku, @bin, @lot, @expiry, @delta, @seq)
        ON CONFLICT (sku, bin, lot) DO UPDATE SET qty = qty + excluded.qty, updated_seq = excluded.updated_seq,
        expiry = COALESCE(excluded.expiry, expiry)`),
      stockExpiry: p(`SELECT expiry FROM ${s}.stock WHERE sku = ? AND bin = ? AND lot = ?`),
      upsertCatalog: p(`INSERT INTO ${s}.catalog (sku, name, unit_grams, tolerance_grams, variable_measure, min_shelf_life_days, updated_seq)
        VALUES (@sku, @name, @unitGrams, @toleranceGrams, @variableMeasure, @minShelfLifeDays, @seq)
        ON CONFLICT (sku) DO UPDATE SET name = excluded.name, unit_grams = excluded.unit_grams, tolerance_grams = excluded.tolerance_grams,
        variable_measure = excluded.variable_measure, min_shelf_life_days = excluded.min_shelf_life_days, updated_seq = excluded.updated_seq`),
      deleteGtins: p(`DELETE FROM ${s}.catalog_gtins WHERE sku = ?`),
      insertGtin: p(`INSERT INTO ${s}.catalog_gtins (gtin, sku) VALUES (?, ?) ON CONFLICT (gtin) DO UPDATE SET sku = excluded.sku`),
      upsertOrder: p(`INSERT INTO ${s}.orders (order_id, status, priority, due_at, short_code, released_seq, updated_seq)
        VALUES (@orderId, 'released', @priority, @dueAt, @shortCode, @seq, @seq)
        ON CONFLICT (order_id) DO UPDATE SET priority = excluded.priority, due_at = excluded.due_at,
        short_code = excluded.short_code, updated_seq = excluded.updated_seq`),
      deleteLines: p(`DELETE FROM ${s}.order_lines WHERE order_id = ?`),
      insertLine: p(`INSERT INTO ${s}.order_lines (order_id, line, sku, qty, substitutes) VALUES (?, ?, ?, ?, ?)`),
      // A cancellation is final: a pick or pack committed in the same moment cannot revive the order.
      setStatus: p(`UPDATE ${s}.orders SET status = ?, updated_seq = ? WHERE order_id = ? AND status <> 'cancelled'`),
      markPicking: p(`UPDATE ${s}.orders SET status = 'picking', updated_seq = ? WHERE order_id = ? AND status = 'released'`),
      addPicked: p(`UPDATE ${s}.order_lines SET picked = picked + ? WHERE order_id = ? AND line = ?`),
      addShort: p(`UPDATE ${s}.order_lines SET short = short + ? WHERE order_id = ? AND line = ?`),
      orderStatus: p(`SELECT status FROM ${s}.orders WHERE order_id = ?`),
    };
  }

  /** Applies one committed event. Must be deterministic: rebuild replays exactly this. */
  apply(event: LoggedEvent): void {
    const st = (this.statements ??= this.prepare());
    const seq = event.seq;

    switch (event.type as EventType) {
      case 'stock.received': {
        const d = event.data as EventData<'stock.received'>;
        this.addStock(st, seq, d.sku, d.bin, d.lot, d.qty, d.expiry);
        break;
      }
      case 'stock.putaway':
      case 'stock.moved': {
        const d = event.data as EventData<'stock.putaway'>;
        const expiry = d.expiry ?? this.expiryOf(st, d.sku, d.fromBin, d.lot);
        this.addStock(st, seq, d.sku, d.fromBin, d.lot, -d.qty);
        this.addStock(st, seq, d.sku, d.toBin, d.lot, d.qty, expiry);
        break;
      }
      case 'stock.picked': {
        const d = event.data as EventData<'stock.picked'>;
        this.addStock(st, seq, d.sku, d.bin, d.lot, -d.qty);
        if (d.orderId !== undefined) {
          st.markPicking.run(seq, d.orderId);
          if (d.line !== undefined) st.addPicked.run(d.qty, d.orderId, d.line);
        }
        break;
      }
      case 'stock.short': {
        const d = event.data as EventData<'stock.short'>;
        st.markPicking.run(seq, d.orderId);
        st.addShort.run(d.qty, d.orderId, d.line);
        break;
      }
      case 'stock.adjusted': {
        const d = event.data as EventData<'stock.adjusted'>;
        this.addStock(st, seq, d.sku, d.bin, d.lot, d.delta);
        break;
      }
      case 'stock.counted': {
        const d = event.data as EventData<'stock.counted'>;
        this.addStock(st, seq, d.sku, d.bin, d.lot, d.delta);
        break;
      }
      case 'stock.returned': {
        const d = event.data as EventData<'stock.returned'>;
        this.addStock(st, seq, d.sku, d.bin, d.lot, d.qty);
        break;
      }
      case 'catalog.upserted': {
        const d = event.data as EventData<'catalog.upserted'>;
        this.catalogVersion++;
        st.upsertCatalog.run({
          sku: d.sku,
          name: d.name,
          unitGrams: d.unitGrams ?? null,
          toleranceGrams: d.toleranceGrams ?? null,
          variableMeasure: d.variableMeasure ? 1 : 0,
          minShelfLifeDays: d.minShelfLifeDays,
          seq,
        });
        st.deleteGtins.run(d.sku);
        for (const gtin of d.gtins) st.insertGtin.run(gtin, d.sku);
        break;
      }
      case 'order.released': {
        const d = event.data as EventData<'order.released'>;
        const status = (st.orderStatus.get(d.orderId) as { status: string } | undefined)?.status;
        // A re-release only replaces lines that nobody has started picking.
        if (status !== undefined && status !== 'released') break;
        st.upsertOrder.run({ orderId: d.orderId, priority: d.priority, dueAt: d.dueAt ?? null, shortCode: d.shortCode ?? null, seq });
        st.deleteLines.run(d.orderId);
        for (const l of d.lines) st.insertLine.run(d.orderId, l.line, l.sku, l.qty, l.substitutes ? JSON.stringify(l.substitutes) : null);
        break;
      }
      case 'order.cancelled': {
        // A cancellation of an order this store has not seen released leaves a cancelled row, so
        // a release that arrives later (a feed item parked and retried) cannot start it.
        const d = event.data as { orderId: string };
        if (st.orderStatus.get(d.orderId) === undefined) st.upsertOrder.run({ orderId: d.orderId, priority: 0, dueAt: null, shortCode: null, seq });
        st.setStatus.run('cancelled', seq, d.orderId);
        break;
      }
      case 'order.picked':
      case 'order.packed':
      case 'order.dispatched': {
        const d = event.data as { orderId: string };
        const status = event.type.slice('order.'.length);
        st.setStatus.run(status, seq, d.orderId);
        break;
      }
      default:
        // Other kinds (device, verification, config) are in the log only.
        break;
    }
  }

  // Methods rather than closures made in apply: apply runs for every event of every commit.
  private addStock(st: Statements, seq: number, sku: string, bin: string, lot: string | undefined, delta: number, expiry?: string): void {
    st.addStock.run({ sku, bin, lot: lot ?? '', expiry: expiry ?? null, delta, seq });
  }

  private expiryOf(st: Statements, sku: string, bin: string, lot: string | undefined): string | undefined {
    return (st.stockExpiry.get(sku, bin, lot ?? '') as { expiry: string | null } | undefined)?.expiry ?? undefined;
  }

  /** All rows of a table in key order, for comparisons. */
  rows(table: ProjectionTable): Record<string, unknown>[] {
    return this.db.prepare(`SELECT * FROM ${this.s}.${table} ORDER BY ${projectionTables[table]}`).all() as Record<string, unknown>[];
  }
}
