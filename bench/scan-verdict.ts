/**
 * Scan-to-verdict latency: a device publishes a scan and waits for its verdict (the feedback
 * command), with 1, 50 and 200 stations scanning at once. Beside it, in the same run, the same
 * devices talk to a second embedded broker (same class, same devices, same login and topic
 * checks) where a bare echo client stands in the gateway's place: it logs in and subscribes as
 * the gateway's link does and answers every scan with a feedback command at once. That is the
 * floor of what any gateway could do over MQTT. The gateway's verdict includes decoding,
 * verification against SQLite, the commit of its events and the station screen.
 *
 * Fairness: each side has a broker of its own, so neither sees the other's traffic; only one side
 * scans at a time; each level runs in rounds that alternate which side goes first, so a change
 * in machine load falls on both; both sides are warmed up at every level before measuring.
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
  const echoBroker = new EmbeddedBroker({ ...config.broker, devices: config.devices, logger, metrics: new Metrics({ processMetrics: false }) });
  await gateway.start();
  await echoBroker.start();
  const clients: MqttClient[] = [];
  try {
    await giveEveryStationAnOrder(gateway, ids);
    // The bare echo, connected like the gateway's link (persistent session, no Nagle, QoS 1).
    const echo = await connect(echoBroker.url, gatewayUsername, echoBroker.gatewayPassword, { clientId: 'dsgw-gateway-echo', clean: false });
    clients.push(echo);
    const topics = contractTopics(config.broker.topicRoot);
    await echo.subscribeAsync([topics.allEvents, topics.allStatus], { qos: 1 });
    echo.on('message', (topic) => {
      if (topic.endsWith('/events')) echo.publish(topics.commands(topic.split('/')[3]!), echoPayload, { qos: 1 });
    });
    const sides: Side[] = [
      { name: 'gateway', devices: await connectDevices(gateway.broker!.url, ids) },
      { name: 'echo', devices: await connectDevices(echoBroker.url, ids) },
    ];
    for (const s of sides) clients.push(...s.devices);

    console.log(
      `bench/scan-verdict: scan -> verdict over MQTT QoS 1, ~${scansPerLevel} scans per level and side in ${rounds} alternating rounds, ` +
        'each device waits for its verdict',
    );
    for (const stations of levels) {
      // Warm-up at this level, not measured.
      for (const side of sides) await measure(side, ids, stations, Math.min(scansPerLevel / 4, stations * 10), []);
      const samples = new Map<string, number[]>(sides.map((s) => [s.name, []]));
      // CPU time of this process (broker, devices and gateway or echo) per scan: unlike latency,
      // it hardly moves with the load of other processes on the machine.
      const cpu = new Map<string, number>(sides.map((s) => [s.name, 0]));
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? sides : [...sides].reverse();
        for (const side of order) {
          const before = process.cpuUsage();
          await measure(side, ids, stations, scansPerLevel / rounds, samples.get(side.name)!);
          const used = process.cpuUsage(before);
          cpu.set(side.name, cpu.get(side.name)! + (used.user + used.system) / 1000);
        }
      }
      const [ours, bare] = sides.map((s) => samples.get(s.name)!.sort((a, b) => a - b)) as [number[], number[]];
      const [g50, g99, e50, e99] = [percentile(ours, 50), percentile(ours, 99), percentile(bare, 50), percentile(bare, 99)];
      const [gCpu, eCpu] = [cpu.get('gateway')! / ours.length, cpu.get('echo')! / bare.length];
      const ms = (v: number) => `${v.toFixed(2).padStart(6)} ms`;
      console.log(
        `  ${String(stations).padStart(3)} stations  gateway p50 ${ms(g50)}  p99 ${ms(g99)}   echo p50 ${ms(e50)}  p99 ${ms(e99)}   ` +
          `ratio p50 ${(g50 / e50).toFixed(2)}  p99 ${(g99 / e99).toFixed(2)} (goal p99 <= 1.5; n=${ours.length})   ` +
          `cpu/scan gateway ${gCpu.toFixed(3)} ms  echo ${eCpu.toFixed(3)} ms`,
      );
    }
  } finally {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await echoBroker.stop();
    await gateway.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run(parseArgs(process.argv.slice(2)));
