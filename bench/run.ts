/**
 * `npm run bench`: runs every benchmark in this folder and prints its figures. Benchmarks print
 * ratios against a raw baseline measured in the same run; they never fail a build.
 * Run one: npx tsx bench/append.ts
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv[2];
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .filter((f) => !only || f.startsWith(only))
  .sort();
for (const file of files) {
  const mod = (await import(new URL(file, import.meta.url).href)) as { run?: () => Promise<void> };
  if (typeof mod.run !== 'function') {
    console.log(`bench/${file}: exports no run(); skipped`);
    continue;
  }
  await mod.run();
  console.log();
}
