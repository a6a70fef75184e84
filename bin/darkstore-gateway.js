#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so `npx darkstore-gateway` works right after
// `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../gateway/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
