/**
 * The gateway's own CPU per scan on the verdict path, without MQTT: scans go onto the event bus
 * as a scanner's driver puts them (decoded), stations decide, the log commits `device.scanned`
 * and `stock.picked`, and the verdict is taken where the link would publish it (the link still
 * publishes it and the station screen to the embedded broker, as in the gateway). With 1, 50 and
 * 200 stations scanning at once, each station waiting for its verdict.
 *
 * Baseline, in the same run: the same durable writes done raw with better-sqlite3 on a database
 * with the log's schema and projections (per scan two event rows, the stock row and the order
 * line), one transaction per scan at 1 station and one per N scans at N stations (what group
 * commit gives the gateway): the floor of a verdict that is committed before it is sent.
 *
 * bench/scan-verdict.ts measures latency through a broker and devices in one process, where this
 * work is a third to a half of the CPU and machine load hides changes of 10-20 %; this measures
 * only the gateway's part, for comparing changes to it. Profile it with
 * `npx tsx --cpu-prof --cpu-prof-dir=.tmp/prof bench/verdict-path.ts`.
 *
 * Run: npx tsx bench/verdict-path.ts [SCANS_PER_LEVEL] [--levels=1,50,200]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { DeviceCommandPayload } from '../devices/contract/deviceContract.ts';
import { toScanEvent } from '../devices/scanners/scanEvent.ts';
import { Gateway } from '../gateway/core/gateway.ts';
import { openRawCommitFloor } from './rawCommitFloor.ts';
import { benchConfig, giveEveryStationAnOrder, gtin, scanData } from './scan-verdict.ts';

interface Options {
  scansPerLevel: number;
  levels: number[];
}

function parseArgs(argv: string[]): Options {
  const levels = argv.find((a) => a.startsWith('--levels='))?.split('=')[1];
  return { scansPerLevel: Number(argv.find((a) => /^\d+$/.test(a)) ?? 4000), levels: (levels ?? '1,50,200').split(',').map(Number) };
}

/** CPU milliseconds of this process per unit of work. */
async function cpuPer(units: number, work: () => Promise<void> | void): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / units;
}

/** The raw floor: per scan the rows the gateway writes, `perCommit` scans in a transaction. */
function rawCommits(dir: string, scans: number, perCommit: number): Promise<number> {
  const floor = openRawCommitFloor(join(dir, `raw-${perCommit}.db`), 1, scanData, gtin);
  const batch = new Array<number>(perCommit).fill(0);
  return cpuPer(scans, () => {
    for (let done = 0; done < scans; done += perCommit) floor.commitScans(batch.slice(0, Math.min(perCommit, scans - done)));
  }).finally(() => floor.close());
}

export async function run(options: Options = parseArgs([])): Promise<void> {
  const { scansPerLevel, levels } = options;
  const dir = mkdtempSync(join(tmpdir(), 'dsgw-bench-'));
  const ids = Array.from({ length: Math.max(...levels) }, (_, i) => `scanner-${i}`);
  const config = benchConfig(dir, ids);
  const gateway = new Gateway({ config, logger: pino({ level: 'silent' }) });
  await gateway.start();
  try {
    await giveEveryStationAnOrder(gateway, ids);
    // The verdict is caught where the link publishes it; the publish goes on as usual.
    const waiting = new Map<string, () => void>();
    const link = gateway.link;
    const sendCommand = link.sendCommand.bind(link);
    link.sendCommand = (deviceId: string, command: DeviceCommandPayload) => {
      if (command.kind === 'feedback') waiting.get(deviceId)?.();
      return sendCommand(deviceId, command);
    };
    const scan = (deviceId: string) =>
      new Promise<void>((resolve) => {
        waiting.set(deviceId, resolve);
        gateway.bus.emitDeviceEvent(deviceId, toScanEvent(scanData, config.barcodes));
      });

    console.log(`bench/verdict-path: the gateway's CPU per scan without MQTT devices, ~${scansPerLevel} scans per level, each station waits for its verdict`);
    for (const stations of levels) {
      const perStation = Math.max(5, Math.ceil(scansPerLevel / stations));
      const scans = perStation * stations;
      const all = () => Promise.all(ids.slice(0, stations).map(async (id) => {
        for (let i = 0; i < perStation; i++) await scan(id);
      })).then(() => undefined);
      await all(); // warm-up
      const ours = await cpuPer(scans, all);
      const raw = await rawCommits(dir, scans, stations);
      console.log(
        `  ${String(stations).padStart(3)} stations  gateway ${ours.toFixed(3)} ms/scan   raw commit of its writes ${raw.toFixed(3)} ms/scan   ratio ${(ours / raw).toFixed(1)}`,
      );
    }
  } finally {
    await gateway.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run(parseArgs(process.argv.slice(2)));
