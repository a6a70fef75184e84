import { describe, expect, it } from 'vitest';
import { parseCasFrame } from '../../../devices/scales/cas.ts';
import { hidScaleUnits, parseHidPosScaleReport } from '../../../devices/scales/hidPosScale.ts';
import { mtSicsProtocol, parseMtSicsLine } from '../../../devices/scales/mtSics.ts';
import { regexProtocol } from '../../../devices/scales/regexScale.ts';
import { StabilityDetector } from '../../../devices/scales/stability.ts';
import { toledoChecksum, toledoProtocol } from '../../../devices/scales/toledoContinuous.ts';
import { casFrame, toledoFrame } from '../../../simulators/scaleFrames.ts';

describe('MT-SICS replies', () => {
  it.each([
    ['S S     412.50 g', { type: 'weight', grams: 412.5, stable: true }],
    ['S D     412.48 g', { type: 'weight', grams: 412.48, stable: false }],
    ['S S      0.4125 kg', { type: 'weight', grams: 412.5, stable: true }],
    ['S S     -12.00 g', { type: 'weight', grams: -12, stable: true }],
    ['S S       1.00 lb', { type: 'weight', grams: 453.592, stable: true }],
    ['S I', { type: 'status', reason: expect.stringMatching(/busy/) }],
    ['S +', { type: 'status', reason: expect.stringMatching(/over range/) }],
    ['S -', { type: 'status', reason: expect.stringMatching(/under range/) }],
    ['Z A', { type: 'reply', command: 'zero', ok: true }],
    ['Z I', { type: 'reply', command: 'zero', ok: false, reason: expect.stringMatching(/busy/) }],
    ['Z +', { type: 'reply', command: 'zero', ok: false, reason: expect.stringMatching(/over range/) }],
    ['Z -', { type: 'reply', command: 'zero', ok: false, reason: expect.stringMatching(/under range/) }],
    ['T S      12.00 g', { type: 'reply', command: 'tare', ok: true, grams: 12 }],
    ['T I', { type: 'reply', command: 'tare', ok: false, reason: expect.stringMatching(/busy/) }],
    ['T +', { type: 'reply', command: 'tare', ok: false, reason: expect.stringMatching(/over range/) }],
    ['T -', { type: 'reply', command: 'tare', ok: false, reason: expect.stringMatching(/under range/) }],
    ['TA A     12.00 g', { type: 'reply', command: 'tare-value', ok: true, grams: 12 }],
    ['ES', { type: 'reply', command: 'any', ok: false, reason: expect.stringMatching(/ES syntax error/) }],
    ['ET', { type: 'reply', command: 'any', ok: false, reason: expect.stringMatching(/ET transmission error.*baud/) }],
    ['EL', { type: 'reply', command: 'any', ok: false, reason: expect.stringMatching(/EL logical error/) }],
  ])('%s', (line, expected) => {
    expect(parseMtSicsLine(line)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['S S 12.00 dr', /unknown unit "dr"/],
    ['S S', /no weight/],
    ['S S 12.00', /no unit/],
    ['S Q 12.00 g', /unknown status "Q"/],
    ['HELLO', /not an MT-SICS reply/],
  ])('refuses %s', (line, reason) => {
    const parsed = parseMtSicsLine(line);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(reason);
  });

  it('frames replies split across chunks and reports an empty line', () => {
    const d = mtSicsProtocol().decoder();
    expect(d.push(Buffer.from('S S   41'))).toEqual([]);
    expect(d.push(Buffer.from('2.50 g\r\n\r\n')).map((f) => f.ok)).toEqual([true, false]);
  });
});

describe('Toledo continuous frames', () => {
  const decode = (bytes: Buffer, checksum = true) => toledoProtocol({ checksum }).decoder().push(bytes);

  it.each([
    [{ grams: 412, decimals: 0, unit: 'g' as const }, 412],
    [{ grams: 412.5, decimals: 1, unit: 'g' as const }, 412.5],
    [{ grams: 1234, decimals: 3, unit: 'kg' as const }, 1234],
    [{ grams: -50, decimals: 0, unit: 'g' as const }, -50],
    [{ grams: 453.59237, decimals: 2, unit: 'lb' as const }, 453.592],
  ])('decimal point and unit: %o', (frame, grams) => {
    expect(decode(toledoFrame(frame))).toMatchObject([{ ok: true, value: { type: 'weight', grams, stable: true } }]);
  });

  it('reads motion, net and tare', () => {
    expect(decode(toledoFrame({ grams: 100, tareGrams: 20, motion: true, net: true, unit: 'g' }))).toMatchObject([
      { ok: true, value: { grams: 100, stable: false, net: true, tareGrams: 20 } },
    ]);
  });

  it('x100 and x10 decimal codes (SWA bits 0-2 = 0 and 1)', () => {
    const frame = toledoFrame({ grams: 12, unit: 'g', checksum: false });
    frame[1] = 0x20 | 0x08 | 0; // x100
    expect(decode(frame, false)).toMatchObject([{ ok: true, value: { grams: 1200 } }]);
    frame[1] = 0x20 | 0x08 | 1; // x10
    expect(decode(frame, false)).toMatchObject([{ ok: true, value: { grams: 120 } }]);
  });

  it('out of range is a status, an alternate unit it does not know is bad input', () => {
    expect(decode(toledoFrame({ grams: 1, outOfRange: true }))).toMatchObject([{ ok: true, value: { type: 'status' } }]);
    expect(decode(toledoFrame({ grams: 1, swcUnit: 5 }))).toMatchObject([{ ok: false, reason: expect.stringMatching(/unknown unit/) }]);
  });

  it('checks the checksum (7-bit two\'s complement of STX..CR), masking parity bits', () => {
    const frame = toledoFrame({ grams: 412 });
    expect((toledoChecksum(frame.subarray(0, 17)) + frame.subarray(0, 17).reduce((s, b) => s + (b & 0x7f), 0)) & 0x7f).toBe(0);
    expect(decode(toledoFrame({ grams: 412, badChecksum: 0x11 }))).toMatchObject([{ ok: false, reason: expect.stringMatching(/wrong checksum 0x11, expected 0x/) }]);
    const withParity = Buffer.from(frame.map((b, i) => (i === 1 ? b | 0x80 : b)));
    expect(decode(withParity)).toMatchObject([{ ok: true }]);
  });

  it('resynchronises after a cut frame and a frame without its checksum', () => {
    const frames = decode(Buffer.concat([toledoFrame({ grams: 1 }).subarray(0, 10), toledoFrame({ grams: 2, checksum: false }), toledoFrame({ grams: 3 })]));
    expect(frames.map((f) => (f.ok ? (f.value as { grams: number }).grams : f.reason))).toEqual([
      'frame cut short (a new STX came before CR)',
      'frame without a checksum byte; if every frame is like this, set scale.checksum: false',
      3,
    ]);
  });

  it('waits for the rest of a frame split across chunks', () => {
    const d = toledoProtocol({ checksum: true }).decoder();
    const frame = toledoFrame({ grams: 77 });
    expect(d.push(frame.subarray(0, 5))).toEqual([]);
    expect(d.push(frame.subarray(5))).toMatchObject([{ ok: true, value: { grams: 77 } }]);
  });
});

describe('CAS 22-byte frames', () => {
  it.each([
    [{ grams: 1234, stable: true }, { grams: 1234, stable: true, net: false }],
    [{ grams: 1234, stable: false }, { grams: 1234, stable: false }],
    [{ grams: 500, net: true }, { grams: 500, net: true }],
    [{ grams: -15, unit: 'g' as const }, { grams: -15 }],
  ])('%o', (frame, expected) => {
    const bytes = casFrame(frame);
    expect(bytes.length).toBe(22);
    expect(parseCasFrame(bytes.subarray(0, 21))).toMatchObject({ ok: true, value: { type: 'weight', ...expected } });
  });

  it('overload is a status; wrong length, header and unit are refused', () => {
    expect(parseCasFrame(casFrame({ grams: 0, overload: true }).subarray(0, 21))).toMatchObject({ ok: true, value: { type: 'status' } });
    expect(parseCasFrame(Buffer.from('ST,GS,1\r'))).toMatchObject({ ok: false, reason: expect.stringMatching(/frame is 9 bytes, a CAS frame is 22/) });
    const bad = casFrame({ grams: 1 });
    bad.write('XX', 0);
    expect(parseCasFrame(bad.subarray(0, 21))).toMatchObject({ ok: false, reason: expect.stringMatching(/unknown status "XX"/) });
    expect(parseCasFrame(casFrame({ grams: 1, unit: 'xx' }).subarray(0, 21))).toMatchObject({ ok: false, reason: expect.stringMatching(/unknown unit "xx"/) });
  });
});

describe('regex scale lines', () => {
  it('reads weight, unit and the unstable marker; refuses a line that does not match', () => {
    const d = regexProtocol({ pattern: '^(?<unstable>M)?\\s*(?<weight>[-+]?[0-9.]+)\\s*(?<unit>kg|g|lb)?$', unit: 'kg', delimiter: Buffer.from('\n') }).decoder();
    expect(d.push(Buffer.from('1.5\nM 200 g\n+0.25 lb\nERR\n')).map((f) => (f.ok ? f.value : f.reason))).toEqual([
      { type: 'weight', grams: 1500, stable: true },
      { type: 'weight', grams: 200, stable: false },
      { type: 'weight', grams: 113.398, stable: true },
      expect.stringMatching(/does not match scale.pattern/),
    ]);
  });

  it('says what is wrong with a pattern', () => {
    expect(() => regexProtocol({ pattern: '([0-9]+', unit: 'g', delimiter: Buffer.from('\n') })).toThrow(/not a valid regular expression/);
    expect(() => regexProtocol({ pattern: '([0-9]+)', unit: 'g', delimiter: Buffer.from('\n') })).toThrow(/needs a named group "weight"/);
  });
});

describe('HID POS scale reports (usage page 0x8D)', () => {
  const report = (status: number, unit: number, exponent: number, raw: number) => {
    const b = Buffer.alloc(6);
    b[0] = 3;
    b[1] = status;
    b[2] = unit;
    b.writeInt8(exponent, 3);
    b.writeUInt16LE(raw, 4);
    return b;
  };

  it.each(Object.entries(hidScaleUnits).map(([code, u]) => [Number(code), u.name, u.grams] as const))('unit %i (%s) with exponent -1', (code, _name, grams) => {
    const parsed = parseHidPosScaleReport(report(4, code, -1, 1000));
    expect(parsed).toMatchObject({ ok: true, value: { type: 'weight', stable: true } });
    expect(parsed.ok && parsed.value.type === 'weight' && parsed.value.grams).toBeCloseTo(100 * grams, 2);
  });

  it.each([
    [0, 4125, 4125],
    [-1, 4125, 412.5],
    [-2, 4125, 41.25],
    [-3, 4125, 4.125],
    [1, 4125, 41250],
    [2, 65535, 6553500],
  ])('exponent %i is signed: raw %i g -> %f g', (exponent, raw, grams) => {
    expect(parseHidPosScaleReport(report(4, 2, exponent, raw))).toMatchObject({ ok: true, value: { grams } });
  });

  it('ounces are whole ounces scaled by the exponent, not "tenths" by default', () => {
    // 0x0B = ounces, exponent -1, raw 145 -> 14.5 oz = 411.068 g (the common bug reads 14.5 oz as 145/10 only for oz, or the exponent as 255)
    expect(parseHidPosScaleReport(report(4, 11, -1, 145))).toMatchObject({ ok: true, value: { grams: 411.068 } });
    expect(parseHidPosScaleReport(report(4, 11, 0, 145))).toMatchObject({ ok: true, value: { grams: 4110.681 } });
  });

  it.each([
    [1, /fault/],
    [5, /under zero/],
    [6, /over weight/],
    [7, /calibration/],
    [8, /re-zeroing/],
  ])('status %i is reported, not weighed', (status, reason) => {
    expect(parseHidPosScaleReport(report(status, 2, 0, 10))).toMatchObject({ ok: true, value: { type: 'status', reason: expect.stringMatching(reason) } });
  });

  it('zero, moving, and refusals', () => {
    expect(parseHidPosScaleReport(report(2, 2, 0, 0))).toMatchObject({ ok: true, value: { grams: 0, stable: true } });
    expect(parseHidPosScaleReport(report(3, 2, 0, 50))).toMatchObject({ ok: true, value: { grams: 50, stable: false } });
    expect(parseHidPosScaleReport(report(4, 0, 0, 50))).toMatchObject({ ok: false, reason: expect.stringMatching(/unknown unit code 0/) });
    expect(parseHidPosScaleReport(report(9, 2, 0, 50))).toMatchObject({ ok: false, reason: 'unknown status 9' });
    expect(parseHidPosScaleReport(Buffer.from([3, 4, 2, 0, 1]))).toMatchObject({ ok: false, reason: expect.stringMatching(/5 bytes/) });
    expect(parseHidPosScaleReport(Buffer.from([4, 4, 2, 0, 1, 0]))).toMatchObject({ ok: false, reason: expect.stringMatching(/report id 4/) });
  });
});

describe('stability of streaming scales', () => {
  it('is stable once readings stay within the band for the hold time, and restarts on a jump', () => {
    const s = new StabilityDetector({ bandGrams: 2, holdMs: 500 });
    expect([s.push(412, 0), s.push(413, 200), s.push(411.5, 400), s.push(412.5, 500), s.push(420, 600), s.push(420.5, 1000), s.push(420, 1100)]).toEqual([
      false, false, false, true, false, false, true,
    ]);
  });
});
