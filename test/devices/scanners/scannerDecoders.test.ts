import { describe, expect, it } from 'vitest';
import { HidPosScanReader } from '../../../devices/scanners/hidPosScanner.ts';
import { KeyboardWedgeReader } from '../../../devices/scanners/keyboardWedge.ts';
import { stripScannerLine, toScanEvent } from '../../../devices/scanners/scanEvent.ts';

const key = (modifiers: number, usage: number) => Buffer.from([modifiers, 0, usage, 0, 0, 0, 0, 0]);
const release = Buffer.alloc(8);
const SHIFT = 0x02;
const RSHIFT = 0x20;
const ALTGR = 0x40;

function typeKeys(reader: KeyboardWedgeReader, keys: Array<[number, number]>) {
  const out = [];
  for (const [m, u] of [...keys, [0, 0x28] as [number, number]]) {
    out.push(...reader.push(key(m, u)), ...reader.push(release));
  }
  return out;
}

describe('keyboard-wedge reports', () => {
  it('US layout: letters, digits, shifted symbols', () => {
    const r = new KeyboardWedgeReader('us');
    const frames = typeKeys(r, [[SHIFT, 0x05], [0, 0x0c], [0, 0x11], [SHIFT, 0x2d], [0, 0x1e], [RSHIFT, 0x1f], [0, 0x2d], [SHIFT, 0x30], [0, 0x38], [SHIFT, 0x33]]);
    expect(frames).toMatchObject([{ ok: true, value: 'Bin_1@-}/:' }]);
  });

  it('German layout: Y/Z swapped, umlauts, shifted digits, AltGr', () => {
    const r = new KeyboardWedgeReader('de');
    const frames = typeKeys(r, [
      [0, 0x1d], [0, 0x1c], [SHIFT, 0x33], [0, 0x2d], [SHIFT, 0x1f], [SHIFT, 0x24], [ALTGR, 0x14], [ALTGR, 0x25], [ALTGR, 0x64], [0, 0x38], [SHIFT, 0x38], [0, 0x32],
    ]);
    expect(frames).toMatchObject([{ ok: true, value: 'yzÖß"/@[|-_#' }]);
  });

  it('a key held across reports counts once; the same key pressed twice counts twice', () => {
    const r = new KeyboardWedgeReader('us');
    r.push(key(0, 0x1e));
    r.push(key(0, 0x1e)); // still held
    r.push(release);
    r.push(key(0, 0x1e));
    r.push(release);
    expect(r.push(key(0, 0x28))).toMatchObject([{ ok: true, value: '11' }]);
  });

  it('keypad digits and keypad Enter', () => {
    const r = new KeyboardWedgeReader('us');
    expect([...r.push(key(0, 0x59)), ...r.push(release), ...r.push(key(0, 0x62)), ...r.push(release), ...r.push(key(0, 0x58))]).toMatchObject([{ ok: true, value: '10' }]);
  });

  it('refuses a wrong-length report, a rollover error and an unknown key, and keeps reading', () => {
    const r = new KeyboardWedgeReader('us');
    expect(r.push(Buffer.from([0, 0, 4]))).toMatchObject([{ ok: false, reason: 'report is 3 bytes, a boot keyboard report is 8' }]);
    expect(r.push(Buffer.from([0, 0, 1, 1, 1, 1, 1, 1]))).toMatchObject([{ ok: false, reason: expect.stringMatching(/rollover/) }]);
    expect(typeKeys(r, [[0, 0x04], [0, 0x3a]])).toMatchObject([{ ok: false, reason: expect.stringMatching(/unknown key code\(s\) 0x3a for the US layout in scan "a"/) }]);
    expect(typeKeys(r, [[0, 0x04]])).toMatchObject([{ ok: true, value: 'a' }]);
  });
});

describe('HID POS scanner reports (usage page 0x8C)', () => {
  const report = (data: string, opts: { more?: boolean; aim?: string; size?: number } = {}) => {
    const r = Buffer.alloc(opts.size ?? 64);
    r[0] = 2;
    r[1] = data.length;
    if (opts.aim) r.write(opts.aim, 2, 'latin1');
    r.write(data, 5, 'latin1');
    r[r.length - 1] = opts.more ? 1 : 0;
    return r;
  };

  it('joins continued reports and puts the AIM identifier in front', () => {
    const r = new HidPosScanReader();
    expect(r.push(report('0104006381', { more: true, aim: ']C1' }))).toEqual([]);
    expect(r.push(report('333931', { aim: ']C1' }))).toMatchObject([{ ok: true, value: ']C10104006381333931' }]);
  });

  it('without symbology bytes the data stands alone; a scanner sending "E0" gets the "]"', () => {
    expect(new HidPosScanReader().push(report('4006381333931'))).toMatchObject([{ ok: true, value: '4006381333931' }]);
    expect(new HidPosScanReader().push(report('4006381333931', { aim: 'E0' }))).toMatchObject([{ ok: true, value: ']E04006381333931' }]);
  });

  it('refuses a short report, another report id, and a length beyond the report', () => {
    const r = new HidPosScanReader();
    expect(r.push(Buffer.from([2, 1, 0]))).toMatchObject([{ ok: false, reason: expect.stringMatching(/3 bytes, too short/) }]);
    expect(r.push(Buffer.from([4, 1, 0, 0, 0, 0x41, 0]))).toMatchObject([{ ok: false, reason: expect.stringMatching(/report id 4/) }]);
    expect(r.push(report('x'.repeat(10), { size: 12 }))).toMatchObject([{ ok: false, reason: expect.stringMatching(/length byte says 10/) }]);
  });
});

describe('scanner lines', () => {
  it('strips prefix and suffix, keeps GS, refuses control bytes, empty lines and a missing prefix', () => {
    const s = { prefix: '\u0002', suffix: '\u0003' };
    expect(stripScannerLine(Buffer.from('\u000201040063813339311\u001d10A\u0003', 'latin1'), s)).toEqual({ ok: true, data: '01040063813339311\u001d10A' });
    expect(stripScannerLine(Buffer.from('4006\u0003', 'latin1'), s)).toMatchObject({ ok: false, reason: expect.stringMatching(/prefix/) });
    expect(stripScannerLine(Buffer.from('\u00024006', 'latin1'), s)).toMatchObject({ ok: false, reason: expect.stringMatching(/suffix/) });
    expect(stripScannerLine(Buffer.from('40\u000706'), { prefix: '', suffix: '' })).toMatchObject({ ok: false, reason: 'control byte 0x07 at position 2; line noise or a wrong baud rate?' });
    expect(stripScannerLine(Buffer.from(''), { prefix: '', suffix: '' })).toMatchObject({ ok: false, reason: 'empty scan' });
  });

  it('reads UTF-8 text from QR codes', () => {
    expect(stripScannerLine(Buffer.from('Käse', 'utf8'), { prefix: '', suffix: '' })).toEqual({ ok: true, data: 'Käse' });
  });

  it('decodes once at the edge with the options given', () => {
    expect(toScanEvent('010400638133393110A~17261231', { fnc1Substitutes: ['~'] }).barcode!.elements.map((e) => e.ai)).toEqual(['01', '10', '17']);
    expect(toScanEvent('', {}).barcodeError).toBeDefined();
  });
});
