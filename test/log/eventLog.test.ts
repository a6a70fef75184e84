import Database from 'better-sqlite3';
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventLog, EventValidationError, firstSeqSinceSql, LogBusyError, type AppendInput } from '../../gateway/log/eventLog.ts';
import { migrations } from '../../gateway/log/migrations.ts';
import { rebuildProjections } from '../../gateway/log/rebuild.ts';
import { labelBySsccSql, orderByIdOrShortCodeSql, pickedByToteSql } from '../../gateway/workflows/replicaViews.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
const openLog = (options: Partial<Parameters<typeof EventLog.open>[0]> = {}) => EventLog.open({ file: join(tempDir(), 'gateway.db'), ...options });

describe('event log', () => {
  it('commits appends of the same tick in one transaction, in call order, resolving only after the commit', async () => {
    const batches: number[] = [];
    const log = openLog({ onCommitted: (events) => batches.push(events.length) });
    const promises = Array.from({ length: 250 }, (_, i) => log.append({ type: 'stock.received', data: { sku: `SKU-${i % 7}`, bin: 'A-01', qty: 1 } }));
    // Nothing is visible before the commit: the caller must not acknowledge yet.
    expect(log.count()).toBe(0);
    const results = await Promise.all(promises);
    expect(batches).toEqual([250]);
    expect(results.map((r) => r.event.seq)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    // Each resolved promise's event is readable from another connection: it is committed.
    const reader = new Database(log.file, { readonly: true });
    expect((reader.prepare('SELECT COUNT(*) n FROM events').get() as { n: number }).n).toBe(250);
    reader.close();
    log.close();
  });

  it('keeps order across concurrent producers in different ticks', async () => {
    const log = openLog();
    const producers = Array.from({ length: 4 }, async (_, p) => {
      const seqs: number[] = [];
      for (let i = 0; i < 50; i++) {
        const { event } = await log.append({ type: 'stock.adjusted', data: { sku: `P${p}`, bin: 'B-01', delta: 1, reason: `n${i}` } });
        seqs.push(event.seq);
      }
      return seqs;
    });
    const all = await Promise.all(producers);
    for (const seqs of all) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const events = log.readAfter(0, 1000);
    expect(events).toHaveLength(200);
    for (let p = 0; p < 4; p++) {
      expect(events.filter((e) => (e.data as { sku: string }).sku === `P${p}`).map((e) => (e.data as { reason: string }).reason)).toEqual(Array.from({ length: 50 }, (_, i) => `n${i}`));
    }
    log.close();
  });

  it('drops a second append with the same id and returns the event already logged', async () => {
    const log = openLog();
    const first = await log.append({ id: 'scan-42', type: 'stock.received', data: { sku: 'MILK', bin: 'A-01', qty: 3 } });
    const again = await log.append({ id: 'scan-42', type: 'stock.received', data: { sku: 'MILK', bin: 'A-01', qty: 3 } });
    expect(again.duplicate).toBe(true);
    expect(again.event.seq).toBe(first.event.seq);
    expect(log.projections.rows('stock')).toMatchObject([{ sku: 'MILK', bin: 'A-01', qty: 3 }]);
    log.close();
  });

  it('refuses an event whose data does not match its kind, saying which field', async () => {
    const log = openLog();
    await expect(log.append({ type: 'stock.received', data: { sku: 'MILK', bin: 'A-01', qty: -2 } })).rejects.toThrow(EventValidationError);
    await expect(log.append({ type: 'stock.received', data: { sku: 'MILK', bin: 'A-01', qty: -2 } })).rejects.toThrow(/qty/);
    await expect(log.append({ type: 'stock.teleported', data: {} } as unknown as AppendInput)).rejects.toThrow(/unknown event type/);
    expect(log.count()).toBe(0);
    log.close();
  });

  it('one failing append in a batch does not undo the others', async () => {
    const log = openLog();
    const good = log.append({ type: 'stock.received', data: { sku: 'A', bin: 'A-01', qty: 1 } });
    const dupInSameCall = log.appendAll([
      { id: 'same', type: 'stock.received', data: { sku: 'B', bin: 'A-01', qty: 1 } },
      { id: 'same', type: 'stock.received', data: { sku: 'B', bin: 'A-01', qty: 1 } },
    ]);
    const [g, d] = await Promise.all([good, dupInSameCall]);
    expect(g.duplicate).toBe(false);
    expect(d.map((r) => r.duplicate)).toEqual([false, true]);
    expect(log.count()).toBe(2);
    log.close();
  });

  it('is append-only: the database refuses updates and deletes of events', async () => {
    const log = openLog();
    await log.append({ type: 'stock.received', data: { sku: 'A', bin: 'A-01', qty: 1 } });
    expect(() => log.db.prepare("UPDATE events SET type = 'x'").run()).toThrow(/append-only/);
    expect(() => log.db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    log.close();
  });

  it('says when too many appends wait for the disk, and records none of the refused ones', async () => {
    const log = openLog({ maxPending: 10 });
    const accepted = Array.from({ length: 10 }, () => log.append({ type: 'stock.received', data: { sku: 'A', bin: 'A-01', qty: 1 } }));
    await expect(log.append({ type: 'stock.received', data: { sku: 'A', bin: 'A-01', qty: 1 } })).rejects.toThrow(LogBusyError);
    await Promise.all(accepted);
    expect(log.count()).toBe(10);
    log.close();
  });

  it('refuses to open a database written by a newer schema version', () => {
    const dir = tempDir();
    const file = join(dir, 'gateway.db');
    EventLog.open({ file }).close();
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    expect(() => EventLog.open({ file })).toThrow(/newer gateway \(schema version 99, this one knows up to 1\)/);
    expect(() => EventLog.open({ file, readonly: true })).toThrow(/newer gateway/);
  });

  it('opens a log of an earlier release, saying what it does once: its events stay, its projections are rebuilt, it gains the index on time and keeps schema version 1 (a rollback can still open it)', async () => {
    const file = join(tempDir(), 'gateway.db');
    const v1 = new Database(file);
    v1.exec(migrations[0]!.sql);
    v1.pragma('user_version = 1');
    v1.prepare('INSERT INTO events (id, type, at, source, data) VALUES (?, ?, ?, ?, ?)').run('e-1', 'stock.adjusted', '2026-12-01T10:00:00.000Z', '{}', JSON.stringify({ sku: 'MILK', bin: 'A-01', delta: 1, reason: 'v1' }));
    v1.close();
    const said: string[] = [];
    const log = EventLog.open({ file, onUpgradeProgress: (m) => said.push(m) });
    expect(said[0]).toMatch(/^indexing the event log .*gateway\.db by time, bag label and tote, once; a large log takes a while/);
    expect(said[1]).toBe('rebuilding stock, orders and catalog (projection version 0 -> 2) from 1 events');
    expect(said[2]).toMatch(/^rebuilt stock, orders and catalog from 1 events in \d+\.\d s$/);
    expect(log.projections.rows('stock')).toEqual([expect.objectContaining({ sku: 'MILK', bin: 'A-01', qty: 1 })]);
    expect(log.db.pragma('user_version', { simple: true })).toBe(1);
    // The first event at or after a time comes from the index, not from a walk of the log.
    expect((log.db.prepare(`EXPLAIN QUERY PLAN ${firstSeqSinceSql}`).all('2026') as Array<{ detail: string }>).map((r) => r.detail).join()).toContain('events_at');
    expect([...log.eventsSince('2026-12-01T00:00:00.000Z')].map((e) => e.id)).toEqual(['e-1']);
    // A bag label or a tote scanned finds its order from an index, not from a walk of every label.
    const plan = (sql: string, ...args: unknown[]) => (log.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((r) => r.detail).join();
    expect(plan(labelBySsccSql, 'x')).toContain('events_label_sscc');
    expect(plan(pickedByToteSql, 'x')).toContain('events_picked_tote');
    expect(plan(orderByIdOrShortCodeSql, { id: 'x' })).toContain('orders_short_code');
    log.close();
    said.length = 0;
    EventLog.open({ file, onUpgradeProgress: (m) => said.push(m) }).close();
    expect(said).toEqual([]);
  });

  it('a log of the previous release (same projection version) gains the new projection indexes at open, without a rebuild', async () => {
    const file = join(tempDir(), 'gateway.db');
    const log = EventLog.open({ file });
    await log.append({ type: 'order.released', data: { orderId: 'O-1', shortCode: 'K7', lines: [{ line: 1, sku: 'MILK', qty: 1 }] } });
    log.db.exec('DROP INDEX orders_status; DROP INDEX orders_released; DROP INDEX orders_short_code;');
    log.close();
    const said: string[] = [];
    const again = EventLog.open({ file, onUpgradeProgress: (m) => said.push(m) });
    const indexes = (again.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders'").all() as Array<{ name: string }>).map((r) => r.name);
    expect(indexes).toEqual(expect.arrayContaining(['orders_status', 'orders_released', 'orders_short_code']));
    expect(said).toEqual([]);
    expect(again.projections.rows('orders')).toMatchObject([{ order_id: 'O-1', short_code: 'K7' }]);
    again.close();
  });

  it('sets synchronous=FULL only with durability full', () => {
    const normal = openLog();
    expect(normal.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(normal.db.pragma('journal_mode', { simple: true })).toBe('wal');
    normal.close();
    const full = openLog({ durability: 'full' });
    expect(full.db.pragma('synchronous', { simple: true })).toBe(2);
    full.close();
  });

  it('projects stock per sku, bin and lot, with moves keeping the expiry', async () => {
    const log = openLog();
    await log.append({ type: 'stock.received', data: { sku: 'YOG', bin: 'DOCK', lot: 'L1', expiry: '2026-12-31', qty: 10 } });
    await log.append({ type: 'stock.putaway', data: { sku: 'YOG', fromBin: 'DOCK', toBin: 'A-02', lot: 'L1', qty: 8 } });
    await log.append({ type: 'order.released', data: { orderId: 'O1', lines: [{ line: 1, sku: 'YOG', qty: 3 }] } });
    await log.append({ type: 'stock.picked', data: { sku: 'YOG', bin: 'A-02', lot: 'L1', qty: 2, orderId: 'O1', line: 1 } });
    await log.append({ type: 'stock.short', data: { sku: 'YOG', bin: 'A-02', qty: 1, orderId: 'O1', line: 1 } });
    expect(log.projections.rows('stock')).toMatchObject([
      { sku: 'YOG', bin: 'A-02', lot: 'L1', expiry: '2026-12-31', qty: 6 },
      { sku: 'YOG', bin: 'DOCK', lot: 'L1', expiry: '2026-12-31', qty: 2 },
    ]);
    expect(log.projections.rows('orders')).toMatchObject([{ order_id: 'O1', status: 'picking' }]);
    expect(log.projections.rows('order_lines')).toMatchObject([{ order_id: 'O1', line: 1, qty: 3, picked: 2, short: 1 }]);
    log.close();
  });

  it('a cancellation is final: a pick committed after it, or a release that comes after it (a parked feed item retried), does not bring the order back', async () => {
    const log = openLog();
    await log.appendAll([
      { type: 'order.released', data: { orderId: 'O-1', lines: [{ line: 1, sku: 'MILK', qty: 1 }] } },
      { type: 'order.cancelled', data: { orderId: 'O-1' } },
      { type: 'order.picked', data: { orderId: 'O-1', station: 'pick-1' } },
      { type: 'order.cancelled', data: { orderId: 'O-2' } },
      { type: 'order.released', data: { orderId: 'O-2', lines: [{ line: 1, sku: 'MILK', qty: 1 }] } },
    ]);
    expect(Object.fromEntries(log.projections.rows('orders').map((o) => [o.order_id, o.status]))).toEqual({ 'O-1': 'cancelled', 'O-2': 'cancelled' });
    expect(log.projections.rows('order_lines').map((l) => l.order_id)).toEqual(['O-1']);
    log.close();
  });

  it('projections equal a rebuild from the log after a random workload', async () => {
    const skus = ['MILK', 'OAT', 'YOG', 'BREAD'];
    const bins = ['A-01', 'A-02', 'B-01', 'DOCK'];
    const lots = [undefined, 'L1', 'L2'];
    const event = fc.oneof(
      fc.record({ type: fc.constant('stock.received' as const), data: fc.record({ sku: fc.constantFrom(...skus), bin: fc.constantFrom(...bins), lot: fc.constantFrom(...lots), qty: fc.integer({ min: 1, max: 20 }) }) }),
      fc.record({ type: fc.constant('stock.moved' as const), data: fc.record({ sku: fc.constantFrom(...skus), fromBin: fc.constantFrom(...bins), toBin: fc.constantFrom(...bins), lot: fc.constantFrom(...lots), qty: fc.integer({ min: 1, max: 5 }) }) }),
      fc.record({ type: fc.constant('stock.adjusted' as const), data: fc.record({ sku: fc.constantFrom(...skus), bin: fc.constantFrom(...bins), lot: fc.constantFrom(...lots), delta: fc.integer({ min: -5, max: 5 }), reason: fc.constant('count') }) }),
      fc.record({ type: fc.constant('order.released' as const), data: fc.record({ orderId: fc.constantFrom('O1', 'O2', 'O3'), lines: fc.constant([{ line: 1, sku: 'MILK', qty: 2 }, { line: 2, sku: 'OAT', qty: 1 }]) }) }),
      fc.record({ type: fc.constant('stock.picked' as const), data: fc.record({ sku: fc.constantFrom(...skus), bin: fc.constantFrom(...bins), lot: fc.constantFrom(...lots), qty: fc.integer({ min: 1, max: 2 }), orderId: fc.constantFrom('O1', 'O2', 'O3'), line: fc.constantFrom(1, 2) }) }),
      fc.record({ type: fc.constantFrom('order.cancelled' as const, 'order.packed' as const, 'order.dispatched' as const), data: fc.record({ orderId: fc.constantFrom('O1', 'O2', 'O3') }) }),
      fc.record({ type: fc.constant('catalog.upserted' as const), data: fc.record({ sku: fc.constantFrom(...skus), name: fc.string(), gtins: fc.array(fc.constantFrom('04006381333931', '09501101530003', '00012345600012'), { maxLength: 2 }) }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 80 }), async (events) => {
        const log = openLog();
        try {
          // Mixed: some in one group commit, some one by one.
          await Promise.all(events.slice(0, events.length / 2).map((e) => log.append(e as AppendInput)));
          for (const e of events.slice(events.length / 2)) await log.append(e as AppendInput);
          const report = rebuildProjections(log);
          expect(report.events).toBe(events.length);
          expect(report.differences).toEqual([]);
        } finally {
          log.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('rebuild finds a projection row that was edited behind the log\'s back, and repairs it', async () => {
    const log = openLog();
    await log.append({ type: 'stock.received', data: { sku: 'A', bin: 'A-01', qty: 5 } });
    log.db.prepare("UPDATE stock SET qty = 99 WHERE sku = 'A'").run();
    const report = rebuildProjections(log);
    expect(report.differences).toMatchObject([{ table: 'stock', key: 'A|A-01|', live: { qty: 99 }, rebuilt: { qty: 5 } }]);
    const repaired = rebuildProjections(log, { apply: true });
    expect(repaired.applied).toBe(true);
    expect(rebuildProjections(log).differences).toEqual([]);
    log.close();
  });

  it('eventsSince returns exactly the events recorded at or after a time, also after the clock stepped back two days', async () => {
    const log = openLog();
    const hour = 3_600_000;
    const start = Date.parse('2026-11-01T00:00:00.000Z');
    // 30 days, one event every 20 minutes; at day 20 a reboot without a hardware clock logs 200
    // events two days in the past before the time sync brings the clock back.
    const ats = Array.from({ length: 30 * 72 }, (_, i) => new Date(start + (i * hour) / 3).toISOString());
    ats.splice(20 * 72, 0, ...Array.from({ length: 200 }, (_, i) => new Date(start + 18 * 24 * hour + i * 60_000).toISOString()));
    await log.appendAll(ats.map((at, i) => ({ type: 'stock.adjusted' as const, at, data: { sku: 'MILK', bin: 'A-01', delta: 1, reason: `n${i}` } })));
    for (const since of ['2026-11-01T00:00:00.000Z', '2026-11-19T01:00:00.000Z', '2026-11-19T09:00:00.000Z', '2026-11-21T00:05:00.000Z', '2026-11-30T23:59:00.000Z', '2026-12-05T00:00:00.000Z']) {
      expect([...log.eventsSince(since, 100)].map((e) => e.at), since).toEqual(ats.filter((at) => at >= since));
    }
    expect([...log.eventsSince(undefined, 100)]).toHaveLength(ats.length);
    log.close();
  });
});
