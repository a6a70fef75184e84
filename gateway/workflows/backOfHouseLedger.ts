/**
 * Back-of-house state read from the event log: ASNs with what was received against them, open
 * tasks (count, replenish, putaway), each bin's last count, and the units each cancelled order
 * has to put back. The log is the only store: the ledger folds its ASN, receipt, count and task
 * events into memory and, on each read, catches up with what was committed since (through the
 * (type, seq) index; the first read at start folds the history once), so a case scan never replays a year of receiving, and a restart, the
 * receiving station and the admin API all read the same answer.
 *
 * @example
 *   const ledger = new BackOfHouseLedger(log, () => config.layout.bins);
 *   ledger.asns('open');       // [{ asn: 'A-1', status: 'open', lines: [{ sku: 'MILK', expected: 24, received: 18 }] }]
 *   ledger.openTasks('count'); // [{ taskId: 'count-A-01-MILK-...', kind: 'count', sku: 'MILK', bin: 'A-01', ... }]
 */
import type { Statement } from 'better-sqlite3';
import type { BinConfig } from '../../config/schema.ts';
import type { EventData } from '../log/eventCatalogue.ts';
import type { EventLog } from '../log/eventLog.ts';
import type { AsnProgress } from './asnReceiving.ts';
import { firstUnits, type ReturnTask } from './returnPutaway.ts';

export interface OpenTask {
  taskId: string;
  kind: 'count' | 'replenish' | 'putaway';
  sku?: string;
  bin: string;
  reason?: string;
  orderId?: string;
  /** A return putaway of fewer units than were picked: how many. */
  qty?: number;
  /** A return putaway whose units may not all be here: each unit is scanned. */
  countUnits?: boolean;
  createdAt: string;
  seq: number;
}

interface AsnEntry {
  /** Seq of the first `asn.received` of this id: its place in the queue. */
  seq: number;
  asn: EventData<'asn.received'>;
  closed: boolean;
}

export class BackOfHouseLedger {
  private readonly asnById = new Map<string, AsnEntry>();
  /** Units received per ASN id and SKU (a receipt may name an ASN the feed has not brought yet). */
  private readonly receivedByAsn = new Map<string, Map<string, number>>();
  private readonly tasks = new Map<string, OpenTask>();
  private readonly counted = new Map<string, number>();
  /** Units to put back per return task: picks of a cancelled order no longer change. */
  private readonly returnUnits = new Map<string, { line?: number; units: ReturnTask['units'] }>();
  private seen = 0;
  private statements?: Record<'lastSeq' | 'rows' | 'receipts' | 'counts', Statement>;

  constructor(
    private readonly log: EventLog,
    private readonly bins: () => readonly BinConfig[],
  ) {}

  /** ASNs in arrival order; `open` = received from the OMS and not closed. */
  asns(status: 'open' | 'closed' | 'all' = 'open'): AsnProgress[] {
    this.catchUp();
    return [...this.asnById.values()]
      .filter((a) => status === 'all' || (status === 'open') === !a.closed)
      .sort((a, b) => a.seq - b.seq)
      .map((a) => this.progressOf(a));
  }

  asn(asnId: string): AsnProgress | undefined {
    this.catchUp();
    const entry = this.asnById.get(asnId);
    return entry ? this.progressOf(entry) : undefined;
  }

  /** The oldest open ASN still expecting units of `sku`, else the oldest open one listing it. */
  openAsnFor(sku: string): AsnProgress | undefined {
    const listing = this.asns('open').filter((a) => a.lines.some((l) => l.sku === sku && l.expected > 0));
    return listing.find((a) => a.lines.some((l) => l.sku === sku && l.received < l.expected)) ?? listing[0];
  }

  /** Tasks created and not completed, oldest first. */
  openTasks(kind?: OpenTask['kind']): OpenTask[] {
    this.catchUp();
    return [...this.tasks.values()].filter((t) => kind === undefined || t.kind === kind);
  }

  /** Open putaway tasks of cancelled orders with the units their lines had picked, oldest first. */
  openReturns(): ReturnTask[] {
    const lights = new Map(this.bins().map((b) => [b.id, b.light]));
    const tasks: ReturnTask[] = [];
    for (const t of this.openTasks('putaway')) {
      if (!t.orderId || !t.sku) continue;
      const picked = this.returnUnits.get(t.taskId) ?? this.pickedFor(t as OpenTask & { orderId: string; sku: string });
      this.returnUnits.set(t.taskId, picked);
      if (picked.units.length === 0) continue;
      const light = lights.get(t.bin);
      tasks.push({
        taskId: t.taskId,
        orderId: t.orderId,
        sku: t.sku,
        bin: t.bin,
        units: picked.units,
        ...(picked.line ? { line: picked.line } : {}),
        ...(t.countUnits ? { countUnits: true } : {}),
        ...(light ? { light: { device: light.device, address: light.address } } : {}),
      });
    }
    return tasks;
  }

  /** The seq of each bin's latest count, for choosing the bins counted longest ago. */
  lastCounted(): Map<string, number> {
    this.catchUp();
    return new Map(this.counted);
  }

  /**
   * Folds the back-of-house events committed since the last read. Reads are synchronous and the
   * log commits in this process, so a read sees every committed event; the first read folds the
   * history once, later ones only what is new. Receipts and counts, the bulk of the history, are
   * summed by SQLite; ASN and task events are few and are read one by one.
   */
  private catchUp(): void {
    const db = this.log.db;
    const st = (this.statements ??= {
      lastSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM events'),
      rows: db.prepare(`SELECT seq, type, at, data FROM events WHERE type IN ('asn.received', 'asn.closed', 'task.created', 'task.completed') AND seq > ? AND seq <= ? ORDER BY seq`),
      receipts: db.prepare(
        `SELECT json_extract(data, '$.asn') AS asn, json_extract(data, '$.sku') AS sku, SUM(json_extract(data, '$.qty')) AS qty
         FROM events WHERE type = 'stock.received' AND seq > ? AND seq <= ? AND json_extract(data, '$.asn') IS NOT NULL GROUP BY 1, 2`,
      ),
      counts: db.prepare(`SELECT json_extract(data, '$.bin') AS bin, MAX(seq) AS seq FROM events WHERE type = 'stock.counted' AND seq > ? AND seq <= ? GROUP BY 1`),
    });
    const upTo = (st.lastSeq.get() as { seq: number }).seq;
    if (upTo <= this.seen) return;
    for (const r of st.receipts.all(this.seen, upTo) as Array<{ asn: string; sku: string; qty: number }>) {
      const bySku = this.receivedByAsn.get(r.asn) ?? this.receivedByAsn.set(r.asn, new Map()).get(r.asn)!;
      bySku.set(r.sku, (bySku.get(r.sku) ?? 0) + r.qty);
    }
    for (const r of st.counts.all(this.seen, upTo) as Array<{ bin: string; seq: number }>) this.counted.set(r.bin, r.seq);
    for (const r of st.rows.all(this.seen, upTo) as Array<{ seq: number; type: string; at: string; data: string }>) {
      const d = JSON.parse(r.data) as Record<string, unknown>;
      if (r.type === 'asn.received') {
        const asn = d as EventData<'asn.received'>;
        const known = this.asnById.get(asn.asn);
        // A re-sent ASN replaces its lines but keeps its place in the queue.
        this.asnById.set(asn.asn, { seq: known?.seq ?? r.seq, asn, closed: known?.closed ?? false });
      } else if (r.type === 'asn.closed') {
        const entry = this.asnById.get(String(d.asn));
        if (entry) entry.closed = true;
      } else if (r.type === 'task.created') {
        const t = d as EventData<'task.created'>;
        this.tasks.set(t.taskId, { ...t, createdAt: r.at, seq: r.seq });
      } else {
        this.tasks.delete(String(d.taskId));
        this.returnUnits.delete(String(d.taskId));
      }
    }
    this.seen = upTo;
  }

  /** The units a cancelled order's line had picked from the task's bin, per SKU and lot. */
  private pickedFor(t: OpenTask & { orderId: string; sku: string }): { line?: number; units: ReturnTask['units'] } {
    // The pick workflow names a cancelled line's task `return-{orderId}-{line}`.
    const named = t.taskId.startsWith(`return-${t.orderId}-`) ? Number(t.taskId.slice(`return-${t.orderId}-`.length)) : NaN;
    let line: number | undefined = Number.isInteger(named) ? named : undefined;
    // Picks come after the order's release: read from there, not from the start of the log.
    const released = this.log.db.prepare('SELECT released_seq AS seq FROM orders WHERE order_id = ?').get(t.orderId) as { seq: number } | undefined;
    const units = new Map<string, { sku: string; lot: string; qty: number }>();
    for (const e of this.log.query({ type: 'stock.picked', orderId: t.orderId, afterSeq: (released?.seq ?? 1) - 1, limit: 10_000 })) {
      const d = e.data as EventData<'stock.picked'>;
      if (d.bin !== t.bin || (d.sku !== t.sku && d.substituteFor !== t.sku) || (line !== undefined && d.line !== undefined && d.line !== line)) continue;
      line ??= d.line;
      const key = `${d.sku}\u0000${d.lot ?? ''}`;
      const u = units.get(key) ?? { sku: d.sku, lot: d.lot ?? '', qty: 0 };
      u.qty += d.qty;
      units.set(key, u);
    }
    // Some units left with a bag dispatched before the cancellation: only `qty` are to put back.
    return { ...(line ? { line } : {}), units: firstUnits([...units.values()], t.qty ?? Infinity) };
  }

  private progressOf(entry: AsnEntry): AsnProgress {
    const { asn } = entry;
    const received = this.receivedByAsn.get(asn.asn) ?? new Map<string, number>();
    const lines: AsnProgress['lines'] = [];
    for (const l of asn.lines) {
      const line = lines.find((x) => x.sku === l.sku);
      if (line) line.expected += l.qty;
      else lines.push({ sku: l.sku, expected: l.qty, received: received.get(l.sku) ?? 0 });
    }
    for (const [sku, qty] of received) if (!lines.some((l) => l.sku === sku)) lines.push({ sku, expected: 0, received: qty });
    return {
      asn: asn.asn,
      ...(asn.supplier ? { supplier: asn.supplier } : {}),
      ...(asn.expectedAt ? { expectedAt: asn.expectedAt } : {}),
      status: entry.closed ? 'closed' : 'open',
      lines,
    };
  }
}
