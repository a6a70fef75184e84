import { describe, expect, it } from 'vitest';
import { BarcodeError, decodeBarcode, hasValidCheckDigit, InMemorySerialStore, SsccExhaustedError, SsccGenerator, type SerialStore } from '../../../devices/barcode/index.ts';

describe('store labels by prefix', () => {
  it.each([
    ['BIN-A-01-03', { kind: 'bin', id: 'A-01-03' }],
    [']C0BIN-A-01-03', { kind: 'bin', id: 'A-01-03' }],
    [']Q1TOTE-0042', { kind: 'tote', id: '0042' }],
    [']d1BAG-77', { kind: 'bag', id: '77' }],
    [']A0EMP-1234', { kind: 'badge', id: '1234' }],
    ['CMD-CONFIRM', { kind: 'command', command: 'confirm' }],
    ['CMD-SHORT', { kind: 'command', command: 'short' }],
    ['CMD-CANCEL', { kind: 'command', command: 'cancel' }],
    ['CMD-OVERRIDE', { kind: 'command', command: 'override' }],
    ['BIN-A-01-03\r\n', { kind: 'bin', id: 'A-01-03' }],
  ])('%j', (input, label) => {
    const r = decodeBarcode(input);
    expect(r.gs1).toBe(false);
    expect(r.storeLabel).toMatchObject(label);
  });

  it('prefixes and command words come from the options; the longest prefix wins', () => {
    const options = { storeLabels: { bin: 'B', bag: 'BG', tote: null, command: '#', commands: { confirm: 'OK' } } };
    expect(decodeBarcode('BG123', options).storeLabel).toEqual({ kind: 'bag', id: '123' });
    expect(decodeBarcode('B123', options).storeLabel).toEqual({ kind: 'bin', id: '123' });
    expect(decodeBarcode('#OK', options).storeLabel).toEqual({ kind: 'command', id: 'OK', command: 'confirm' });
    expect(decodeBarcode('TOTE-1', options)).toMatchObject({ storeLabel: null, text: 'TOTE-1' });
  });

  it('an unknown command word is an error listing the known ones', () => {
    expect(() => decodeBarcode('CMD-FOO')).toThrowError('position 5: unknown command "FOO"; known: CONFIRM, SHORT, CANCEL, OVERRIDE');
  });

  it('a prefix with nothing after it is an error', () => {
    expect(() => decodeBarcode('BIN-')).toThrowError(/bin label "BIN-" has nothing after its prefix/);
  });

  it('GS1 data is never mistaken for a store label, even if a prefix is digits', () => {
    expect(decodeBarcode(']C10109501101530003', { storeLabels: { bin: '01' } }).gtin).toBe('09501101530003');
  });

  it('text that is neither GS1 nor a label comes back as text', () => {
    expect(decodeBarcode(']C0HELLO')).toMatchObject({ gs1: false, symbology: 'code-128', text: 'HELLO', storeLabel: null });
  });

  it('an SSCC with the store company prefix is our own bag label', () => {
    const sscc = new SsccGenerator({ companyPrefix: '7350053', extensionDigit: 3, store: new InMemorySerialStore(41) }).next();
    const r = decodeBarcode(`]C100${sscc}`, { sscc: { companyPrefix: '7350053', extensionDigit: 3 } });
    expect(r.sscc).toBe(sscc);
    expect(r.storeLabel).toEqual({ kind: 'sscc', id: sscc });
    expect(decodeBarcode(`]C100${sscc}`, { sscc: { companyPrefix: '7350054' } }).storeLabel).toBeNull();
  });
});

describe('SSCC generator', () => {
  it('allocates consecutive serial references with valid check digits (GenSpecs example 376104250021234569)', () => {
    const gen = new SsccGenerator({ companyPrefix: '7610425002', extensionDigit: 3, store: new InMemorySerialStore(123456) });
    expect(gen.next()).toBe('376104250021234569');
    const batch = gen.allocate(50);
    expect(batch[0]).toBe('376104250021234576');
    expect(new Set(batch).size).toBe(50);
    for (const s of batch) expect(hasValidCheckDigit(s)).toBe(true);
  });

  it('saves the next number before handing one out, so a restart never reuses one', () => {
    const saved: bigint[] = [];
    const store: SerialStore = { load: () => saved.at(-1) ?? 0n, save: (n) => { saved.push(n); } };
    const first = new SsccGenerator({ companyPrefix: '735005', store });
    const a = [first.next(), first.next()];
    const second = new SsccGenerator({ companyPrefix: '735005', store }); // after a restart
    const b = second.next();
    expect(saved).toEqual([1n, 2n, 3n]);
    expect(new Set([...a, b]).size).toBe(3);
  });

  it('accepts a number from storage (SQLite gives numbers) and refuses to run past the last serial', () => {
    const gen = new SsccGenerator({ companyPrefix: '123456789012', store: new InMemorySerialStore(9998) });
    expect(gen.capacity).toBe(10000n);
    expect(gen.next()).toMatch(/^0123456789012999\d\d$/);
    gen.next();
    expect(() => gen.next()).toThrowError(SsccExhaustedError);
    const fromNumber = new SsccGenerator({ companyPrefix: '123456', store: { load: () => 7, save: () => undefined } });
    const seventh = fromNumber.next();
    expect(seventh.slice(0, 17)).toBe('0123456' + '0000000007');
    expect(hasValidCheckDigit(seventh)).toBe(true);
  });

  it('refuses an impossible company prefix or extension digit', () => {
    expect(() => new SsccGenerator({ companyPrefix: '12345', store: new InMemorySerialStore() })).toThrowError(RangeError);
    expect(() => new SsccGenerator({ companyPrefix: '123456', extensionDigit: 10, store: new InMemorySerialStore() })).toThrowError(RangeError);
  });

  it('decoded SSCCs are checked: a wrong check digit is a BarcodeError at that digit', () => {
    expect(() => decodeBarcode(']C100376104250021234568')).toThrowError(new BarcodeError(23, 'SSCC check digit is 8, expected 9', '00'));
  });
});
