import { describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../../gateway/core/eventBus.ts';
import { MqttDeviceSimulator } from '../../../simulators/mqttDevice.ts';
import { useTestGateway, waitFor } from '../../helpers/testGateway.ts';

describe('MQTT scanners and scales through the registry', () => {
  const gw = useTestGateway();

  async function setup() {
    const gateway = await gw.start();
    const received: Array<[string, DeviceEvent]> = [];
    gateway.bus.onDeviceEvent(received, (id, event) => received.push([id, event]));
    const scanner = new MqttDeviceSimulator({ url: gateway.broker!.url, deviceId: 'scanner-1', secret: 'scanner-1-secret' });
    const scale = new MqttDeviceSimulator({ url: gateway.broker!.url, deviceId: 'scale-1', secret: 'scale-1-secret' });
    await scanner.connect();
    await scale.connect();
    return { gateway, received, scanner, scale, stop: async () => { await scanner.disconnect(); await scale.disconnect(); } };
  }

  it('decodes MQTT scans at the edge, logs them, and keeps the device health', async () => {
    const { gateway, received, scanner, scale, stop } = await setup();
    await scanner.scan('BIN-A-01-01');
    await scale.weight(412.5, true);
    await waitFor('two events', () => received.length >= 2);
    expect(received).toMatchObject([
      ['scanner-1', { kind: 'scan', data: 'BIN-A-01-01', barcode: { storeLabel: { kind: 'bin', id: 'A-01-01' } } }],
      ['scale-1', { kind: 'weight', grams: 412.5, stable: true }],
    ]);
    await waitFor('device.scanned', () => gateway.log.query({ type: 'device.scanned' }).length === 1);
    expect(gateway.log.query({ type: 'device.scanned' })[0]!.data).toEqual({ deviceId: 'scanner-1', data: 'BIN-A-01-01', label: 'bin' });
    await waitFor('device.weighed', () => gateway.log.query({ type: 'device.weighed' }).length === 1);
    expect(gateway.devices.health('scanner-1')).toMatchObject({ state: 'online', address: 'mqtt', counters: { events: 1 } });
    await stop();
  });

  it('answers a non-JSON payload on the errors topic, counts it on the device, and keeps reading', async () => {
    const { gateway, received, scanner, stop } = await setup();
    await scanner.publishRaw('not json {');
    await scanner.publishRaw(JSON.stringify({ kind: 'scan' }));
    await scanner.scan('4006381333931');
    await waitFor('scan after bad payloads', () => received.length === 1);
    await waitFor('two error answers', () => scanner.errors.length === 2);
    expect(scanner.errors).toMatchObject([{ error: 'invalid-json' }, { error: 'invalid-payload' }]);
    const health = gateway.devices.health('scanner-1')!;
    expect(health.counters.badInput).toBe(2);
    expect(health.lastError!.bytesHex).toMatch(/^7b 22 6b 69 6e 64/); // {"kind
    await stop();
  });

  it('sends typed commands as contract commands', async () => {
    const { gateway, scanner, scale, stop } = await setup();
    await gateway.devices.send('scanner-1', { kind: 'feedback', result: 'bad', message: 'Wrong item' });
    await gateway.devices.send('scale-1', { kind: 'tare' });
    await gateway.devices.send('scale-1', { kind: 'zero' });
    await waitFor('commands', () => scanner.commands.length === 1 && scale.commands.length === 2);
    expect(scanner.commands).toEqual([{ kind: 'feedback', result: 'error', message: 'Wrong item' }]);
    expect(scale.commands).toEqual([{ kind: 'tare' }, { kind: 'zero' }]);
    expect(gateway.devices.health('scale-1')!.counters.commands).toBe(2);
    await expect(gateway.devices.send('nope', { kind: 'zero' })).rejects.toThrow(/no running device "nope"/);
    await stop();
  });

  it('an unplugged MQTT device goes offline; across the gap no event is lost or doubled', async () => {
    const { gateway, received, scanner, stop } = await setup();
    const first = await scanner.scan('4006381333931');
    await waitFor('first scan', () => received.length === 1);
    scanner.dropConnection();
    await waitFor('offline', () => gateway.devices.health('scanner-1')?.state === 'offline');
    await waitFor('device.offline logged', () => gateway.log.query({ type: 'device.offline' }).some((e) => e.source.device === 'scanner-1'));
    await scanner.reconnect();
    await waitFor('online again', () => gateway.devices.health('scanner-1')?.state === 'online', 2000);
    // The device did not get its PUBACK before the drop, so it resends with the same id...
    await scanner.publish({ kind: 'scan', data: '4006381333931' }, first);
    // ...and then carries on with new scans.
    await scanner.scan('BIN-A-01-02');
    await scanner.scan('BIN-A-01-03');
    await waitFor('three distinct scans', () => received.length >= 3);
    await new Promise((r) => setTimeout(r, 200));
    expect(received.map(([, e]) => (e as { data: string }).data)).toEqual(['4006381333931', 'BIN-A-01-02', 'BIN-A-01-03']);
    expect(gateway.log.query({ type: 'device.scanned' })).toHaveLength(3);
    await stop();
  });
});
