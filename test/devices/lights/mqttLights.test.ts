/**
 * MQTT pick-to-light through a real gateway and its embedded broker: many lights set and
 * cleared, button presses become events, and the lights' state is re-sent when the device
 * reconnects after losing power.
 */
import { describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../../gateway/core/eventBus.ts';
import { MqttLightSimulator } from '../../../simulators/mqttLight.ts';
import { useTestGateway, waitFor } from '../../helpers/testGateway.ts';

describe('MQTT lights', () => {
  const gw = useTestGateway();

  it('sets and clears lights, reports buttons with their address and restores the lights after a reconnect', async () => {
    const gateway = await gw.start({ devices: [{ id: 'light-a', class: 'light', transport: { type: 'mqtt' }, secret: 'light-a-secret' }] });
    const light = new MqttLightSimulator({ url: gateway.broker!.url, deviceId: 'light-a', secret: 'light-a-secret' });
    await light.connect();
    try {
      await waitFor('light online', () => gateway.devices.health('light-a')?.state === 'online');
      await gateway.commands.sendCommand('light-a', { kind: 'light', color: 'green', text: '2', address: 1 });
      await gateway.commands.sendCommand('light-a', { kind: 'light', color: 'blue', blink: true, text: '5', address: 2 });
      await gateway.commands.sendCommand('light-a', { kind: 'light', color: 'green', text: '1', address: 3 });
      await gateway.commands.sendCommand('light-a', { kind: 'light', color: 'off', address: 3 });
      await waitFor('lights set', () => light.shown(3).color === 'off' && light.shown(2).color === 'blue');
      expect(light.shown(1)).toEqual({ color: 'green', blink: false, text: '2' });

      const presses: DeviceEvent[] = [];
      gateway.bus.onDeviceEvent(gateway, (_id, event) => {
        if (event.kind === 'button') presses.push(event);
      });
      await light.press('confirm', 1);
      await waitFor('button event', () => presses.length === 1);
      expect(presses[0]).toMatchObject({ kind: 'button', button: 'confirm', address: 1 });

      light.dropConnection();
      await waitFor('light offline', () => gateway.devices.health('light-a')?.state === 'offline');
      light.powerCycle();
      await light.reconnect();
      await waitFor('lights restored', () => light.shown(1).color === 'green' && light.shown(2).color === 'blue');
      expect(light.shown(2)).toEqual({ color: 'blue', blink: true, text: '5' });
      expect(light.shown(3).color).toBe('off');
    } finally {
      await light.disconnect();
    }
  });
});
