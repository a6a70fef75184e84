/**
 * Draining a backlog to the simulated OMS: events per second of cloud sync (read from the log,
 * send, persist the cursor on each acknowledgement) against a bare HTTP client (undici, keep-alive)
 * posting the same batches, bodies prepared beforehand, to the same simulator in the same run.
 * Goal: at least 0.8 of the bare client, and 1,000,000 events drained in under a minute.
 * Run: npx tsx bench/sync-drain.ts [EVENTS] [BATCH]   (defaults 1000000 and 1000)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { Agent, request } from 'undici';
import { CloudSync } from '../cloud-sync/cloudSync.ts';
import { serializePush } from '../cloud-sync/eventPusher.ts';
import { cloudSchema } from '../config/schema.ts';
import { newEventId } from '../gateway/log/eventId.ts';
import { EventLog } from '../gateway/log/eventLog.ts';
import { syncPortsFor } from '../gateway/sync/syncAdapters.ts';

/** The simulator in its own process, as the OMS would be: the two sides do not share a core. */
async function startSimulator(file: string): Promise<{ url: string; stop: () => void }> {
  const main = fileURLToPath(new URL('../simulators/cloud-oms/main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main, '--port', '0', '--file', file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /on (http:\/\/[\d.:]+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`simulator exited (${code}): ${out}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/** A backlog of `total` events written straight into the log's table (projections are not part of a drain). */
function fillBacklog(log: EventLog, total: number): void {
  const insert = log.db.prepare('INSERT INTO events (id, type, at, source, data) VALUES (?, ?, ?, ?, ?)');
  const at = new Date().toISOString();
  const chunk = log.db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) insert.run(newEventId(), 'stock.adjusted', at, '{}', JSON.stringify({ sku: `DAI-${String(1 + (i % 3000)).padStart(5, '0')}`, bin: `A-${i % 40}`, delta: 1, reason: 'bench' }));
  });
  for (let i = 0; i < total; i += 50_000) chunk(i, Math.min(total, i + 50_000));
}

async function bareClient(url: string, store: string, bodies: string[]): Promise<number> {
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 1 });
  const started = performance.now();
  for (const body of bodies) {
    const res = await request(`${url}/v1/stores/${store}/events`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, dispatcher: agent });
    await res.body.json();
    if (res.statusCode !== 200) throw new Error(`bare client: HTTP ${res.statusCode}`);
  }
  const seconds = (performance.now() - started) / 1000;
  await agent.close();
  return seconds;
}

async function syncDrain(url: string, log: EventLog, store: string, batchSize: number): Promise<number> {
  const config = cloudSchema.parse({ url, batchSize, batchMaxAgeMs: 0, intervals: { pushMs: 5, pullMs: 3_600_000, snapshotMs: 3_600_000 } });
  const sync = new CloudSync({ ...syncPortsFor(log), config, storeId: store, logger: pino({ level: 'warn' }) });
  const started = performance.now();
  await sync.start();
  while (sync.pusher.backlog() > 0) await new Promise((r) => setTimeout(r, 5));
  const seconds = (performance.now() - started) / 1000;
  await sync.stop();
  return seconds;
}

export async function run(): Promise<void> {
  const total = Number(process.argv[2] ?? process.env.DSGW_BENCH_SYNC_EVENTS ?? 1_000_000);
  const batchSize = Number(process.argv[3] ?? 1000);
  const dir = mkdtempSync(join(tmpdir(), 'dsgw-bench-sync-'));
  const sim = await startSimulator(join(dir, 'oms.db'));
  try {
    const log = EventLog.open({ file: join(dir, 'gateway.db') });
    let t = performance.now();
    fillBacklog(log, total);
    console.log(`sync-drain: backlog of ${total} events written in ${((performance.now() - t) / 1000).toFixed(1)} s; batches of ${batchSize}; simulator ${sim.url}`);

    // The same batches the sync sends, serialised before the clock starts.
    const bodies: string[] = [];
    const { reader } = syncPortsFor(log);
    for (let after = 0; ; ) {
      const rows = reader.readAfter(after, batchSize);
      if (rows.length === 0) break;
      bodies.push(serializePush(rows));
      after = rows[rows.length - 1]!.seq;
    }
    const bareSeconds = await bareClient(sim.url, 'bench-bare', bodies);
    bodies.length = 0;
    const bareRate = total / bareSeconds;
    console.log(`  bare HTTP client  ${Math.round(bareRate).toLocaleString('en')} events/s (${bareSeconds.toFixed(1)} s)`);

    t = performance.now();
    const syncSeconds = await syncDrain(sim.url, log, 'bench-sync', batchSize);
    const syncRate = total / syncSeconds;
    console.log(`  cloud sync drain  ${Math.round(syncRate).toLocaleString('en')} events/s (${syncSeconds.toFixed(1)} s)`);
    console.log(`  ratio ${(syncRate / bareRate).toFixed(2)} of the bare client (goal >= 0.8); drained in ${syncSeconds.toFixed(1)} s (goal < 60 s for 1,000,000)`);
    log.close();
  } finally {
    sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
