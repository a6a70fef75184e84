/**
 * Batch pick decision micro-benchmark: a scan decision at a batch station (8 orders x 10 lines,
 * 80 lines on one walk) beside the same scan decision at a single-order station (10 lines),
 * measured in the same run, and how many light commands a batch scan sends. The verdict must
 * stay well under the floor's 100 ms; the ratio says what batching costs per scan.
 *
 *   npx tsx bench/batch-decision.ts
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeBarcode } from '../devices/barcode/index.ts';
import { applyBatchPick, initialBatchPickState, type BatchPickState } from '../gateway/workflows/batchPickWorkflow.ts';
import type { BatchOrder } from '../gateway/workflows/batchPlanner.ts';
import { applyPick, initialPickState, type PickLine, type PickState } from '../gateway/workflows/pickWorkflow.ts';
import type { CatalogItem, CatalogView } from '../gateway/workflows/types.ts';

const GTIN = '09501101530003';
const items = new Map<string, CatalogItem>([['S0', { sku: 'S0', name: 'Whole Milk 1L', variableMeasure: false, minShelfLifeDays: 0 }]]);
for (let j = 1; j < 10; j++) items.set(`S${j}`, { sku: `S${j}`, name: `Item ${j}`, variableMeasure: false, minShelfLifeDays: 0 });
const catalog: CatalogView = { item: (sku) => items.get(sku), skuOfGtin: (g) => (g === GTIN ? 'S0' : undefined) };
const ctx = { catalog, today: '2026-12-03' };
const scan = { kind: 'scan' as const, device: 'scanner', barcode: decodeBarcode(`]E0${GTIN.slice(1)}`) };

const lines = (qty: number): PickLine[] =>
  Array.from({ length: 10 }, (_, j) => ({ line: j + 1, sku: `S${j}`, name: `Item ${j}`, qty, picked: 0, short: 0, substitutes: [], bin: `A-${String(j).padStart(2, '0')}`, lot: 'L1', light: { device: 'lights', address: j } }));
const slots = Array.from({ length: 8 }, (_, i) => ({ slot: i + 1, light: { device: 'wall', address: i + 1 } }));
const orders: BatchOrder[] = slots.map((s) => ({ orderId: `O-${s.slot}`, slot: s.slot, status: 'open', lines: lines(1000) }));
const batchStart: BatchPickState = applyBatchPick(initialBatchPickState({ station: 'p', scanner: 'scanner', requireBinScan: false, requireToteScan: false, slots }), { kind: 'assign', batch: { batchId: 'B', orders } }, ctx).state;
const singleStart: PickState = applyPick(initialPickState({ station: 'p', scanner: 'scanner', requireBinScan: false }), { kind: 'assign', order: { orderId: 'O', lines: lines(1000) } }, ctx).state;

/** Keeps results alive so the JIT cannot drop the work being measured. */
export let sink = 0;

function measure(label: string, step: () => number, seconds: number): number {
  let count = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) sink += step();
    count += 100;
  }
  const rate = count / seconds;
  console.log(`${label.padEnd(34)} ${Math.round(rate).toLocaleString('en-US').padStart(10)} /s   (${(1e6 / rate).toFixed(1)} us each)`);
  return rate;
}

export async function run(): Promise<void> {
  // Each step decides one scan from the same state: a unit of the first stop's item.
  const batchStep = () => applyBatchPick(batchStart, scan, ctx).effects.length;
  const singleStep = () => applyPick(singleStart, scan, ctx).effects.length;
  for (let i = 0; i < 20_000; i++) sink += batchStep() + singleStep();
  console.log('batch pick decision: one verified scan, 8 orders x 10 lines vs one order of 10 lines');
  const single = measure('single-order scan (baseline)', singleStep, 1);
  const batch = measure('batch scan (80 lines, 8 slots)', batchStep, 2);
  const commands = applyBatchPick(batchStart, scan, ctx).effects.filter((e) => e.type === 'command').length;
  console.log(`ratio batch / single: ${(batch / single).toFixed(3)}; light commands per batch scan: ${commands}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
