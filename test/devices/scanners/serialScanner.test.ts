import { describe, expect, it } from 'vitest';
import { SerialScannerSimulator } from '../../../simulators/serialDevice.ts';
import { waitFor } from '../../helpers/testGateway.ts';
import { ptyLink, useRegistry } from '../deviceHarness.ts';

describe('serial line scanner over a real pty', () => {
  const harness = useRegistry();

  async function setup(scanner: Record<string, unknown> = {}, sim: { prefix?: string; suffix?: string } = {}) {
    const device = new SerialScannerSimulator({ link: ptyLink('scanner'), ...sim });
    harness.cleanup(() => device.stop());
    await device.start();
    const { registry, recorded } = await harness.start([
      { id: 'scanner-1', class: 'scanner', transport: { type: 'serial', path: device.gatewayPath }, scanner },
    ]);
    await waitFor('scanner online', () => registry.health('scanner-1')?.state === 'online');
    return { device, registry, recorded };
  }

  it('turns a scanned line into a scan event with the decoded barcode', async () => {
    const { device, recorded, registry } = await setup();
    await device.scan(']C1010400638133393110LOT42\u001d17261231');
    const { event } = await waitFor('scan event', () => recorded.events[0]);
    expect(event).toMatchObject({ kind: 'scan', data: ']C1010400638133393110LOT42\u001d17261231', barcode: { gtin: '04006381333931' } });
    expect(registry.health('scanner-1')).toMatchObject({ state: 'online', counters: { events: 1, badInput: 0 } });
    expect(registry.health('scanner-1')!.lastSeen).toBeDefined();
  });

  it('strips the configured prefix and suffix and passes the AIM identifier through', async () => {
    const { device, recorded } = await setup({ prefix: '\\x02', suffix: '\\t' }, { prefix: '\u0002', suffix: '\t' });
    await device.scan(']E04006381333931');
    const { event } = await waitFor('scan event', () => recorded.events[0]);
    expect(event).toMatchObject({ kind: 'scan', data: ']E04006381333931', barcode: { gtin: '04006381333931', symbology: 'ean-13' } });
  });

  it('carries the decode error with the raw data when the barcode is not valid', async () => {
    const { device, recorded } = await setup();
    await device.scan('4006381333932'); // wrong check digit
    const { event } = await waitFor('scan event', () => recorded.events[0]);
    expect(event).toMatchObject({ kind: 'scan', data: '4006381333932' });
    expect(event.kind === 'scan' && event.barcodeError).toMatch(/check digit/i);
  });

  it('counts garbage and a line without the prefix, logs the bytes in hex once, and keeps reading', async () => {
    const { device, recorded, registry } = await setup({ prefix: '\\x02' }, { prefix: '\u0002' });
    await device.writeRaw(Buffer.from([0x13, 0x88, 0x01, 0x0d, 0x0a]));
    await device.writeRaw('no-prefix\r\n');
    await device.scan('4006381333931');
    await waitFor('scan after garbage', () => recorded.events[0]);
    const health = registry.health('scanner-1')!;
    expect(health.counters.badInput).toBe(2);
    expect(health.lastError?.reason).toMatch(/prefix/);
    const warnings = recorded.logs.filter((l) => l.msg.includes('unreadable input'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]!.obj.bytesHex).toBe('13 88 01');
    expect(recorded.events.map((e) => e.event)).toMatchObject([{ kind: 'scan', data: '4006381333931' }]);
  });

  it('writes the configured good-read and bad-read bytes, and refuses feedback it has no bytes for', async () => {
    const { device, registry } = await setup({ goodRead: '\\x07', badRead: 'BAD\\r' });
    await registry.send('scanner-1', { kind: 'feedback', result: 'good' });
    await registry.send('scanner-1', { kind: 'feedback', result: 'bad' });
    await waitFor('feedback bytes', () => device.received.length >= 5);
    expect(device.received.toString('latin1')).toBe('\u0007BAD\r');
    await expect(registry.send('scanner-1', { kind: 'tare' })).rejects.toThrow(/scanner "scanner-1" .* takes feedback commands, not "tare"/);
  });

  it('goes offline when unplugged and is back online within 2 s of the replug, reading scans again', async () => {
    const { device, recorded, registry } = await setup();
    await device.unplug();
    await waitFor('offline', () => registry.health('scanner-1')?.state === 'offline', 15_000);
    expect(recorded.status.at(-1)).toMatchObject({ deviceId: 'scanner-1', online: false });
    expect(recorded.status.at(-1)!.reason).toMatch(/disappeared|closed/);
    // Stay away a while, so the driver is deep in its backoff when the device returns.
    await new Promise((r) => setTimeout(r, 1500));
    await device.replug();
    const back = Date.now();
    await waitFor('online again', () => registry.health('scanner-1')?.state === 'online', 2000);
    expect(Date.now() - back).toBeLessThan(2000);
    expect(registry.health('scanner-1')!.counters.reconnects).toBe(1);
    await device.scan('4006381333931');
    await waitFor('scan after replug', () => recorded.events[0]);
    expect(recorded.status.map((s) => s.online)).toEqual([true, false, true]);
  });

  it('reports a missing port as offline with the reason and keeps trying', async () => {
    const link = ptyLink('absent');
    const { registry } = await harness.start([{ id: 'scanner-9', class: 'scanner', transport: { type: 'serial', path: link } }]);
    await waitFor('offline', () => registry.health('scanner-9')?.state === 'offline');
    expect(registry.health('scanner-9')!.lastError?.reason).toContain(`cannot open ${link}`);
    const device = new SerialScannerSimulator({ link });
    harness.cleanup(() => device.stop());
    await device.start();
    await waitFor('online once the device appears', () => registry.health('scanner-9')?.state === 'online', 2000);
  });
});
