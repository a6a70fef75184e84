/** An MQTT photo-eye through a real gateway: passages and a jam land in the event log. */
import { describe, expect, it } from 'vitest';
import { MqttDeviceSimulator } from '../../../simulators/mqttDevice.ts';
import { useTestGateway, waitFor } from '../../helpers/testGateway.ts';

describe('MQTT photo-eye in the gateway', () => {
  const gw = useTestGateway();

  it('logs tote passages with their count and a jam and its clearing', async () => {
    const gateway = await gw.start({ devices: [{ id: 'eye-1', class: 'sensor', transport: { type: 'mqtt' }, secret: 'eye-1-secret', sensor: { debounceMs: 20, jamMs: 400 } }] });
    const eye = new MqttDeviceSimulator({ url: gateway.broker!.url, deviceId: 'eye-1', secret: 'eye-1-secret' });
    await eye.connect();
    const beam = async (state: 'blocked' | 'clear', holdMs: number) => {
      await eye.publish({ kind: 'sensor', state });
      await new Promise((r) => setTimeout(r, holdMs));
    };
    try {
      await beam('blocked', 100);
      await beam('clear', 100);
      await beam('blocked', 100);
      await beam('clear', 100);
      await beam('blocked', 700);
      await beam('clear', 100);
      await waitFor('the jam cleared', () => gateway.log.query({ type: 'sensor.jamCleared' }).length === 1);
      const sensorEvents = gateway.log.query({ type: 'sensor.' });
      expect(sensorEvents.map((e) => e.type)).toEqual(['sensor.passage', 'sensor.passage', 'sensor.jam', 'sensor.jamCleared']);
      expect(sensorEvents[1]!.data).toMatchObject({ deviceId: 'eye-1', count: 2 });
      expect(gateway.conveyor.counts()['eye-1']).toMatchObject({ passages: 2, jams: 1, jammed: false });
    } finally {
      await eye.disconnect();
    }
  });
});
