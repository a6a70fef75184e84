/**
 * Scan-to-verdict latency: a device publishes a scan and waits for its verdict (the feedback
 * command), with 1, 50 and 200 stations scanning at once. Beside it, in the same run, the same
 * devices talk to a second embedded broker (same class, same devices, same login and topic
 * checks) where a bare echo client stands in the gateway's place: it logs in and subscribes as
 * the gateway's link does and answers every scan with a feedback command at once. That is the
 * floor of what any gateway could do over MQTT. The gateway's verdict includes decoding,
 * verification against SQLite, the commit of its events and the station screen.
 *
 * A third side, echo+commit, is the same echo that first commits, raw with better-sqlite3, the
 * rows the gateway writes for the scan (bench/rawCommitFloor.ts), the scans that arrived together
 * in one transaction: the floor of a verdict that is committed before it is sent, which the
 * design requires. Its ratio to the bare echo is the part of the goal no gateway can win back.
 *
 * Fairness: each side has a broker of its own, so none sees another's traffic; only one side
 * scans at a time; each level runs in rounds that rotate which side goes first, so a change
 * in machine load falls on all; every side is warmed up at every level before measuring.
 * Goal: p99 within 1.5x of the echo.
 *
 * Run: npx tsx bench/scan-verdict.ts [SCANS_PER_LEVEL] [--levels=1,50,200] [--rounds=4]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { configSchema, type GatewayConfig } from '../config/schema.ts';
import { completeGtin } from '../devices/barcode/index.ts';
import { contractTopics } from '../devices/contract/deviceContract.ts';
import { EmbeddedBroker, gatewayUsername } from '../gateway/broker/embeddedBroker.ts';
import { Gateway } from '../gateway/core/gateway.ts';
import { Metrics } from '../gateway/core/metrics.ts';
import { openRawCommitFloor, type RawCommitFloor } from './rawCommitFloor.ts';

export const gtin = completeGtin('0950110153000');
/** What the bench's scanners send: the item's GTIN as a scanner reads it (AIM ]E0, EAN-13). */
export const scanData = `]E0${gtin.slice(1)}`;
const scanPayload = JSON.stringify({ kind: 'scan', data: scanData });
// The size of the gateway's verdict for this scan, so both sides move the same bytes.
const echoPayload = JSON.stringify({ kind: 'feedback', result: 'ok', message: 'ok: Whole Milk 1L, 1234 of 1000000' });

interface Options {
  scansPerLevel: number;
  levels: number[];
  rounds: number;
}

function parseArgs(argv: string[]): Options {
  const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const positional = argv.find((a) => /^\d+$/.test(a));
  return {
    scansPerLevel: Number(positional ?? 2000),
    levels: (flag('levels') ?? '1,50,200').split(',').map(Number),
    rounds: Number(flag('rounds') ?? 4),
  };
}

async function connect(url: string, username: string, password: string, extra: mqtt.IClientOptions = {}): Promise<MqttClient> {
  const client = mqtt.connect(url, { username, password, clientId: `bench-${username}-${Math.random().toString(36).slice(2)}`, reconnectPeriod: 0, ...extra });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  // Like a scanner's firmware sending each scan at once: with Nagle on, a scan written right
  // after the previous verdict's PUBACK waits ~40 ms for a delayed ACK, for echo and gateway alike.
  (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  return client;
}

/** One side: a broker with its devices connected, each device subscribed to its commands. */
interface Side {
  name: string;
  devices: MqttClient[];
}

async function connectDevices(url: string, ids: string[]): Promise<MqttClient[]> {
  // A few at a time: the broker checks each secret with scrypt, and on a busy machine 200 at once
  // outlast the client's CONNACK timeout.
  const devices: MqttClient[] = [];
  for (let i = 0; i < ids.length; i += 20) {
    devices.push(...(await Promise.all(ids.slice(i, i + 20).map((id) => connect(url, id, `${id}-secret`, { connectTimeout: 120_000 })))));
  }
  await Promise.all(devices.map((c, i) => c.subscribeAsync(`dsgw/v1/devices/${ids[i]}/commands`, { qos: 1 })));
  return devices;
}

/** One device scanning in a loop: each scan waits for its verdict before the next. */
async function scanLoop(client: MqttClient, deviceId: string, count: number, latencies: number[]): Promise<void> {
  let waiting: (() => void) | undefined;
  const onMessage = (_topic: string, payload: Buffer) => {
    if (payload.includes('"feedback"')) waiting?.();
  };
  client.on('message', onMessage);
  try {
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await new Promise<void>((resolve) => {
        waiting = resolve;
        client.publish(`dsgw/v1/devices/${deviceId}/events`, scanPayload, { qos: 1 });
      });
      latencies.push(performance.now() - started);
    }
  } finally {
    client.off('message', onMessage);
  }
}

async function measure(side: Side, ids: string[], stations: number, scans: number, into: number[]): Promise<void> {
  const perDevice = Math.max(5, Math.ceil(scans / stations));
  await Promise.all(side.devices.slice(0, stations).map((c, i) => scanLoop(c, ids[i]!, perDevice, into)));
}

/** A store of `ids.length` scanners, each the scanner of a pick station with a bin of its own. */
export function benchConfig(dir: string, ids: string[]): GatewayConfig {
  return configSchema.parse({
    store: { id: 'bench' },
    dataDir: dir,
    broker: { mode: 'embedded', host: '127.0.0.1', port: 0 },
    http: { host: '127.0.0.1', port: 0 },
    logging: { level: 'silent' },
    devices: ids.map((id) => ({ id, class: 'scanner', transport: { type: 'mqtt' }, secret: `${id}-secret` })),
    stations: ids.map((id, i) => ({ id: `pick-${i}`, kind: 'pick', devices: [id] })),
    layout: { bins: ids.map((_, i) => ({ id: `B-${i}`, zone: 'A' })) },
  });
}

/** Every station gets an order for more units than a bench will ever scan; resolves once each holds it. */
export async function giveEveryStationAnOrder(gateway: Gateway, ids: string[]): Promise<void> {
  await gateway.log.appendAll([
    { type: 'catalog.upserted', data: { sku: 'MILK', name: 'Whole Milk 1L', gtins: [gtin], unitGrams: 1030 } },
    ...ids.map((_, i) => ({ type: 'stock.received' as const, data: { sku: 'MILK', bin: `B-${i}`, qty: 1_000_000 } })),
    ...ids.map((_, i) => ({ type: 'order.released' as const, data: { orderId: `O-${i}`, lines: [{ line: 1, sku: 'MILK', qty: 1_000_000 }] } })),
  ]);
  for (let waited = 0; ids.some((_, i) => !(gateway.stations.stationState(`pick-${i}`) as { order?: unknown }).order); waited += 50) {
    if (waited > 30_000) throw new Error('stations did not receive their orders within 30 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * The bare echo, connected like the gateway's link (persistent session, no Nagle, QoS 1): it
 * answers every scan with a feedback command at once. With `floor` it first commits the rows the
 * gateway would write for the scan, the scans that arrived together in one transaction, as the
 * gateway's group commit does: the least any gateway that commits before it answers must do.
 */
async function startEcho(broker: EmbeddedBroker, topics: ReturnType<typeof contractTopics>, floor?: RawCommitFloor): Promise<MqttClient> {
  const echo = await connect(broker.url, gatewayUsername, broker.gatewayPassword, { clientId: `dsgw-gateway-echo-${floor ? 'commit' : 'bare'}`, clean: false });
  await echo.subscribeAsync([topics.allEvents, topics.allStatus], { qos: 1 });
  const answer = (deviceId: string) => echo.publish(topics.commands(deviceId), echoPayload, { qos: 1 });
  let waiting: string[] = [];
  echo.on('message', (topic) => {
    if (!topic.endsWith('/events')) return;
    const deviceId = topic.split('/')[3]!;
    if (!floor) return answer(deviceId);
    if (waiting.push(deviceId) > 1) return;
    setImmediate(() => {
      const batch = waiting;
      waiting = [];
      floor.commitScans(batch.map((id) => Number(id.slice('scanner-'.length))));
      for (const id of batch) answer(id);
    });
  });
  return echo;
}

export async function run(options: Options = parseArgs([])): Promise<void> {
  const { scansPerLevel, levels, rounds } = options;
  const maxStations = Math.max(...levels);
  const dir = mkdtempSync(join(tmpdir(), 'dsgw-bench-'));
  const ids = Array.from({ length: maxStations }, (_, i) => `scanner-${i}`);
  const config = benchConfig(dir, ids);
  const logger = pino({ level: 'silent' });
  const gateway = new Gateway({ config, logger });
  // The echo's broker: the same class with the same devices, options and checks as the gateway's.
  if (config.broker.mode !== 'embedded') throw new Error('the bench needs the embedded broker');
  const brokerOptions = { ...config.broker, devices: config.devices, logger, metrics: new Metrics({ processMetrics: false }) };
  const echoBroker = new EmbeddedBroker(brokerOptions);
  const committingEchoBroker = new EmbeddedBroker(brokerOptions);
  const floor = openRawCommitFloor(join(dir, 'echo-commit.db'), maxStations, scanData, gtin);
  await gateway.start();
  await echoBroker.start();
  await committingEchoBroker.start();
  const clients: MqttClient[] = [];
  try {
    await giveEveryStationAnOrder(gateway, ids);
    const topics = contractTopics(config.broker.topicRoot);
    clients.push(await startEcho(echoBroker, topics));
    clients.push(await startEcho(committingEchoBroker, topics, floor));
    const sides: Side[] = [
      { name: 'gateway', devices: await connectDevices(gateway.broker!.url, ids) },
      { name: 'echo', devices: await connectDevices(echoBroker.url, ids) },
      { name: 'echo+commit', devices: await connectDevices(committingEchoBroker.url, ids) },
    ];
    for (const s of sides) clients.push(...s.devices);

    console.log(
      `bench/scan-verdict: scan -> verdict over MQTT QoS 1, ~${scansPerLevel} scans per level and side in ${rounds} alternating rounds, ` +
        'each device waits for its verdict',
    );
    for (const stations of levels) {
      // Warm-up at this level, not measured: enough scans that the JIT has compiled each side's
      // code (the gateway has far more of it than an echo) before the first measured scan.
      for (const side of sides) await measure(side, ids, stations, Math.max(scansPerLevel / 4, stations * 10), []);
      const samples = new Map<string, number[]>(sides.map((s) => [s.name, []]));
      // CPU time of this process (broker, devices and gateway or echo) per scan: unlike latency,
      // it hardly moves with the load of other processes on the machine.
      const cpu = new Map<string, number>(sides.map((s) => [s.name, 0]));
      for (let round = 0; round < rounds; round++) {
        // Each round starts with the next side, so a change in machine load falls on all of them.
        const order = sides.map((_, i) => sides[(i + round) % sides.length]!);
        for (const side of order) {
          // Let the previous side's background work (the gateway's and echo+commit's WAL
          // checkpoints start at a pause in their commits) finish before this side scans, then
          // scan a little unmeasured: after a pause the first scans pay for waking the CPU up.
          await new Promise((resolve) => setTimeout(resolve, 100));
          await measure(side, ids, stations, Math.max(50, stations * 2), []);
          const before = process.cpuUsage();
          await measure(side, ids, stations, scansPerLevel / rounds, samples.get(side.name)!);
          const used = process.cpuUsage(before);
          cpu.set(side.name, cpu.get(side.name)! + (used.user + used.system) / 1000);
        }
      }
      const figures = new Map(
        sides.map((s) => {
          const sorted = samples.get(s.name)!.sort((x, y) => x - y);
          return [s.name, { p50: percentile(sorted, 50), p99: percentile(sorted, 99), cpu: cpu.get(s.name)! / sorted.length, n: sorted.length }];
        }),
      );
      const [ours, bare, committed] = [figures.get('gateway')!, figures.get('echo')!, figures.get('echo+commit')!];
      const ms = (v: number) => v.toFixed(2);
      const side = (name: string, f: typeof ours) => `${name} ${ms(f.p50)}/${ms(f.p99)}`;
      console.log(
        `  ${String(stations).padStart(3)} stations  p50/p99 ms: ${side('gateway', ours)}  ${side('echo', bare)}  ${side('echo+commit', committed)}  (n=${ours.n})\n` +
          `               gateway/echo p50 ${(ours.p50 / bare.p50).toFixed(2)} p99 ${(ours.p99 / bare.p99).toFixed(2)} (goal p99 <= 1.5)   ` +
          `gateway/echo+commit p99 ${(ours.p99 / committed.p99).toFixed(2)}   echo+commit/echo p99 ${(committed.p99 / bare.p99).toFixed(2)}   ` +
          `cpu/scan ms: gateway ${ours.cpu.toFixed(3)}  echo ${bare.cpu.toFixed(3)}  echo+commit ${committed.cpu.toFixed(3)}`,
      );
    }
  } finally {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await echoBroker.stop();
    await committingEchoBroker.stop();
    floor.close();
    await gateway.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run(parseArgs(process.argv.slice(2)));
