/**
 * Barcode decoder micro-benchmark: decodes per second for a realistic floor mix, and the ratio
 * to a raw baseline (a regex and split over the same strings, no GS1 rules) measured in the same
 * run, so the figure survives a slower machine. Benches print; they never assert.
 *
 *   npx tsx bench/barcode.ts
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeBarcode, type BarcodeOptions } from '../devices/barcode/index.ts';

const GS = '\u001d';
// Weighted like a picking shift: EAN-13 most, then case labels, fresh DataMatrix, scale labels, bins.
const MIX: string[] = [
  ...Array<string>(6).fill(']E07310865004703'),
  ...Array<string>(2).fill(']E04006381333931'),
  ']C101095011015300031726123110LOT42',
  `]C1010950110153000310ABC123${GS}17290331`,
  `]C100376104250021234569`,
  `]d2010950110153000317261231${'10'}L2609${GS}21SN000042`,
  ']d20109520123456788310300019539220299',
  ']E02312345612342',
  ']E02312345600752',
  'BIN-A-01-03',
  ']Q1TOTE-0042',
  'CMD-CONFIRM',
  'https://example.com/01/09501101530003/10/LOT42?17=261231',
  '(01)09501101530003(17)261231(10)LOT42',
];
const OPTIONS: BarcodeOptions = { market: 'SE', now: new Date(Date.UTC(2026, 5, 15)) };

/** The floor of what any parser must do: split on separators and pull out digit runs. */
function rawBaseline(s: string): number {
  const parts = s.split(GS);
  let n = 0;
  for (const p of parts) n += /^(\]..)?(\d{2,4})(.*)$/.exec(p)?.[3]?.length ?? 0;
  return n;
}

/** Keeps results alive so the JIT cannot drop the work being measured. */
export let sink = 0;

function measure(label: string, fn: (s: string) => unknown, seconds: number): number {
  let count = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (const s of MIX) {
      if (fn(s)) sink++;
      count++;
    }
  }
  const rate = count / seconds;
  console.log(`${label.padEnd(28)} ${Math.round(rate).toLocaleString('en-US').padStart(12)} /s   (${(1e6 / rate).toFixed(2)} us each)`);
  return rate;
}

export async function run(): Promise<void> {
  // Warm up the JIT on both paths before measuring.
  for (let i = 0; i < 20_000; i++) for (const s of MIX) { decodeBarcode(s, OPTIONS); rawBaseline(s); }
  console.log(`barcode decode, mix of ${MIX.length} scans (EAN-13, GS1-128, DataMatrix, variable measure, Digital Link, store labels)`);
  const baseline = measure('raw baseline (regex/split)', rawBaseline, 1);
  const decoder = measure('decodeBarcode', (s) => decodeBarcode(s, OPTIONS), 2);
  console.log(`ratio decodeBarcode / baseline: ${(decoder / baseline).toFixed(3)} (the full GS1 rules cost ${(baseline / decoder).toFixed(1)}x a bare split)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
