/**
 * Reads the floor and the admin make against a store with months of history: a bag label
 * scanned at dispatch (by SSCC), a tote scanned at packing, and the admin's orders page (newest
 * first, and of one status). Each runs on the event loop the verdicts share, so each must stay
 * far below a scan's budget however long the log. Beside them, in the same run, a read of one
 * order by its primary key: the floor of any read. No goal of its own; the figures show whether
 * a read grows with the log.
 * Run: npx tsx bench/store-reads.ts [ORDERS]   (default 200000; builds its log in a temp folder)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreReadModel } from '../gateway/admin/storeReadModel.ts';
import { EventLog, type AppendInput } from '../gateway/log/eventLog.ts';
import { ReplicaViews } from '../gateway/workflows/replicaViews.ts';

const orders = Number(process.argv[2] ?? 200_000);
const ssccOf = (i: number) => String(373500530000000000 + i * 10).padStart(18, '0');

/** The history: each order released, picked into a tote, packed, labelled and dispatched. */
async function buildLog(log: EventLog): Promise<void> {
  const started = performance.now();
  for (let from = 0; from < orders; from += 500) {
    const events: AppendInput[] = [];
    for (let i = from; i < Math.min(from + 500, orders); i++) {
      const orderId = `O-${i}`;
      events.push(
        { type: 'order.released', data: { orderId, shortCode: `K${i}`, lines: [{ line: 1, sku: 'MILK', qty: 2 }, { line: 2, sku: 'YOG', qty: 1 }] } },
        { type: 'order.picked', data: { orderId, tote: String(i % 500), station: 'pick-1' } },
        { type: 'order.packed', data: { orderId, bags: 1, weightGrams: 2260 } },
        { type: 'label.printed', data: { orderId, sscc: ssccOf(i), printer: 'printer-1', station: 'pack-1' } },
        { type: 'order.dispatched', data: { orderId, sscc: ssccOf(i) } },
      );
    }
    await log.appendAll(events);
    if (process.stderr.isTTY) process.stderr.write(`\rbuilding the log: ${Math.min(from + 500, orders)}/${orders} orders`);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  console.log(`  log of ${orders} orders (${log.lastSeq()} events) built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Median and worst of `rounds` runs of `read`, in ms. */
function time(rounds: number, read: (round: number) => unknown): string {
  const ms: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    read(r);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return `p50 ${ms[Math.floor(ms.length / 2)]!.toFixed(3)} ms  max ${ms[ms.length - 1]!.toFixed(3)} ms`;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dsgw-bench-reads-'));
  try {
    const log = EventLog.open({ file: join(dir, 'gateway.db') });
    console.log(`bench/store-reads: reads on the verdicts' event loop against a long history`);
    await buildLog(log);
    const views = new ReplicaViews(log);
    const admin = new StoreReadModel(log);
    const pick = (r: number) => (r * 7919) % orders;
    const byKey = log.db.prepare('SELECT status FROM orders WHERE order_id = ?');
    console.log(`  an order by its key (floor)       ${time(200, (r) => byKey.get(`O-${pick(r)}`))}`);
    console.log(`  a bag label scanned at dispatch   ${time(200, (r) => views.bag(ssccOf(pick(r))))}`);
    console.log(`  an unknown bag label              ${time(200, (r) => views.bag(ssccOf(orders + r)))}`);
    console.log(`  a tote scanned at packing         ${time(200, (r) => views.orderToPack(String(r % 500)))}`);
    console.log(`  admin: newest 200 orders          ${time(20, () => admin.orders({ limit: 200, offset: 0 }))}`);
    console.log(`  admin: 50 dispatched, page 100    ${time(20, () => admin.orders({ status: 'dispatched', limit: 50, offset: 5000 }))}`);
    log.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
