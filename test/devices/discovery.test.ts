import { describe, expect, it } from 'vitest';
import { listHidDevices, listSerialPorts } from '../../devices/discovery.ts';
import type { HidBoundary } from '../../devices/transports/hidBoundary.ts';

describe('device discovery', () => {
  it('lists serial ports with the USB ids a transport.match needs, in the form the config takes', async () => {
    const ports = await listSerialPorts(async () => [
      { path: '/dev/ttyUSB0', vendorId: '0C2E', productId: '0B61', serialNumber: 'A1', manufacturer: 'Honeywell' },
      { path: '/dev/ttyS0' },
    ]);
    expect(ports).toEqual([
      { path: '/dev/ttyUSB0', vendorId: '0c2e', productId: '0b61', serialNumber: 'A1', manufacturer: 'Honeywell' },
      { path: '/dev/ttyS0' },
    ]);
  });

  it('names HID devices by their usage page: POS scanner, POS scale, keyboard wedge', async () => {
    const boundary: HidBoundary = {
      devices: () => [
        { vendorId: 0x0c2e, productId: 0x0b61, path: '/dev/hidraw0', usagePage: 0x8c, usage: 2, product: 'Xenon' },
        { vendorId: 0x0922, productId: 0x8003, path: '/dev/hidraw1', usagePage: 0x8d, usage: 0x20 },
        { vendorId: 0x05e0, productId: 0x1200, path: '/dev/hidraw2', usagePage: 0x01, usage: 0x06 },
      ],
      open: () => {
        throw new Error('not used');
      },
    };
    expect((await listHidDevices(boundary)).map((d) => [d.vendorId, d.productId, d.kind])).toEqual([
      ['0x0c2e', '0x0b61', 'pos-scanner'],
      ['0x0922', '0x8003', 'pos-scale'],
      ['0x05e0', '0x1200', 'keyboard'],
    ]);
  });
});
