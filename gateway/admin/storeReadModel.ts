/**
 * Read-only queries of the projections for the admin API: stock with expiry, orders with line
 * progress, the catalog. Paged, filtered, bounded: a console page never loads a whole table.
 */
import type { EventLog } from '../log/eventLog.ts';

export interface StockRow {
  sku: string;
  name: string | null;
  bin: string;
  lot: string;
  expiry: string | null;
  qty: number;
}

export interface OrderRow {
  orderId: string;
  status: string;
  priority: number;
  dueAt: string | null;
  shortCode: string | null;
  lines: number;
  units: number;
  picked: number;
  short: number;
}

/** A page of orders with their progress; `clause` filters the orders (by status). */
export const ordersPageSql = (clause: string) => `
  WITH page AS (SELECT order_id, status, priority, due_at, short_code, released_seq FROM orders o ${clause} ORDER BY released_seq DESC LIMIT ? OFFSET ?)
  SELECT p.order_id orderId, p.status, p.priority, p.due_at dueAt, p.short_code shortCode,
    COUNT(l.line) lines, COALESCE(SUM(l.qty), 0) units, COALESCE(SUM(l.picked), 0) picked, COALESCE(SUM(l.short), 0) short
  FROM page p LEFT JOIN order_lines l ON l.order_id = p.order_id
  GROUP BY p.order_id ORDER BY p.released_seq DESC`;

export class StoreReadModel {
  constructor(private readonly log: EventLog) {}

  stock(filter: { sku?: string; bin?: string; lot?: string; nonZero?: boolean; limit: number; offset: number }): { rows: StockRow[]; total: number } {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (clause: string, value?: unknown) => {
      where.push(clause);
      if (value !== undefined) args.push(value);
    };
    if (filter.sku) add('s.sku = ?', filter.sku);
    if (filter.bin) add('s.bin = ?', filter.bin);
    if (filter.lot !== undefined) add('s.lot = ?', filter.lot);
    if (filter.nonZero) add('s.qty <> 0');
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const db = this.log.db;
    const total = (db.prepare(`SELECT COUNT(*) n FROM stock s ${clause}`).get(...args) as { n: number }).n;
    const rows = db
      .prepare(`SELECT s.sku, c.name, s.bin, s.lot, s.expiry, s.qty FROM stock s LEFT JOIN catalog c ON c.sku = s.sku ${clause} ORDER BY s.sku, s.bin, s.lot LIMIT ? OFFSET ?`)
      .all(...args, filter.limit, filter.offset) as StockRow[];
    return { rows, total };
  }

  stockQty(sku: string, bin: string, lot: string): number {
    return (this.log.db.prepare('SELECT qty FROM stock WHERE sku = ? AND bin = ? AND lot = ?').get(sku, bin, lot) as { qty: number } | undefined)?.qty ?? 0;
  }

  orders(filter: { status?: string; limit: number; offset: number }): { rows: OrderRow[]; total: number } {
    const clause = filter.status ? 'WHERE o.status = ?' : '';
    const args = filter.status ? [filter.status] : [];
    const db = this.log.db;
    const total = (db.prepare(`SELECT COUNT(*) n FROM orders o ${clause}`).get(...args) as { n: number }).n;
    // The page of orders first (newest first, from an index), then the lines of those orders only:
    // grouping every order ever released before the LIMIT took 250-550 ms at 200,000 orders.
    const rows = db.prepare(ordersPageSql(clause)).all(...args, filter.limit, filter.offset) as OrderRow[];
    return { rows, total };
  }

  order(orderId: string): (OrderRow & { lineItems: Array<{ line: number; sku: string; name: string | null; qty: number; picked: number; short: number }> }) | undefined {
    const db = this.log.db;
    const row = db
      .prepare(
        `SELECT o.order_id orderId, o.status, o.priority, o.due_at dueAt, o.short_code shortCode,
           COUNT(l.line) lines, COALESCE(SUM(l.qty), 0) units, COALESCE(SUM(l.picked), 0) picked, COALESCE(SUM(l.short), 0) short
         FROM orders o LEFT JOIN order_lines l ON l.order_id = o.order_id WHERE o.order_id = ? GROUP BY o.order_id`,
      )
      .get(orderId) as OrderRow | undefined;
    if (!row) return undefined;
    const lineItems = db
      .prepare('SELECT l.line, l.sku, c.name, l.qty, l.picked, l.short FROM order_lines l LEFT JOIN catalog c ON c.sku = l.sku WHERE l.order_id = ? ORDER BY l.line')
      .all(orderId) as Array<{ line: number; sku: string; name: string | null; qty: number; picked: number; short: number }>;
    return { ...row, lineItems };
  }

  catalog(filter: { q?: string; limit: number; offset: number }): { rows: unknown[]; total: number } {
    const db = this.log.db;
    const clause = filter.q ? 'WHERE c.sku LIKE ? OR c.name LIKE ? OR c.sku IN (SELECT sku FROM catalog_gtins WHERE gtin LIKE ?)' : '';
    const like = `%${filter.q ?? ''}%`;
    const args = filter.q ? [like, like, like] : [];
    const total = (db.prepare(`SELECT COUNT(*) n FROM catalog c ${clause}`).get(...args) as { n: number }).n;
    const rows = (
      db
        .prepare(
          `SELECT c.sku, c.name, c.unit_grams unitGrams, c.tolerance_grams toleranceGrams, c.variable_measure variableMeasure,
             c.min_shelf_life_days minShelfLifeDays, (SELECT json_group_array(gtin) FROM catalog_gtins g WHERE g.sku = c.sku) gtins
           FROM catalog c ${clause} ORDER BY c.sku LIMIT ? OFFSET ?`,
        )
        .all(...args, filter.limit, filter.offset) as Array<Record<string, unknown>>
    ).map((r) => ({ ...r, variableMeasure: r.variableMeasure === 1, gtins: JSON.parse(String(r.gtins)) }));
    return { rows, total };
  }
}
