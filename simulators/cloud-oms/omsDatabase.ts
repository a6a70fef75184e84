/**
 * The simulated OMS's own state, in its own SQLite file: what each store pushed (deduplicated on
 * store and seq), each store's feed, and the OMS's mirror of store stock built from the pushed
 * movements (what a snapshot is compared against).
 *
 * @example
 *   const db = new OmsDatabase({ file: ':memory:', catalog });
 *   db.ingest('ams-1', [{ seq: 1, id: 'e1', type: 'stock.received', at, data: { sku, bin: 'A-01', qty: 5 } }]);
 *   db.heldEvents('ams-1'); // [{ seq: 1, id: 'e1', ... }]
 */
import Database from 'better-sqlite3';
import type { DriftRow, FeedItem, PushReply, SnapshotRequest, WireEvent } from '../../cloud-sync/omsApi.ts';
import type { CatalogItem } from './groceryCatalog.ts';

export interface HeldEvent {
  seq: number;
  id: string;
  type: string;
  at: string;
  data: unknown;
  status: 'accepted' | 'rejected';
  reason: string | null;
  arrival: number;
}

export interface OmsDatabaseOptions {
  file: string;
  catalog: CatalogItem[];
  /** Put the catalog into a store's feed the first time the store shows up. */
  seedCatalog?: boolean;
  /** Refuse stock events whose sku is not in the catalog (a realistic reject reason). */
  rejectUnknownSkus?: boolean;
}

const schema = `
  CREATE TABLE IF NOT EXISTS events (
    store TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL, at TEXT NOT NULL,
    data TEXT NOT NULL, status TEXT NOT NULL, reason TEXT, arrival INTEGER NOT NULL, PRIMARY KEY (store, seq));
  CREATE TABLE IF NOT EXISTS feed (
    cursor INTEGER PRIMARY KEY AUTOINCREMENT, store TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL,
    at TEXT NOT NULL, data TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS feed_store ON feed (store, cursor);
  CREATE TABLE IF NOT EXISTS stores (store TEXT PRIMARY KEY, arrivals INTEGER NOT NULL DEFAULT 0);
`;

export class OmsDatabase {
  readonly db: Database.Database;
  /** Events received again that the OMS already held (re-sends after a lost reply or a crash). */
  duplicatesReceived = 0;
  private readonly skus: Set<string>;
  private readonly st;

  constructor(private readonly options: OmsDatabaseOptions) {
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(schema);
    this.skus = new Set(options.catalog.map((c) => c.sku));
    const p = (sql: string) => this.db.prepare(sql);
    this.st = {
      held: p('SELECT id, status FROM events WHERE store = ? AND seq = ?'),
      insert: p('INSERT INTO events (store, seq, id, type, at, data, status, reason, arrival) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      accept: p("UPDATE events SET status = 'accepted', reason = NULL WHERE store = ? AND seq = ?"),
      reject: p('UPDATE events SET reason = ? WHERE store = ? AND seq = ?'),
      ensureStore: p('INSERT INTO stores (store) VALUES (?) ON CONFLICT DO NOTHING'),
      bumpArrivals: p('UPDATE stores SET arrivals = arrivals + ? WHERE store = ? RETURNING arrivals'),
      maxSeq: p('SELECT COALESCE(MAX(seq), 0) AS s FROM events WHERE store = ?'),
      feedAfter: p('SELECT * FROM feed WHERE store = ? AND cursor > ? ORDER BY cursor LIMIT ?'),
      addFeed: p('INSERT INTO feed (store, id, kind, at, data) VALUES (?, ?, ?, ?, ?)'),
      acceptedThrough: p("SELECT type, data FROM events WHERE store = ? AND seq <= ? AND status = 'accepted' AND type LIKE 'stock.%' ORDER BY seq"),
    };
  }

  /** Registers a store; the first time, its feed starts with the catalog. */
  ensureStore(store: string): void {
    if (this.st.ensureStore.run(store).changes === 0) return;
    if (this.options.seedCatalog === false) return;
    this.db.transaction(() => {
      for (const item of this.options.catalog) this.addFeedItem(store, 'catalog.upserted', item as unknown as Record<string, unknown>, `catalog-${item.sku}-v1`);
    })();
  }

  /** Handles a pushed batch in seq order: new seqs are stored once, known ones are duplicates. */
  ingest(store: string, events: WireEvent[]): PushReply {
    this.ensureStore(store);
    return this.db.transaction((): PushReply => {
      const reply: PushReply = { ackSeq: 0, accepted: 0, duplicates: 0, rejected: [] };
      const sorted = [...events].sort((a, b) => a.seq - b.seq);
      let arrival = (this.st.bumpArrivals.get(sorted.length, store) as { arrivals: number }).arrivals - sorted.length;
      for (const e of sorted) {
        arrival++;
        reply.ackSeq = Math.max(reply.ackSeq, e.seq);
        const held = this.st.held.get(store, e.seq) as { id: string; status: string } | undefined;
        const reason = held && held.id !== e.id ? `seq ${e.seq} already holds event ${held.id}; a store's seqs never change meaning` : this.rejectReason(e);
        if (held && held.id !== e.id) {
          reply.rejected.push({ seq: e.seq, id: e.id, reason: reason! });
          continue;
        }
        if (held?.status === 'accepted') {
          reply.duplicates++;
          continue;
        }
        if (held) {
          // A rejected event sent again (sync retry-parked): judge it again.
          if (reason) {
            this.st.reject.run(reason, store, e.seq);
            reply.rejected.push({ seq: e.seq, id: e.id, reason });
          } else {
            this.st.accept.run(store, e.seq);
            reply.accepted++;
          }
          continue;
        }
        this.st.insert.run(store, e.seq, e.id, e.type, e.at, JSON.stringify(e.data ?? null), reason ? 'rejected' : 'accepted', reason ?? null, arrival);
        if (reason) reply.rejected.push({ seq: e.seq, id: e.id, reason });
        else reply.accepted++;
      }
      this.duplicatesReceived += reply.duplicates;
      return reply;
    })();
  }

  /** Additional reject rules, settable by tests (e.g. refuse one event kind). */
  rejectRule?: (event: WireEvent) => string | undefined;

  private rejectReason(e: WireEvent): string | undefined {
    if (typeof e.data !== 'object' || e.data === null) return 'data is not an object';
    const custom = this.rejectRule?.(e);
    if (custom) return custom;
    const sku = (e.data as { sku?: unknown }).sku;
    if (this.options.rejectUnknownSkus && e.type.startsWith('stock.') && typeof sku === 'string' && !this.skus.has(sku)) return `unknown sku "${sku}"`;
    return undefined;
  }

  /**
   * The OMS's view of a store's stock as of a seq, replayed from the accepted movements it holds
   * (the same rules as the gateway's projection), so a snapshot is compared at the same point.
   */
  stockAsOf(store: string, asOfSeq: number): Map<string, { sku: string; bin: string; lot: string; qty: number }> {
    const stock = new Map<string, { sku: string; bin: string; lot: string; qty: number }>();
    for (const row of this.st.acceptedThrough.iterate(store, asOfSeq) as Iterable<{ type: string; data: string }>) {
      const d = JSON.parse(row.data) as Record<string, unknown>;
      const lot = typeof d.lot === 'string' ? d.lot : '';
      const add = (bin: unknown, qty: unknown) => {
        if (typeof d.sku !== 'string' || typeof bin !== 'string' || typeof qty !== 'number') return;
        const key = `${d.sku}\u0000${bin}\u0000${lot}`;
        const r = stock.get(key) ?? { sku: d.sku, bin, lot, qty: 0 };
        r.qty += qty;
        stock.set(key, r);
      };
      const q = d.qty as number;
      switch (row.type) {
        case 'stock.received':
          add(d.bin, q);
          break;
        case 'stock.putaway':
        case 'stock.moved':
          add(d.fromBin, -q);
          add(d.toBin, q);
          break;
        case 'stock.picked':
          add(d.bin, -q);
          break;
        case 'stock.returned':
          add(d.bin, q);
          break;
        case 'stock.adjusted':
        case 'stock.counted':
          add(d.bin, d.delta);
          break;
      }
    }
    return stock;
  }

  heldEvents(store: string): HeldEvent[] {
    return (this.db.prepare('SELECT * FROM events WHERE store = ? ORDER BY seq').all(store) as Array<HeldEvent & { data: string }>).map((r) => ({ ...r, data: JSON.parse(r.data) }));
  }

  heldCount(store: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM events WHERE store = ?').get(store) as { n: number }).n;
  }

  maxSeq(store: string): number {
    return (this.st.maxSeq.get(store) as { s: number }).s;
  }

  feed(store: string, after: string | undefined, limit: number): { items: FeedItem[]; nextCursor: string | null } {
    this.ensureStore(store);
    const rows = this.st.feedAfter.all(store, Number(after ?? 0) || 0, limit) as Array<{ cursor: number; id: string; kind: string; at: string; data: string }>;
    const items = rows.map((r) => ({ cursor: String(r.cursor), id: r.id, kind: r.kind as FeedItem['kind'], at: r.at, data: JSON.parse(r.data) as Record<string, unknown> }));
    return { items, nextCursor: items.at(-1)?.cursor ?? after ?? null };
  }

  /** Appends an item to a store's feed (no validation: tests put bad items in on purpose). */
  addFeedItem(store: string, kind: string, data: Record<string, unknown>, id: string): void {
    this.st.addFeed.run(store, id, kind, new Date().toISOString(), JSON.stringify(data));
  }

  /** Drift between a store's snapshot and the OMS's mirror; undefined when the OMS is behind. */
  compare(store: string, snapshot: SnapshotRequest): DriftRow[] | undefined {
    if (this.maxSeq(store) < snapshot.asOfSeq) return undefined;
    const key = (r: { sku: string; bin: string; lot: string }) => `${r.sku}\u0000${r.bin}\u0000${r.lot}`;
    const oms = this.stockAsOf(store, snapshot.asOfSeq);
    const drift: DriftRow[] = [];
    for (const row of snapshot.stock) {
      const omsQty = oms.get(key(row))?.qty ?? 0;
      oms.delete(key(row));
      if (omsQty !== row.qty) drift.push({ sku: row.sku, bin: row.bin, lot: row.lot, store: row.qty, oms: omsQty, delta: row.qty - omsQty });
    }
    for (const r of oms.values()) if (r.qty !== 0) drift.push({ sku: r.sku, bin: r.bin, lot: r.lot, store: 0, oms: r.qty, delta: -r.qty });
    return drift;
  }

  close(): void {
    this.db.close();
  }
}
