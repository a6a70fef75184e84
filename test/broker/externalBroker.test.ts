import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../gateway/core/eventBus.ts';
import { floorConfig, gtins, seedStore } from '../helpers/floorStore.ts';
import { nextMessage, useTestGateway, waitFor } from '../helpers/testGateway.ts';

// The machine's Mosquitto on 127.0.0.1:1883 is shared by every run: each test has its own topic
// root and clears what it retained.
const mosquitto = 'mqtt://127.0.0.1:1883';
const gw = useTestGateway();

describe('external broker mode (Mosquitto)', () => {
  it('receives device events, answers bad payloads and records status through an external broker', async () => {
    const root = `dsgw-test-${randomUUID().slice(0, 8)}/v1`;
    const gateway = await gw.start({ broker: { mode: 'external', url: mosquitto, clientId: `dsgw-test-${randomUUID()}`, topicRoot: root } });
    expect(gateway.broker).toBeUndefined();
    expect(gateway.link.connected).toBe(true);
    const received: DeviceEvent[] = [];
    gateway.bus.onDeviceEvent(received, (_id, e) => received.push(e));

    // On an external broker, authentication is that broker's job; the device speaks the same contract.
    const device = await gw.connect(mosquitto, {
      will: { topic: `${root}/devices/scale-1/status`, payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    try {
      await device.publishAsync(`${root}/devices/scale-1/status`, 'online', { qos: 1, retain: true });
      await device.subscribeAsync(`${root}/devices/scale-1/errors`, { qos: 1 });
      const answered = nextMessage(device, `${root}/devices/scale-1/errors`);
      await device.publishAsync(`${root}/devices/scale-1/events`, 'not json', { qos: 1 });
      expect(JSON.parse(await answered)).toMatchObject({ error: 'invalid-json' });

      await device.publishAsync(`${root}/devices/scale-1/events`, JSON.stringify({ kind: 'weight', grams: 412.5, stable: true }), { qos: 1 });
      await waitFor('the weight event', () => received.length === 1);
      expect(received[0]).toEqual({ kind: 'weight', grams: 412.5, stable: true });
      await waitFor('device.online in the log', () => gateway.log.query({ type: 'device.online' }).length === 1);

      // Commands go out through the external broker too.
      await device.subscribeAsync(`${root}/devices/scale-1/commands`, { qos: 1 });
      const command = nextMessage(device, `${root}/devices/scale-1/commands`);
      await gateway.link.sendCommand('scale-1', { kind: 'feedback', result: 'ok' });
      expect(JSON.parse(await command)).toEqual({ kind: 'feedback', result: 'ok' });

      await device.publishAsync(`${root}/devices/scale-1/status`, 'offline', { qos: 1, retain: true });
      await waitFor('device.offline in the log', () => gateway.log.query({ type: 'device.offline' }).length === 1);
    } finally {
      // Clear what this test retained on the shared broker (the gateway retains its own status on stop).
      await gateway.stop();
      await device.publishAsync(`${root}/devices/scale-1/status`, '', { qos: 1, retain: true });
      await device.publishAsync(`${root}/gateway/test-store/status`, '', { qos: 1, retain: true });
      await device.endAsync(false); // a clean DISCONNECT: the will is not published
    }
  });

  it('a scan the broker kept for the gateway while it was down gets its verdict when the gateway is back', async () => {
    const root = `dsgw-test-${randomUUID().slice(0, 8)}/v1`;
    const dataDir = mkdtempSync(join(tmpdir(), 'dsgw-external-'));
    // The same client id across the restart: Mosquitto keeps the session and queues QoS 1 events for it.
    const config = { ...floorConfig, dataDir, broker: { mode: 'external', url: mosquitto, clientId: `dsgw-test-${randomUUID()}`, topicRoot: root } };
    const scanner = await gw.connect(mosquitto);
    const feedback: Array<{ result: string; message?: string }> = [];
    scanner.on('message', (_topic, payload) => feedback.push(JSON.parse(payload.toString()) as { result: string; message?: string }));
    await scanner.subscribeAsync(`${root}/devices/scanner-pick/commands`, { qos: 1 });
    try {
      const first = await gw.start(config);
      await seedStore(first);
      await first.log.append({ type: 'order.released', data: { orderId: 'O-1', lines: [{ line: 1, sku: 'MILK', qty: 2 }] } });
      await waitFor('O-1 at the pick station', () => (first.stations.stationState('pick-1') as { order?: unknown }).order);
      await first.stop();

      // Scanned while the gateway is down: the broker acknowledges it and keeps it for the gateway.
      await scanner.publishAsync(`${root}/devices/scanner-pick/events`, JSON.stringify({ kind: 'scan', data: `]E0${gtins.milk.slice(1)}` }), { qos: 1 });
      const second = await gw.start(config);
      const verdict = await waitFor('the verdict of the scan made while the gateway was down', () => feedback.find((f) => f.result));
      expect(verdict).toMatchObject({ result: 'ok', message: 'ok: Whole Milk 1L, 1 of 2' });
      expect(second.log.query({ type: 'stock.picked' })).toHaveLength(1);
      await second.stop();
    } finally {
      await scanner.publishAsync(`${root}/gateway/e2e-store/status`, '', { qos: 1, retain: true });
      await scanner.endAsync(false);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
