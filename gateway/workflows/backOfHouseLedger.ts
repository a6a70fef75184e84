/**
 * Back-of-house state read from the event log: ASNs with what was received against them, open
 * tasks (count, replenish, putaway) and the units each cancelled order has to put back. The log
 * is the only store, so a restart, the receiving station and the admin API all read the same
 * answer. Reads go through the (type, seq) index: receipts are read from the ASN's own seq on.
 *
 * @example
 *   const ledger = new BackOfHouseLedger(log, () => config.layout.bins);
 *   ledger.asns('open');       // [{ asn: 'A-1', status: 'open', lines: [{ sku: 'MILK', expected: 24, received: 18 }] }]
 *   ledger.openTasks('count'); // [{ taskId: 'count-A-01-MILK-...', kind: 'count', sku: 'MILK', bin: 'A-01', ... }]
 */
import type { BinConfig } from '../../config/schema.ts';
import type { EventData } from '../log/eventCatalogue.ts';
import type { EventLog } from '../log/eventLog.ts';
import type { AsnProgress } from './asnReceiving.ts';
import type { ReturnTask } from './returnPutaway.ts';

export interface OpenTask {
  taskId: string;
  kind: 'count' | 'replenish' | 'putaway';
  sku?: string;
  bin: string;
  reason?: string;
  orderId?: string;
  createdAt: string;
  seq: number;
}

type AsnRow = { seq: number; data: string };

export class BackOfHouseLedger {
  constructor(
    private readonly log: EventLog,
    private readonly bins: () => readonly BinConfig[],
  ) {}

  /** ASNs in arrival order; `open` = received from the OMS and not closed. */
  asns(status: 'open' | 'closed' | 'all' = 'open', listing?: (asn: EventData<'asn.received'>) => boolean): AsnProgress[] {
    const closed = this.closedAsns();
    const latest = new Map<string, { seq: number; asn: EventData<'asn.received'> }>();
    for (const row of this.db.prepare("SELECT seq, data FROM events WHERE type = 'asn.received' ORDER BY seq").all() as AsnRow[]) {
      const asn = JSON.parse(row.data) as EventData<'asn.received'>;
      // A re-sent ASN replaces its lines but keeps its place in the queue.
      latest.set(asn.asn, { seq: latest.get(asn.asn)?.seq ?? row.seq, asn });
    }
    const rows = [...latest.entries()].filter(([id, r]) => (status === 'all' || (status === 'open') === !closed.has(id)) && (!listing || listing(r.asn)));
    if (rows.length === 0) return [];
    // Receipts are read from the oldest ASN asked about on, not from the start of the log.
    const received = this.receivedAgainst(Math.min(...rows.map(([, r]) => r.seq)));
    return rows.map(([id, r]) => progressOf(r.asn, closed.has(id), received.get(id)));
  }

  asn(asnId: string): AsnProgress | undefined {
    const row = this.db.prepare("SELECT seq, data FROM events WHERE type = 'asn.received' AND json_extract(data, '$.asn') = ? ORDER BY seq").all(asnId) as AsnRow[];
    if (row.length === 0) return undefined;
    const closed = this.db.prepare("SELECT 1 FROM events WHERE type = 'asn.closed' AND json_extract(data, '$.asn') = ? LIMIT 1").get(asnId) !== undefined;
    return progressOf(JSON.parse(row.at(-1)!.data) as EventData<'asn.received'>, closed, this.receivedAgainst(row[0]!.seq, asnId).get(asnId));
  }

  /** The oldest open ASN still expecting units of `sku`, else the oldest open one listing it. */
  openAsnFor(sku: string): AsnProgress | undefined {
    const listing = this.asns('open', (a) => a.lines.some((l) => l.sku === sku));
    return listing.find((a) => a.lines.some((l) => l.sku === sku && l.received < l.expected)) ?? listing[0];
  }

  /** Tasks created and not completed, oldest first. */
  openTasks(kind?: OpenTask['kind']): OpenTask[] {
    const rows = this.db.prepare("SELECT seq, type, at, data FROM events WHERE type IN ('task.created', 'task.completed') ORDER BY seq").all() as Array<{ seq: number; type: string; at: string; data: string }>;
    const open = new Map<string, OpenTask>();
    for (const r of rows) {
      const d = JSON.parse(r.data) as EventData<'task.created'>;
      if (r.type === 'task.completed') open.delete(d.taskId);
      else open.set(d.taskId, { ...d, createdAt: r.at, seq: r.seq });
    }
    return [...open.values()].filter((t) => kind === undefined || t.kind === kind);
  }

  /** Open putaway tasks of cancelled orders with the units their lines had picked, oldest first. */
  openReturns(): ReturnTask[] {
    const lights = new Map(this.bins().map((b) => [b.id, b.light]));
    const tasks: ReturnTask[] = [];
    for (const t of this.openTasks('putaway')) {
      if (!t.orderId || !t.sku) continue;
      const units = new Map<string, { sku: string; lot: string; qty: number }>();
      // The pick workflow names a cancelled line's task `return-{orderId}-{line}`.
      const named = t.taskId.startsWith(`return-${t.orderId}-`) ? Number(t.taskId.slice(`return-${t.orderId}-`.length)) : NaN;
      let line: number | undefined = Number.isInteger(named) ? named : undefined;
      for (const e of this.log.query({ type: 'stock.picked', orderId: t.orderId, limit: 10_000 })) {
        const d = e.data as EventData<'stock.picked'>;
        if (d.bin !== t.bin || (d.sku !== t.sku && d.substituteFor !== t.sku) || (line !== undefined && d.line !== undefined && d.line !== line)) continue;
        line ??= d.line;
        const key = `${d.sku}\u0000${d.lot ?? ''}`;
        const u = units.get(key) ?? { sku: d.sku, lot: d.lot ?? '', qty: 0 };
        u.qty += d.qty;
        units.set(key, u);
      }
      if (units.size === 0) continue;
      const light = lights.get(t.bin);
      tasks.push({ taskId: t.taskId, orderId: t.orderId, sku: t.sku, bin: t.bin, units: [...units.values()], ...(line ? { line } : {}), ...(light ? { light: { device: light.device, address: light.address } } : {}) });
    }
    return tasks;
  }

  /** The seq of each bin's latest count, for choosing the bins counted longest ago. */
  lastCounted(): Map<string, number> {
    const rows = this.db.prepare("SELECT json_extract(data, '$.bin') AS bin, MAX(seq) AS seq FROM events WHERE type = 'stock.counted' GROUP BY 1").all() as Array<{ bin: string; seq: number }>;
    return new Map(rows.map((r) => [r.bin, r.seq]));
  }

  private get db() {
    return this.log.db;
  }

  private closedAsns(): Set<string> {
    return new Set((this.db.prepare("SELECT json_extract(data, '$.asn') AS asn FROM events WHERE type = 'asn.closed'").all() as Array<{ asn: string }>).map((r) => r.asn));
  }

  /** Units received per ASN and SKU, from `stock.received` with an `asn`, after a seq. */
  private receivedAgainst(afterSeq: number, asnId?: string): Map<string, Map<string, number>> {
    const rows = this.db
      .prepare(
        `SELECT json_extract(data, '$.asn') AS asn, json_extract(data, '$.sku') AS sku, SUM(json_extract(data, '$.qty')) AS qty
         FROM events WHERE type = 'stock.received' AND seq > ? AND json_extract(data, '$.asn') ${asnId === undefined ? 'IS NOT NULL' : '= ?'} GROUP BY 1, 2`,
      )
      .all(...(asnId === undefined ? [afterSeq] : [afterSeq, asnId])) as Array<{ asn: string; sku: string; qty: number }>;
    const byAsn = new Map<string, Map<string, number>>();
    for (const r of rows) (byAsn.get(r.asn) ?? byAsn.set(r.asn, new Map()).get(r.asn)!).set(r.sku, r.qty);
    return byAsn;
  }
}

function progressOf(asn: EventData<'asn.received'>, closed: boolean, received = new Map<string, number>()): AsnProgress {
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
    status: closed ? 'closed' : 'open',
    lines,
  };
}
