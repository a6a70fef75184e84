import { describe, expect, it } from 'vitest';
import type { ScanEvent, WeightEvent } from '../../../devices/driver.ts';
import { waitFor } from '../../helpers/testGateway.ts';
import { useRegistry } from '../deviceHarness.ts';
import { FakeHid } from './fakeHid.ts';

/** Boot keyboard reports for typing `text` on a US layout: press, release, ..., Enter. */
function usKeystrokes(text: string): number[][] {
  const reports: number[][] = [];
  for (const c of text) {
    const digit = '1234567890'.indexOf(c);
    const key = digit >= 0 ? 0x1e + digit : c >= 'a' && c <= 'z' ? 0x04 + c.charCodeAt(0) - 97 : c >= 'A' && c <= 'Z' ? 0x04 + c.charCodeAt(0) - 65 : c === '-' ? 0x2d : c === ']' ? 0x30 : 0;
    const shift = c >= 'A' && c <= 'Z' ? 0x02 : 0;
    reports.push([shift, 0, key, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]);
  }
  reports.push([0, 0, 0x28, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]);
  return reports;
}

describe('USB HID devices at the node-hid boundary', () => {
  const harness = useRegistry();
  const wedge = { vendorId: 0x05e0, productId: 0x1200, path: '/dev/hidraw3', serialNumber: 'S123' };

  async function start(devices: unknown[], hid: FakeHid) {
    return harness.start(devices, { hid: async () => hid, hidPollMs: 50 });
  }

  it('keyboard wedge (US): recorded key reports become a decoded scan', async () => {
    const hid = new FakeHid();
    hid.plug(wedge);
    const { registry, recorded } = await start([{ id: 'wedge-1', class: 'scanner', transport: { type: 'hid', vendorId: '0x05e0', productId: '0x1200' } }], hid);
    await waitFor('online', () => registry.health('wedge-1')?.state === 'online');
    for (const r of usKeystrokes(']E04006381333931')) hid.handle(wedge.path).report(r);
    const { event } = await waitFor('scan', () => recorded.events[0]);
    expect(event).toMatchObject({ kind: 'scan', data: ']E04006381333931', barcode: { gtin: '04006381333931' } });
    expect(registry.health('wedge-1')!.address).toBe('/dev/hidraw3');
  });

  it('keyboard wedge (German layout) with the configured FNC1 substitute', async () => {
    const hid = new FakeHid();
    hid.plug(wedge);
    const { registry, recorded } = await start(
      [{ id: 'wedge-de', class: 'scanner', transport: { type: 'hid', path: '/dev/hidraw3' }, scanner: { keyboardLayout: 'de' }, barcodes: { fnc1Substitutes: ['#'] } }],
      hid,
    );
    await waitFor('online', () => registry.health('wedge-de')?.state === 'online');
    const h = hid.handle(wedge.path);
    const type = (mod: number, key: number) => {
      h.report([mod, 0, key, 0, 0, 0, 0, 0]);
      h.report([0, 0, 0, 0, 0, 0, 0, 0]);
    };
    // "01" "04006381333931" "10" "LOT" "#" (German 0x32 is "#") "17261231"
    for (const c of '0104006381333931') type(0, c === '0' ? 0x27 : 0x1e + Number(c) - 1);
    type(0, 0x1e); type(0, 0x27);
    type(0x02, 0x0f); type(0x20, 0x12); type(0x02, 0x17); // L O T with left/right shift
    type(0, 0x32);
    for (const c of '17261231') type(0, c === '0' ? 0x27 : 0x1e + Number(c) - 1);
    type(0, 0x28);
    const { event } = await waitFor('scan', () => recorded.events[0]);
    const scan = event as ScanEvent;
    expect(scan.data).toBe('010400638133393110LOT#17261231');
    expect(scan.barcodeError).toBeUndefined();
    expect(scan.barcode).toMatchObject({ gtin: '04006381333931' });
    expect(scan.barcode!.elements.map((e) => [e.ai, e.raw])).toEqual([['01', '04006381333931'], ['10', 'LOT'], ['17', '261231']]);
  });

  it('keyboard wedge: a report of the wrong length is counted and logged in hex', async () => {
    const hid = new FakeHid();
    hid.plug(wedge);
    const { registry, recorded } = await start([{ id: 'wedge-1', class: 'scanner', transport: { type: 'hid', path: wedge.path } }], hid);
    await waitFor('online', () => registry.health('wedge-1')?.state === 'online');
    hid.handle(wedge.path).report([0, 0, 0x1e]);
    for (const r of usKeystrokes('BIN-1')) hid.handle(wedge.path).report(r);
    await waitFor('scan', () => recorded.events[0]);
    expect(registry.health('wedge-1')!.counters.badInput).toBe(1);
    expect(recorded.logs.find((l) => l.msg.includes('unreadable'))!.obj.bytesHex).toBe('00 00 1e');
  });

  it('HID POS scanner (0x8C): a barcode split over two reports, AIM identifier in front', async () => {
    const hid = new FakeHid();
    const pos = { vendorId: 0x0c2e, productId: 0x0b61, path: '/dev/hidraw5', usagePage: 0x8c };
    hid.plug(pos);
    const { registry, recorded } = await start([{ id: 'pos-1', class: 'scanner', protocol: 'hid-pos', transport: { type: 'hid', vendorId: 0x0c2e } }], hid);
    await waitFor('online', () => registry.health('pos-1')?.state === 'online');
    const report = (data: string, more: boolean, aim = ']C1') => {
      const r = Buffer.alloc(64);
      r[0] = 2;
      r[1] = data.length;
      r.write(aim, 2, 'latin1');
      r.write(data, 5, 'latin1');
      r[63] = more ? 1 : 0;
      return [...r];
    };
    hid.handle(pos.path).report(report('0104006381333931', true));
    hid.handle(pos.path).report(report('10LOT42', false));
    const { event } = await waitFor('scan', () => recorded.events[0]);
    expect(event).toMatchObject({ kind: 'scan', data: ']C1010400638133393110LOT42', barcode: { gtin: '04006381333931' } });
    hid.handle(pos.path).report([2, 200, 0, 0, 0, 0]);
    await waitFor('bad length counted', () => registry.health('pos-1')?.counters.badInput === 1);
    expect(registry.health('pos-1')!.lastError!.reason).toMatch(/length byte says 200/);
  });

  it('HID POS scale (0x8D): signed exponent and every unit, stable and moving, status without a weight', async () => {
    const hid = new FakeHid();
    const scale = { vendorId: 0x0922, productId: 0x8003, path: '/dev/hidraw7', usagePage: 0x8d };
    hid.plug(scale);
    const { registry, recorded } = await start([{ id: 'dymo', class: 'scale', transport: { type: 'hid', vendorId: '0922', productId: '8003' } }], hid);
    await waitFor('online', () => registry.health('dymo')?.state === 'online');
    const h = hid.handle(scale.path);
    h.report([3, 4, 2, 0xff, 0x1d, 0x10]); // 4125 * 10^-1 g = 412.5 g, stable
    h.report([3, 3, 11, 0xff, 0x91, 0x00]); // 145 * 10^-1 oz = 14.5 oz, moving
    h.report([3, 4, 12, 0xfe, 0xe8, 0x03]); // 1000 * 10^-2 lb = 10 lb
    h.report([3, 4, 3, 0xfd, 0x39, 0x30]); // 12345 * 10^-3 kg
    h.report([3, 2, 2, 0, 0, 0]); // stable at zero
    h.report([3, 6, 2, 0, 0, 0]); // over weight: no reading
    h.report([3, 4, 99, 0, 1, 0]); // unknown unit
    await waitFor('five weights', () => recorded.events.length === 5);
    expect(recorded.events.map((e) => e.event as WeightEvent).map((w) => [w.grams, w.stable])).toEqual([
      [412.5, true],
      [411.068, false],
      [4535.924, true],
      [12345, true],
      [0, true],
    ]);
    await waitFor('unknown unit counted', () => registry.health('dymo')?.counters.badInput === 1);
    expect(registry.health('dymo')!.lastError!.reason).toMatch(/unknown unit code 99/);
    expect(recorded.logs.some((l) => l.msg.includes('over weight'))).toBe(true);
    await expect(registry.send('dymo', { kind: 'tare' })).rejects.toThrow(/HID POS scale; tare is a button on the scale/);
  });

  it('notices unplug from the device list and opens the device again when it comes back, at a new path', async () => {
    const hid = new FakeHid();
    hid.plug(wedge);
    const { registry, recorded } = await start([{ id: 'wedge-1', class: 'scanner', transport: { type: 'hid', vendorId: 0x05e0, serialNumber: 'S123' } }], hid);
    await waitFor('online', () => registry.health('wedge-1')?.state === 'online');
    // Gone from the list but the read has not failed (a quiet dead handle): the list poll notices.
    hid.unplug(wedge.path, false);
    await waitFor('offline', () => registry.health('wedge-1')?.state === 'offline');
    expect(registry.health('wedge-1')!.lastError!.reason).toMatch(/no longer listed/);
    expect(hid.handles.get(wedge.path)!.closed).toBe(true);
    await new Promise((r) => setTimeout(r, 1200));
    hid.plug({ ...wedge, path: '/dev/hidraw9' });
    await waitFor('online at the new path', () => registry.health('wedge-1')?.state === 'online', 2000);
    expect(registry.health('wedge-1')!.address).toBe('/dev/hidraw9');
    for (const r of usKeystrokes('4006381333931')) hid.handle('/dev/hidraw9').report(r);
    await waitFor('scan after replug', () => recorded.events[0]);
    // A read error (the usual node-hid unplug) also takes it offline.
    hid.unplug('/dev/hidraw9');
    await waitFor('offline again', () => registry.health('wedge-1')?.state === 'offline');
    expect(recorded.status.map((s) => s.online)).toEqual([true, false, true, false]);
  });

  it('a missing libusb or a device that is not there is an offline reason, not a crash', async () => {
    const { registry } = await harness.start([{ id: 'wedge-x', class: 'scanner', transport: { type: 'hid', vendorId: 1 } }], {
      hid: async () => {
        throw new Error('node-hid cannot load (libusb-1.0.so.0: cannot open shared object file); install the Debian package libusb-1.0-0');
      },
    });
    await waitFor('offline', () => registry.health('wedge-x')?.state === 'offline');
    expect(registry.health('wedge-x')!.lastError!.reason).toMatch(/install the Debian package libusb-1.0-0/);
  });
});
