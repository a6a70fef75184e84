/**
 * Scan-to-verdict latency: a device publishes a scan and waits for its verdict (the feedback
 * command), with 1, 50 and 200 stations scanning at once. Beside it, in the same run and on the
 * same embedded broker, the same kind of device talks to a bare echo client that answers every
 * scan with a feedback command at once: the floor of what any gateway could do over MQTT. The
 * gateway's verdict includes decoding, verification against SQLite and the committed
 * `stock.picked` event. Goal: p99 within 1.5x of the echo.
 * Run: npx tsx bench/scan-verdict.ts [SCANS_PER_LEVEL]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { configSchema } from '../config/schema.ts';
import { completeGtin } from '../devices/barcode/index.ts';
import { gatewayUsername } from '../gateway/broker/embeddedBroker.ts';
import { Gateway } from '../gateway/core/gateway.ts';

const levels = [1, 50, 200];
const maxStations = Math.max(...levels);
const scansPerLevel = Number(process.argv[2] ?? 2000);
const gtin = completeGtin('0950110153000');
const scanPayload = JSON.stringify({ kind: 'scan', data: `]E0${gtin.slice(1)}` });

async function connect(url: string, username: string, password: string): Promise<MqttClient> {
  const client = mqtt.connect(url, { username, password, clientId: `bench-${username}-${Math.random().toString(36).slice(2)}`, reconnectPeriod: 0 });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  // Like a scanner's firmware sending each scan at once: with Nagle on, a scan written right
  // after the previous verdict's PUBACK waits ~40 ms for a delayed ACK, for echo and gateway alike.
  (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  return client;
}

/** One device scanning in a loop: each scan waits for its verdict before the next. */
async function scanLoop(client: MqttClient, deviceId: string, count: number, latencies: number[]): Promise<void> {
  await client.subscribeAsync(`dsgw/v1/devices/${deviceId}/commands`, { qos: 1 });
  let waiting: (() => void) | undefined;
  client.on('message', (_topic, payload) => {
    if (payload.toString().includes('"feedback"')) waiting?.();
  });
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await new Promise<void>((resolve) => {
      waiting = resolve;
      client.publish(`dsgw/v1/devices/${deviceId}/events`, scanPayload, { qos: 1 });
    });
    latencies.push(performance.now() - started);
  }
}

async function measure(clients: MqttClient[], ids: string[], stations: number): Promise<number[]> {
  const latencies: number[] = [];
  const perDevice = Math.max(20, Math.ceil(scansPerLevel / stations));
  await Promise.all(clients.slice(0, stations).map((c, i) => scanLoop(c, ids[i]!, perDevice, latencies)));
  for (const c of clients) c.removeAllListeners('message');
  return latencies;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dsgw-bench-'));
  const ids = Array.from({ length: maxStations }, (_, i) => `scanner-${i}`);
  const echoIds = Array.from({ length: maxStations }, (_, i) => `echo-${i}`);
  const config = configSchema.parse({
    store: { id: 'bench' },
    dataDir: dir,
    broker: { mode: 'embedded', host: '127.0.0.1', port: 0 },
    http: { host: '127.0.0.1', port: 0 },
    logging: { level: 'silent' },
    devices: [...ids, ...echoIds].map((id) => ({ id, class: 'scanner', transport: { type: 'mqtt' }, secret: `${id}-secret` })),
    stations: ids.map((id, i) => ({ id: `pick-${i}`, kind: 'pick', devices: [id] })),
    layout: { bins: ids.map((_, i) => ({ id: `B-${i}`, zone: 'A' })) },
  });
  const gateway = new Gateway({ config, logger: pino({ level: 'silent' }) });
  await gateway.start();
  try {
    const url = gateway.broker!.url;
    // Every station gets an order for more units than the bench will ever scan.
    await gateway.log.appendAll([
      { type: 'catalog.upserted', data: { sku: 'MILK', name: 'Whole Milk 1L', gtins: [gtin], unitGrams: 1030 } },
      ...ids.map((_, i) => ({ type: 'stock.received' as const, data: { sku: 'MILK', bin: `B-${i}`, qty: 1_000_000 } })),
      ...ids.map((_, i) => ({ type: 'order.released' as const, data: { orderId: `O-${i}`, lines: [{ line: 1, sku: 'MILK', qty: 1_000_000 }] } })),
    ]);
    const scanners = await Promise.all(ids.map((id) => connect(url, id, `${id}-secret`)));
    const echoDevices = await Promise.all(echoIds.map((id) => connect(url, id, `${id}-secret`)));
    // The bare echo: in the gateway's place, it answers each scan with a feedback command.
    const echo = await connect(url, gatewayUsername, gateway.broker!.gatewayPassword);
    await echo.subscribeAsync('dsgw/v1/devices/+/events', { qos: 1 });
    echo.on('message', (topic) => {
      const deviceId = topic.split('/')[3]!;
      if (deviceId.startsWith('echo-')) echo.publish(`dsgw/v1/devices/${deviceId}/commands`, JSON.stringify({ kind: 'feedback', result: 'ok' }), { qos: 1 });
    });
    // Wait until every station holds its order.
    for (let waited = 0; [...Array(maxStations).keys()].some((i) => !(gateway.stations.stationState(`pick-${i}`) as { order?: unknown }).order); waited += 50) {
      if (waited > 30_000) throw new Error('stations did not receive their orders within 30 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    await measure(scanners, ids, 10); // warm-up
    await measure(echoDevices, echoIds, 10);

    console.log(`bench/scan-verdict: scan -> verdict over MQTT QoS 1, ~${scansPerLevel} scans per level, each device waits for its verdict`);
    for (const stations of levels) {
      const ours = await measure(scanners, ids, stations);
      const bare = await measure(echoDevices, echoIds, stations);
      const [g50, g99, e50, e99] = [percentile(ours, 50), percentile(ours, 99), percentile(bare, 50), percentile(bare, 99)];
      console.log(
        `  ${String(stations).padStart(3)} stations  gateway p50 ${g50.toFixed(2).padStart(6)} ms  p99 ${g99.toFixed(2).padStart(6)} ms   ` +
          `echo p50 ${e50.toFixed(2).padStart(6)} ms  p99 ${e99.toFixed(2).padStart(6)} ms   ratio p50 ${(g50 / e50).toFixed(2)}  p99 ${(g99 / e99).toFixed(2)} (goal p99 <= 1.5)`,
      );
    }
    await Promise.all([...scanners, ...echoDevices, echo].map((c) => c.endAsync(true)));
  } finally {
    await gateway.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
