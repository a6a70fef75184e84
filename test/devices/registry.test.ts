import { describe, expect, it } from 'vitest';
import { SerialScannerSimulator } from '../../simulators/serialDevice.ts';
import { TcpScaleSimulator } from '../../simulators/tcpScale.ts';
import { waitFor } from '../helpers/testGateway.ts';
import { parseConfig, ptyLink, useRegistry } from './deviceHarness.ts';

describe('device registry', () => {
  const harness = useRegistry();

  it('applies a changed config by restarting only the drivers that changed', async () => {
    const scanner = new SerialScannerSimulator({ link: ptyLink('reg-scanner') });
    const scale = new TcpScaleSimulator({ protocol: 'mt-sics' });
    harness.cleanup(() => scanner.stop());
    harness.cleanup(() => scale.close());
    await scanner.start();
    const port = await scale.open();
    const devices = [
      { id: 'scanner-1', class: 'scanner', transport: { type: 'serial', path: scanner.gatewayPath } },
      { id: 'scale-1', class: 'scale', protocol: 'mt-sics', transport: { type: 'tcp', host: '127.0.0.1', port } },
      { id: 'mqtt-1', class: 'scanner', transport: { type: 'mqtt' }, secret: 'mqtt-1-secret' },
    ];
    const { registry, recorded } = await harness.start(devices);
    await waitFor('both online', () => registry.health('scanner-1')?.state === 'online' && registry.health('scale-1')?.state === 'online');
    const scannerDriver = registry.driver('scanner-1');
    const scaleDriver = registry.driver('scale-1');

    const changed = parseConfig([
      { ...devices[0], scanner: { suffix: '!' } },
      devices[1],
      { id: 'scale-2', class: 'scale', protocol: 'mt-sics', transport: { type: 'tcp', host: '127.0.0.1', port } },
    ]);
    const result = await registry.apply(changed);
    expect(result).toEqual({ started: ['scale-2'], stopped: ['mqtt-1'], restarted: ['scanner-1'], unchanged: ['scale-1'] });
    expect(registry.driver('scale-1')).toBe(scaleDriver);
    expect(registry.driver('scanner-1')).not.toBe(scannerDriver);
    expect(registry.health('mqtt-1')).toBeUndefined();
    // The untouched scale never went offline.
    expect(recorded.status.filter((s) => s.deviceId === 'scale-1').map((s) => s.online)).toEqual([true]);
    await waitFor('restarted scanner online', () => registry.health('scanner-1')?.state === 'online');
    await scanner.scan('4006381333931!');
    const { event } = await waitFor('scan with the new suffix stripped', () => recorded.events.find((e) => e.deviceId === 'scanner-1'));
    expect(event).toMatchObject({ data: '4006381333931' });
    expect(registry.healthAll().map((h) => h.deviceId).sort()).toEqual(['scale-1', 'scale-2', 'scanner-1']);
  });

  it('a change to the store barcode options restarts the scanners, which then decode with them', async () => {
    const { registry } = await harness.start([{ id: 'mqtt-1', class: 'scanner', transport: { type: 'mqtt' }, secret: 'mqtt-1-secret' }]);
    const before = registry.driver('mqtt-1');
    await registry.apply(parseConfig([{ id: 'mqtt-1', class: 'scanner', transport: { type: 'mqtt' }, secret: 'mqtt-1-secret' }], { fnc1Substitutes: ['~'] }));
    expect(registry.driver('mqtt-1')).not.toBe(before);
  });

  it('a device it cannot drive is logged with the reason; the others run', async () => {
    const { registry, recorded } = await harness.start([
      { id: 'sensor-h', class: 'sensor', transport: { type: 'hid', vendorId: '0x1234' } },
      { id: 'scale-r', class: 'scale', protocol: 'regex', transport: { type: 'tcp', host: '127.0.0.1', port: 1 } },
      { id: 'mqtt-1', class: 'scanner', transport: { type: 'mqtt' }, secret: 'mqtt-1-secret' },
    ]);
    expect(registry.health('sensor-h')).toBeUndefined();
    expect(registry.health('scale-r')).toBeUndefined();
    expect(registry.health('mqtt-1')).toMatchObject({ state: 'connecting' });
    const errors = recorded.logs.filter((l) => l.msg.includes('not started')).map((l) => l.msg);
    expect(errors).toEqual([
      'device "sensor-h" not started: no driver for a sensor over hid yet (device "sensor-h"); use the MQTT contract or see docs/devices.md',
      expect.stringMatching(/device "scale-r" not started: scale "scale-r": protocol "regex" needs scale.pattern/),
    ]);
  });
});
