import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/testGateway.ts';
import { appendMovements, omsMatchesLog, store, useSyncHarness } from './syncHarness.ts';

const harness = useSyncHarness();
const sessionsToClear: Array<{ url: string; clientId: string }> = [];
const mosquittos: ChildProcess[] = [];

afterEach(async () => {
  // Persistent sessions outlive the test on a shared broker: end them (clean start, then leave).
  for (const { url, clientId } of sessionsToClear.splice(0)) {
    const c = mqtt.connect(url, { clientId, clean: true, reconnectPeriod: 0, connectTimeout: 2000 });
    await new Promise<void>((resolve) => {
      c.once('connect', () => resolve());
      c.once('error', () => resolve());
      c.once('close', () => resolve());
    });
    await c.endAsync(true);
  }
  for (const m of mosquittos.splice(0)) await stopMosquitto(m);
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** Our own Mosquitto on its own port, so restarting it disturbs nobody else on the machine. */
async function startMosquitto(port: number): Promise<ChildProcess> {
  const child = spawn('mosquitto', ['-p', String(port)], { stdio: 'ignore' });
  mosquittos.push(child);
  const deadline = Date.now() + 5000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 500 });
      c.once('connect', () => {
        resolve(true);
        void c.endAsync(true);
      });
      c.once('error', () => resolve(false));
      c.once('close', () => resolve(false));
    });
    if (up) return child;
    if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function stopMosquitto(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function mqttSetup(url: string) {
  const prefix = `dsgw-test/${randomUUID()}`;
  const gatewayClient = `dsgw-sync-${randomUUID()}`;
  const omsClient = `oms-${randomUUID()}`;
  sessionsToClear.push({ url, clientId: gatewayClient }, { url, clientId: omsClient });
  return {
    omsOptions: { mqtt: { url, topicPrefix: prefix, clientId: omsClient } },
    cloud: { url, transport: 'mqtt', mqtt: { topicPrefix: prefix, clientId: gatewayClient, reconnectMs: 100 } },
  };
}

describe('cloud sync over MQTT', () => {
  it("pushes, pulls and snapshots through the machine's Mosquitto with the same guarantees", async () => {
    const setup = mqttSetup('mqtt://127.0.0.1:1883');
    const oms = await harness.oms({ ...setup.omsOptions });
    oms.faults.injectNext('replyLost', 2);
    const { url, ...cloud } = setup.cloud;
    const gateway = await harness.gateway(url, { ...cloud, batchSize: 30 });
    const orders = oms.releaseOrders(store, 4);
    await appendMovements(gateway, oms, 120);
    await waitFor('catalog and orders', () => gateway.log.query({ type: 'order.released' }).length === 4, 10_000);
    await waitFor('the backlog to drain', () => gateway.sync!.status().backlog === 0 && oms.db.heldCount(store) === gateway.log.count(), 15_000);
    const m = omsMatchesLog(gateway, oms);
    expect(m.oms).toEqual(m.log);
    expect(m.arrivalsInOrder).toBe(true);
    expect(oms.db.duplicatesReceived).toBeGreaterThan(0);
    expect(gateway.log.query({ type: 'order.released' }).map((e) => (e.data as { orderId: string }).orderId).sort()).toEqual(orders.sort());
    const snapshot = await gateway.sync!.snapshotter.takeSnapshot('test');
    expect(snapshot.drift).toEqual([]);
    expect(gateway.sync!.status().transport).toBe('mqtt');
  });

  it('rides out a Mosquitto restart during the push: nothing lost, nothing doubled, in order', async () => {
    const port = await freePort();
    let broker = await startMosquitto(port);
    const setup = mqttSetup(`mqtt://127.0.0.1:${port}`);
    const oms = await harness.oms({ ...setup.omsOptions, seedCatalog: false });
    const { url, ...cloud } = setup.cloud;
    const gateway = await harness.gateway(url, { ...cloud, batchSize: 20, requestTimeoutMs: 500 });
    const pushing = (async () => {
      for (let i = 0; i < 30; i++) {
        await appendMovements(gateway, oms, 10, i * 10);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await waitFor('some events at the OMS', () => oms.db.heldCount(store) > 30, 10_000);
    await stopMosquitto(broker);
    await new Promise((r) => setTimeout(r, 300));
    broker = await startMosquitto(port);
    await pushing;
    await waitFor('the backlog to drain', () => gateway.sync!.status().backlog === 0 && oms.db.heldCount(store) === gateway.log.count(), 20_000);
    const m = omsMatchesLog(gateway, oms);
    expect(m.log).toHaveLength(300);
    expect(m.oms).toEqual(m.log);
    expect(m.arrivalsInOrder).toBe(true);
  });
});
