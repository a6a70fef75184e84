/**
 * The demo launcher's commands, reached through the package bin:
 *   darkstore-gateway demo       (what `npm start` runs): with no config, the living demo store;
 *                                with --config or DSGW_CONFIG, just the gateway.
 *   darkstore-gateway simulate   a headless shift, measured (simulate.ts).
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { demoConfigFile, demoWorkingCopy } from '../../gateway/cli/configSource.ts';
import { stopOnSignal } from '../../gateway/cli/stopOnSignal.ts';
import { main as gatewayMain } from '../../gateway/cli/main.ts';
import { startDemoStore } from './demoStore.ts';
import { simulateCommand } from './simulate.ts';
import { renderSummary } from './summary.ts';

export async function demoMain(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'simulate') return simulateCommand(rest);
  if (rest.includes('--config') || rest.includes('-c') || process.env.DSGW_CONFIG) return gatewayMain(['start', ...rest]);
  return runDemo();
}

async function runDemo(): Promise<number> {
  const copy = demoWorkingCopy();
  const archived = archivePreviousShift(dirname(copy));
  console.log(`No --config or DSGW_CONFIG given: running the demo store (config ${copy}, a copy of ${demoConfigFile}),`);
  if (archived) console.log(`The previous demo shift's log and OMS were moved to ${archived}: each demo starts a fresh shift.`);
  console.log('with a simulated cloud OMS, simulated devices and simulated staff working a shift. Starting...');
  let store;
  try {
    // DSGW_DEMO_EPHEMERAL_PORTS=1 runs a second demo beside the first (and tests) on free ports.
    const ephemeral = process.env.DSGW_DEMO_EPHEMERAL_PORTS === '1';
    const speed = process.env.DSGW_DEMO_SPEED === 'max' ? 'max' : Number(process.env.DSGW_DEMO_SPEED ?? 1);
    const cancelRate = process.env.DSGW_DEMO_CANCEL_RATE === undefined ? undefined : Number(process.env.DSGW_DEMO_CANCEL_RATE);
    if (cancelRate !== undefined && !(cancelRate >= 0 && cancelRate <= 1)) throw new Error(`DSGW_DEMO_CANCEL_RATE expects a share of the orders from 0 to 1, found "${process.env.DSGW_DEMO_CANCEL_RATE}"`);
    store = await startDemoStore({ configFile: copy, ephemeralPorts: ephemeral, omsPort: ephemeral ? 0 : undefined, speed, logFile: join(dirname(copy), 'gateway.log'), cancelRate });
  } catch (err) {
    console.error(`the demo store could not start: ${(err as Error).message}`);
    return 1;
  }
  const tty = process.stdout.isTTY === true;
  const show = () => {
    const text = renderSummary(store);
    // On a terminal the summary refreshes in place; in a log it is printed every 5 s.
    process.stdout.write(tty ? `\x1b[H\x1b[2J${text}\n` : `${text}\n\n`);
  };
  show();
  const timer = setInterval(show, tty ? 1000 : 5000);
  return stopOnSignal({
    stop: async () => {
      clearInterval(timer);
      await store.stop();
    },
    announce: (signal) => `\n${signal}: stopping the shift, the devices, the gateway and the OMS...`,
    watchdogMs: 8000,
  });
}

/**
 * The simulated staff and shelf live in memory: a new demo cannot pick up the totes and bags of
 * the last one. So each demo starts a fresh shift, and the last shift's event log and OMS are
 * kept beside it (data/previous/<time>/) for `darkstore-gateway log --data ...`.
 */
function archivePreviousShift(dataDir: string): string | undefined {
  const files = ['gateway.db', 'gateway.db-wal', 'gateway.db-shm', 'oms.db', 'oms.db-wal', 'oms.db-shm', 'gateway.log', 'zigbee'].filter((f) => existsSync(join(dataDir, f)));
  if (!files.includes('gateway.db')) return undefined;
  const target = join(dataDir, 'previous', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(target, { recursive: true });
  for (const f of files) renameSync(join(dataDir, f), join(target, f));
  return target;
}
