import { randomUUID } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import pino from 'pino';
import { afterEach } from 'vitest';
import { configSchema, type GatewayConfig } from '../../config/schema.ts';
import { Gateway } from '../../gateway/core/gateway.ts';
import { useTempDir } from './tempDir.ts';

export const testDevices = [
  { id: 'scanner-1', class: 'scanner', transport: { type: 'mqtt' }, secret: 'scanner-1-secret' },
  { id: 'scale-1', class: 'scale', transport: { type: 'mqtt' }, secret: 'scale-1-secret' },
];

/** Starts gateways on ephemeral ports with a temp data folder; all are stopped after the test. */
export function useTestGateway() {
  const tempDir = useTempDir();
  const running: Gateway[] = [];
  const clients: MqttClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
    for (const g of running.splice(0)) await g.stop();
  });
  return {
    /** `logger`: a logger of the test's own, to look at what the gateway logs (see `captureLogs`). */
    async start(overrides: Record<string, unknown> = {}, options: { logger?: pino.Logger } = {}): Promise<Gateway> {
      const config: GatewayConfig = configSchema.parse({
        store: { id: 'test-store' },
        dataDir: tempDir(),
        broker: { mode: 'embedded', host: '127.0.0.1', port: 0 },
        http: { host: '127.0.0.1', port: 0 },
        devices: testDevices,
        logging: { level: 'silent' },
        ...overrides,
      });
      const gateway = new Gateway({ config, logger: options.logger ?? pino({ level: process.env.DSGW_TEST_LOG ?? 'silent' }) });
      await gateway.start();
      running.push(gateway);
      return gateway;
    },
    /** A real MQTT client; resolves once connected, rejects with the broker's refusal. */
    async connect(url: string, options: IClientOptions = {}): Promise<MqttClient> {
      const client = mqtt.connect(url, { clientId: `test-${randomUUID()}`, reconnectPeriod: 0, connectTimeout: 5000, ...options });
      clients.push(client);
      await new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        client.once('error', reject);
        client.once('close', () => reject(new Error('closed before connect')));
      });
      return client;
    },
  };
}

/**
 * A pino logger that keeps its lines, parsed, for a test to look at.
 *
 * @example
 *   const logs = captureLogs();
 *   const gateway = await gw.start(config, { logger: logs.logger });
 *   expect(logs.lines.some((l) => l.msg.startsWith('order O-1'))).toBe(true);
 */
export function captureLogs(level: pino.Level = 'info'): { logger: pino.Logger; lines: Array<Record<string, unknown> & { msg: string; level: number }> } {
  const lines: Array<Record<string, unknown> & { msg: string; level: number }> = [];
  return { lines, logger: pino({ level }, { write: (line: string) => lines.push(JSON.parse(line)) }) };
}

/** Waits until `predicate` holds, polling; fails with `what` after the timeout. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The next message on a topic filter, as text. */
export function nextMessage(client: MqttClient, topic: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message on ${topic} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (t: string, payload: Buffer) => {
      if (t !== topic) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve(payload.toString());
    };
    client.on('message', onMessage);
  });
}

/** Subscribes and returns the broker's granted QoS per topic (128 = refused), without throwing. */
export function grantedQos(client: MqttClient, topics: string[]): Promise<number[]> {
  return new Promise((resolve) => {
    client.subscribe(topics, { qos: 1 }, (err, granted) => {
      // On a refusal mqtt.js reports an error carrying the SUBACK packet.
      const packet = (err as { packet?: { granted?: number[] } } | null)?.packet;
      resolve(packet?.granted ?? (granted ?? []).map((g) => g.qos));
    });
  });
}
