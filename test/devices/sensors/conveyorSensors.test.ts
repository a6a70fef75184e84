/**
 * Conveyor photo-eyes over real transports (Modbus TCP, a serial pty), through the gateway's
 * ConveyorMonitor into the real event log: tote passages counted, a jam and its clearing.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConveyorMonitor } from '../../../gateway/core/conveyorMonitor.ts';
import { EventLog } from '../../../gateway/log/eventLog.ts';
import { ModbusSlave } from '../../../simulators/modbusSlave.ts';
import { ModbusPhotoEye, SerialPhotoEye } from '../../../simulators/photoEye.ts';
import { useTempDir } from '../../helpers/tempDir.ts';
import { waitFor } from '../../helpers/testGateway.ts';
import { parseConfig, ptyLink, useRegistry } from '../deviceHarness.ts';

const harness = useRegistry();
const tempDir = useTempDir();

async function monitored(devices: unknown[]) {
  const log = EventLog.open({ file: join(tempDir(), 'events.db') });
  harness.cleanup(() => log.close());
  const warnings: string[] = [];
  const config = parseConfig(devices);
  const monitor = new ConveyorMonitor({ log, logger: { warn: (_o, msg) => warnings.push(msg), error: (_o, msg) => warnings.push(msg) }, config: () => config });
  harness.cleanup(() => monitor.stop());
  const { registry, recorded } = await harness.start(devices, {
    sink: {
      event: (deviceId, event) => {
        if (event.kind === 'sensor') monitor.accept(deviceId, event.state);
      },
      status: () => undefined,
    },
  });
  const types = () => log.query({ type: 'sensor.' }).map((e) => e.type);
  return { log, monitor, registry, recorded, warnings, types };
}

describe('conveyor photo-eyes', () => {
  it('counts tote passages and detects a jam and its clearing on a Modbus TCP input register', async () => {
    const slave = new ModbusSlave({ units: [3] });
    await slave.listenTcp();
    harness.cleanup(() => slave.stop());
    const eye = new ModbusPhotoEye(slave, { unit: 3, register: 0 });
    const { registry, monitor, log, warnings, types } = await monitored([
      { id: 'eye-1', class: 'sensor', protocol: 'modbus', transport: { type: 'tcp', host: '127.0.0.1', port: slave.port }, sensor: { unit: 3, register: 0, pollMs: 10, debounceMs: 20, jamMs: 600 } },
    ]);
    await waitFor('the sensor to be online', () => registry.health('eye-1')?.state === 'online');

    await eye.passage(150);
    await eye.passage(150);
    await waitFor('two passages', () => types().length === 2);
    await eye.jam(1000);
    await waitFor('the jam to clear', () => types().includes('sensor.jamCleared'));

    expect(types()).toEqual(['sensor.passage', 'sensor.passage', 'sensor.jam', 'sensor.jamCleared']);
    expect(log.query({ type: 'sensor.passage' }).map((e) => (e.data as { count: number }).count)).toEqual([1, 2]);
    expect(monitor.counts()['eye-1']).toEqual({ passages: 2, jams: 1, flaps: 0, jammed: false });
    expect(warnings.some((w) => /conveyor jam at sensor "eye-1"/.test(w))).toBe(true);

    // The unit goes silent for a while: device health says error; once it answers, online again
    // without waiting for the beam to change.
    slave.setSilent(3, true);
    await waitFor('the silent eye in device health', () => registry.health('eye-1')?.state === 'error');
    slave.setSilent(3, false);
    await waitFor('the eye online again', () => registry.health('eye-1')?.state === 'online');
  });

  it('reads a line-protocol photo-eye on a serial pty, ignores flapping shorter than the debounce and counts bad lines', async () => {
    const link = ptyLink('eye');
    const eye = new SerialPhotoEye(link);
    await eye.start();
    harness.cleanup(() => eye.stop());
    const { registry, monitor, types } = await monitored([
      { id: 'eye-2', class: 'sensor', transport: { type: 'serial', path: link }, sensor: { debounceMs: 80, jamMs: 5000 } },
    ]);
    await waitFor('the sensor to be online', () => registry.health('eye-2')?.state === 'online');
    // Flapping faster than the debounce is no tote.
    for (let i = 0; i < 3; i++) {
      await eye.line('B');
      await new Promise((r) => setTimeout(r, 10));
      await eye.line('C');
      await new Promise((r) => setTimeout(r, 10));
    }
    await eye.line('X?');
    await eye.passage(200);
    await waitFor('one passage', () => types().length === 1);
    await new Promise((r) => setTimeout(r, 150));
    expect(types()).toEqual(['sensor.passage']);
    expect(monitor.counts()['eye-2']!.flaps).toBeGreaterThanOrEqual(1);
    expect(registry.health('eye-2')?.counters.badInput).toBe(1);
    expect(registry.health('eye-2')?.lastError?.reason).toMatch(/expected "B" \(blocked\) or "C" \(clear\), got "X\?"/);
  });
});
