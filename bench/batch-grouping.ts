/**
 * How many bins a batch picker stops at, with batches chosen by urgency (the baseline, in the
 * same run) and by shared bins (`groupBy: bins`) at several look-aheads, over the same waiting
 * orders: a store of 300 SKUs, one bin each, where a few SKUs are in most orders (as in grocery),
 * orders of 2-9 lines released in urgency order, a batch station of 6 slots taking batches until
 * every order is picked. Also how late grouping makes an order: the most batches an order waited
 * beyond its turn by urgency.
 * Run: npx tsx bench/batch-grouping.ts [ORDERS]   (default 3000)
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planBatch, type BatchGrouping } from '../gateway/workflows/batchPlanner.ts';
import type { ReleasedOrder } from '../gateway/workflows/pickPlanner.ts';
import type { PickLine } from '../gateway/workflows/pickWorkflow.ts';
import { seededRandom } from '../simulators/cloud-oms/groceryCatalog.ts';

const skus = 300;
const slots = [1, 2, 3, 4, 5, 6];

/** Orders whose lines draw SKUs by a Zipf-like popularity (rank r weighs 1/r). */
function orders(count: number): ReleasedOrder[] {
  const random = seededRandom(7);
  const weights = Array.from({ length: skus }, (_, r) => 1 / (r + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const draw = () => {
    let x = random() * total;
    for (let r = 0; r < skus; r++) if ((x -= weights[r]!) <= 0) return r;
    return skus - 1;
  };
  return Array.from({ length: count }, (_, i) => {
    const chosen = new Set<number>();
    const lines = 2 + Math.floor(random() * 8);
    while (chosen.size < lines) chosen.add(draw());
    return { orderId: `O-${i}`, priority: 0, releasedSeq: i + 1, lines: [...chosen].map((sku, j) => ({ line: j + 1, sku: `S${sku}`, qty: 1 })) };
  });
}

const planLines = (o: ReleasedOrder): PickLine[] =>
  o.lines.map((l) => ({ line: l.line, sku: l.sku, name: l.sku, qty: l.qty, picked: 0, short: 0, substitutes: [], bin: `B-${l.sku.slice(1).padStart(3, '0')}` }));

/** Batches until nothing waits: stops per batch and the most batches an order waited beyond its turn. */
function shift(all: readonly ReleasedOrder[], grouping: BatchGrouping) {
  let waiting = [...all];
  let batches = 0;
  let stops = 0;
  let lateBy = 0;
  while (waiting.length > 0) {
    const plan = planBatch({ batchId: `B${batches}`, waiting, maxOrders: slots.length, slots, planLines, grouping })!;
    stops += new Set(plan.orders.flatMap((o) => o.lines.map((l) => l.bin))).size;
    for (const o of plan.orders) lateBy = Math.max(lateBy, batches - Math.floor(Number(o.orderId.slice(2)) / slots.length));
    const taken = new Set(plan.orders.map((o) => o.orderId));
    waiting = waiting.filter((o) => !taken.has(o.orderId));
    batches++;
  }
  return { batches, stopsPerBatch: stops / batches, lateBy };
}

export async function run(): Promise<void> {
  const count = Number(process.argv[2] ?? 3000);
  const all = orders(count);
  console.log(`bench/batch-grouping: bins a batch picker stops at, ${count} orders, ${skus} SKUs, ${slots.length} slots per batch`);
  const baseline = shift(all, { groupBy: 'urgency', lookAhead: slots.length });
  console.log(`  by urgency (baseline)      ${baseline.stopsPerBatch.toFixed(1)} stops per batch`);
  for (const lookAhead of [12, 18, 36]) {
    const started = performance.now();
    const grouped = shift(all, { groupBy: 'bins', lookAhead });
    const ms = (performance.now() - started) / grouped.batches;
    console.log(
      `  by shared bins, lookAhead ${String(lookAhead).padEnd(3)} ${grouped.stopsPerBatch.toFixed(1)} stops per batch  ratio ${(grouped.stopsPerBatch / baseline.stopsPerBatch).toFixed(2)}  an order at most ${grouped.lateBy} batches late  planning ${ms.toFixed(2)} ms per batch`,
    );
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
