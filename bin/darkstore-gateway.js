#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so `npx darkstore-gateway` works right after
// `npm install` with no build step. `demo` (what `npm start` runs) and `simulate` start the
// simulators beside the gateway; they live in simulators/, which production code never imports.
import { register } from 'tsx/esm/api';

register();
const [command] = process.argv.slice(2);
if (command === 'demo' || command === 'simulate') {
  const { demoMain } = await import('../simulators/demo/cli.ts');
  process.exitCode = await demoMain(process.argv.slice(2));
} else {
  const { main } = await import('../gateway/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
