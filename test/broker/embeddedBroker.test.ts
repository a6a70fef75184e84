import { describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../gateway/core/eventBus.ts';
import { grantedQos, nextMessage, useTestGateway, waitFor } from '../helpers/testGateway.ts';

const gw = useTestGateway();
const metric = async (url: string, name: string) => {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith(name)).join('\n');
};

describe('embedded broker', () => {
  it('lets a configured device in with its secret and refuses a wrong secret or an unknown device', async () => {
    const gateway = await gw.start();
    const url = gateway.broker!.url;
    const ok = await gw.connect(url, { username: 'scanner-1', password: 'scanner-1-secret' });
    expect(ok.connected).toBe(true);
    await expect(gw.connect(url, { username: 'scanner-1', password: 'wrong-secret' })).rejects.toThrow(/Bad username or password/);
    await expect(gw.connect(url, { username: 'ghost-1', password: 'whatever-secret' })).rejects.toThrow(/Not authorized/);
    await expect(gw.connect(url, {})).rejects.toThrow(/Bad username or password/);
    await expect(gw.connect(url, { username: '$gateway', password: 'guess' })).rejects.toThrow(/Bad username or password/);
    const failures = await metric(gateway.http.url, 'dsgw_broker_auth_failures_total');
    expect(failures).toMatch(/wrong secret for device \\"scanner-1\\"[^\n]* 1/);
    expect(failures).toMatch(/unknown device/);
  });

  it('accepts a device event on its own topic and hands it to the bus', async () => {
    const gateway = await gw.start();
    const received: Array<[string, DeviceEvent]> = [];
    gateway.bus.onDeviceEvent(received, (id, event) => received.push([id, event]));
    const scanner = await gw.connect(gateway.broker!.url, { username: 'scanner-1', password: 'scanner-1-secret' });
    await scanner.publishAsync('dsgw/v1/devices/scanner-1/events', JSON.stringify({ kind: 'scan', data: ']C1010400638133393110LOT42', id: 'm1' }), { qos: 1 });
    // The same message redelivered (same id) is dropped.
    await scanner.publishAsync('dsgw/v1/devices/scanner-1/events', JSON.stringify({ kind: 'scan', data: ']C1010400638133393110LOT42', id: 'm1' }), { qos: 1 });
    await scanner.publishAsync('dsgw/v1/devices/scanner-1/events', JSON.stringify({ kind: 'button', button: 'confirm' }), { qos: 1 });
    await waitFor('two device events', () => received.length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    // The scan also carries its decoding (devices/scanners/scanEvent.ts); the raw part is unchanged.
    expect(received).toMatchObject([
      ['scanner-1', { kind: 'scan', data: ']C1010400638133393110LOT42', id: 'm1', barcode: { gtin: '04006381333931' } }],
      ['scanner-1', { kind: 'button', button: 'confirm' }],
    ]);
  });

  it('confines a device to its own topics: publishing elsewhere never reaches anyone', async () => {
    const gateway = await gw.start();
    const received: string[] = [];
    gateway.bus.onDeviceEvent(received, (id) => received.push(id));
    const scanner = await gw.connect(gateway.broker!.url, { username: 'scanner-1', password: 'scanner-1-secret' });
    // Pretending to be the scale: refused (aedes drops the publish and closes the offending client).
    scanner.publish('dsgw/v1/devices/scale-1/events', JSON.stringify({ kind: 'weight', grams: 10, stable: true }), { qos: 0 });
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toEqual([]);
    expect(await metric(gateway.http.url, 'dsgw_broker_acl_denied_total{action="publish"}')).toMatch(/ 1$/);
  });

  it('refuses a subscription to another device\'s commands but grants its own', async () => {
    const gateway = await gw.start();
    const scanner = await gw.connect(gateway.broker!.url, { username: 'scanner-1', password: 'scanner-1-secret' });
    const granted = await grantedQos(scanner, ['dsgw/v1/devices/scanner-1/commands', 'dsgw/v1/devices/scale-1/commands', 'dsgw/v1/#']);
    expect(granted).toEqual([1, 128, 128]);
    await gateway.link.sendCommand('scanner-1', { kind: 'feedback', result: 'error', message: 'Wrong item' });
    const message = await nextMessage(scanner, 'dsgw/v1/devices/scanner-1/commands');
    expect(JSON.parse(message)).toEqual({ kind: 'feedback', result: 'error', message: 'Wrong item' });
  });

  it('answers a malformed payload on the device\'s errors topic, counts it, and keeps going', async () => {
    const gateway = await gw.start();
    const received: DeviceEvent[] = [];
    gateway.bus.onDeviceEvent(received, (_id, e) => received.push(e));
    const scanner = await gw.connect(gateway.broker!.url, { username: 'scanner-1', password: 'scanner-1-secret' });
    await scanner.subscribeAsync('dsgw/v1/devices/scanner-1/errors', { qos: 1 });
    const notJson = nextMessage(scanner, 'dsgw/v1/devices/scanner-1/errors');
    await scanner.publishAsync('dsgw/v1/devices/scanner-1/events', '{"kind":"scan", data: oops', { qos: 1 });
    expect(JSON.parse(await notJson)).toMatchObject({ error: 'invalid-json', message: expect.stringMatching(/not JSON/) });
    const badShape = nextMessage(scanner, 'dsgw/v1/devices/scanner-1/errors');
    await scanner.publishAsync('dsgw/v1/devices/scanner-1/events', JSON.stringify({ kind: 'weight', grams: 'heavy' }), { qos: 1 });
    expect(JSON.parse(await badShape)).toMatchObject({ error: 'invalid-payload', message: expect.stringMatching(/grams/) });
    await scanner.publishAsync('dsgw/v1/devices/scanner-1/events', JSON.stringify({ kind: 'scan', data: '4006381333931' }), { qos: 1 });
    await waitFor('the good scan after the bad ones', () => received.length === 1);
    const counted = await metric(gateway.http.url, 'dsgw_device_payload_errors_total');
    expect(counted).toContain('dsgw_device_payload_errors_total{device="scanner-1",error="invalid-json"} 1');
    expect(counted).toContain('dsgw_device_payload_errors_total{device="scanner-1",error="invalid-payload"} 1');
  });

  it('records device.online and device.offline in the log and keeps the retained status', async () => {
    const gateway = await gw.start();
    const scale = await gw.connect(gateway.broker!.url, { username: 'scale-1', password: 'scale-1-secret' });
    await waitFor('device.online', () => gateway.log.query({ type: 'device.online' }).length === 1);
    await scale.endAsync();
    await waitFor('device.offline', () => gateway.log.query({ type: 'device.offline' }).length === 1);
    expect(gateway.log.query({ type: 'device.' }).map((e) => [e.type, e.data])).toEqual([
      ['device.online', { deviceId: 'scale-1' }],
      ['device.offline', { deviceId: 'scale-1' }],
    ]);
    const watcher = await gw.connect(gateway.broker!.url, { username: 'scanner-1', password: 'scanner-1-secret' });
    // A device may not read other status topics; the gateway's own connection can.
    expect(await grantedQos(watcher, ['dsgw/v1/devices/scale-1/status'])).toEqual([128]);
  });

  it('reports a port already in use in one line naming the setting', async () => {
    const first = await gw.start();
    await expect(gw.start({ broker: { mode: 'embedded', host: '127.0.0.1', port: first.broker!.port } })).rejects.toThrow(
      new RegExp(`^port ${first.broker!.port} on 127.0.0.1 is already in use; .* change broker.port in the config$`),
    );
  });

  it('serves /healthz, /readyz and /metrics', async () => {
    const gateway = await gw.start();
    expect(await (await fetch(`${gateway.http.url}/healthz`)).json()).toMatchObject({ status: 'ok', store: 'test-store' });
    const ready = await fetch(`${gateway.http.url}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await (await fetch(`${gateway.http.url}/metrics`)).text();
    expect(metrics).toContain('dsgw_process_cpu_seconds_total');
    expect(metrics).toContain('dsgw_broker_clients 1');
  });
});
