import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../gateway/core/eventBus.ts';
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
});
