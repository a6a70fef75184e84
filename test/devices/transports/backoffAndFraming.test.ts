import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../devices/backoff.ts';
import { configBytes, LineFramer } from '../../../devices/frames.ts';
import { toHex } from '../../../devices/health.ts';
import { findSerialPath, normalizeUsbId } from '../../../devices/transports/serialConnector.ts';

describe('reconnect backoff', () => {
  it('grows exponentially to the cap', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    expect(Array.from({ length: 6 }, () => b.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    b.reset();
    expect(b.next()).toBe(100);
  });

  it('spreads retries with jitter, never above the cap', () => {
    const low = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.2, random: () => 0 });
    const high = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.2, random: () => 0.999 });
    expect(low.next()).toBe(80);
    expect(high.next()).toBe(120);
    for (let i = 0; i < 10; i++) expect(high.next()).toBeLessThanOrEqual(1000);
  });
});

describe('line framing', () => {
  it('splits at a multi-byte delimiter across chunks', () => {
    const f = new LineFramer(Buffer.from('\r\n'));
    expect(f.push(Buffer.from('ab\r'))).toEqual([]);
    expect(f.push(Buffer.from('\ncd\r\nef')).map((x) => x.ok && x.value.toString())).toEqual(['ab', 'cd']);
  });

  it('reports a runaway line without the delimiter and starts over', () => {
    const f = new LineFramer(Buffer.from('\n'), 8);
    expect(f.push(Buffer.from('0123456789'))).toMatchObject([{ ok: false, reason: expect.stringMatching(/10 bytes without the delimiter "\\n"; check the baud rate/) }]);
    expect(f.push(Buffer.from('ok\n'))).toMatchObject([{ ok: true }]);
  });

  it('unescapes control strings from config', () => {
    expect([...configBytes('\\x02A\\r\\n\\u0007')]).toEqual([2, 0x41, 13, 10, 7]);
  });

  it('prints bytes in hex, shortening long input', () => {
    expect(toHex(Buffer.from([0, 0x1d, 0xff]))).toBe('00 1d ff');
    expect(toHex(Buffer.alloc(100))).toMatch(/ \.\.\. \(100 bytes\)$/);
  });

  it('normalises USB ids as SerialPort.list() reports them', () => {
    expect(['0x0C2E', '0c2e', 3118].map((id) => normalizeUsbId(id))).toEqual(['0c2e', '0c2e', '0c2e']);
  });
});

describe('finding a serial adapter by USB ids', () => {
  const settings = { match: { vendorId: '0x0C2E', productId: 0x0b61, serialNumber: 'A1' }, baudRate: 9600, dataBits: 8 as const, stopBits: 1 as const, parity: 'none' as const };

  it('finds it again under a new name after re-enumeration', async () => {
    const before = [{ path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001' }, { path: '/dev/ttyUSB1', vendorId: '0c2e', productId: '0b61', serialNumber: 'A1' }];
    const after = [{ path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001' }, { path: '/dev/ttyUSB2', vendorId: '0C2E', productId: '0B61', serialNumber: 'A1' }];
    expect(await findSerialPath(settings, async () => before)).toBe('/dev/ttyUSB1');
    expect(await findSerialPath(settings, async () => after)).toBe('/dev/ttyUSB2');
  });

  it('says which ids it looked for when nothing matches', async () => {
    await expect(findSerialPath(settings, async () => [{ path: '/dev/ttyS0' }])).rejects.toThrow('no serial port matches usb 0c2e:0b61 serial A1 (found 1 port); is the adapter plugged in?');
  });
});
