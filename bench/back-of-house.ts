/**
 * What receiving against ASNs adds to a case scan's verdict, on a log with a year of receiving:
 * the ledger reads (the open ASN of a blind case's SKU; an active ASN's progress) against the
 * reads a blind case scan already made (catalog lookup and the stock for the putaway
 * suggestion), as a ratio. Goal: below 0.1 (the ledger folds new events only), so a case scan
 * stays well under 100 ms however long the store has been receiving.
 * Run: npx tsx bench/back-of-house.ts [RECEIPTS] [ASNS]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppendInput } from '../gateway/log/eventLog.ts';
import { EventLog } from '../gateway/log/eventLog.ts';
import { BackOfHouseLedger } from '../gateway/workflows/backOfHouseLedger.ts';
import { ReplicaViews } from '../gateway/workflows/replicaViews.ts';

const receipts = Number(process.argv[2] ?? 200_000);
const asnCount = Number(process.argv[3] ?? 2_000);
const skus = 3_000;
const dir = mkdtempSync(join(tmpdir(), 'dsgw-boh-'));
const log = EventLog.open({ file: join(dir, 'gateway.db'), durability: 'normal', maxPending: 1_000_000 });

const batch: AppendInput[] = [];
const flush = async () => {
  await log.appendAll(batch.splice(0));
};
for (let s = 0; s < skus; s++) batch.push({ type: 'catalog.upserted', data: { sku: `SKU-${s}`, name: `Item ${s}`, gtins: [String(10_000_000_000_000 + s).padStart(14, '0')] } });
await flush();
// A year of deliveries: ASNs of 10 lines, every case received against one; all but the last 20 closed.
const perAsn = Math.max(1, Math.floor(receipts / asnCount));
for (let a = 0; a < asnCount; a++) {
  const lines = Array.from({ length: 10 }, (_, i) => ({ sku: `SKU-${(a * 10 + i) % skus}`, qty: 12 }));
  batch.push({ type: 'asn.received', data: { asn: `ASN-${a}`, lines } });
  for (let r = 0; r < perAsn; r++) batch.push({ type: 'stock.received', data: { sku: lines[r % 10]!.sku, bin: `R-${(a * 10 + (r % 10)) % 400}`, qty: 6, asn: `ASN-${a}` } });
  if (a < asnCount - 20) batch.push({ type: 'asn.closed', data: { asn: `ASN-${a}`, lines: [], discrepancies: [] } });
  if (batch.length > 5_000) await flush();
}
await flush();

const ledger = new BackOfHouseLedger(log, () => []);
const views = new ReplicaViews(log);
// The first read folds the whole history (once per gateway start); later reads only what is new.
const foldStarted = performance.now();
ledger.asns('open');
const fold = performance.now() - foldStarted;
function time(what: () => unknown, n = 200): number {
  for (let i = 0; i < 10; i++) what();
  const started = performance.now();
  for (let i = 0; i < n; i++) what();
  return (performance.now() - started) / n;
}
let i = 0;
const baseline = time(() => {
  views.catalog.skuOfGtin(String(10_000_000_000_000 + (i++ % skus)).padStart(14, '0'));
  return views.allStock();
});
const blind = time(() => ledger.openAsnFor(`SKU-${i++ % skus}`));
const active = time(() => ledger.asn(`ASN-${asnCount - 1 - (i++ % 20)}`));
console.log(`log: ${log.count()} events (${receipts} receipts, ${asnCount} ASNs, 20 open)`);
console.log(`first read, folding the history: ${fold.toFixed(1)} ms (once per start)`);
console.log(`blind case scan reads (catalog + stock for putaway): ${baseline.toFixed(3)} ms`);
console.log(`+ open ASN of the SKU:   ${blind.toFixed(3)} ms  (${(blind / baseline).toFixed(2)}x the blind reads)`);
console.log(`+ active ASN's progress: ${active.toFixed(3)} ms  (${(active / baseline).toFixed(2)}x the blind reads)`);
log.close();
rmSync(dir, { recursive: true, force: true });
