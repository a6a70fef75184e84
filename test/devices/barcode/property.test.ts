import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AI_TABLE, BarcodeError, decodeBarcode, encodeDigitalLink, encodeElementString, encodeHumanReadable, listAis } from '../../../devices/barcode/index.ts';
import { NOW, validValueArb } from './validValues.ts';

const ais = listAis();
const elementArb = fc.constantFrom(...ais).chain((ai) => validValueArb(AI_TABLE.get(ai) as NonNullable<ReturnType<typeof AI_TABLE.get>>).map((raw) => ({ ai, raw })));
const elementsArb = fc.uniqueArray(elementArb, { minLength: 1, maxLength: 6, selector: (e) => e.ai });
const pick = (r: ReturnType<typeof decodeBarcode>) => r.elements.map((e) => ({ ai: e.ai, raw: e.raw }));

describe('round trips (any valid element string)', () => {
  it('element string -> decode gives back the same AIs and values, whatever the FNC1 spelling', () => {
    fc.assert(fc.property(elementsArb, fc.constantFrom('\u001d', '~', '<GS>'), fc.constantFrom(']C1', ']d2', ']Q3', ']e0'), (elements, separator, aim) => {
      const data = encodeElementString(elements, { aim, separator });
      const r = decodeBarcode(data, { now: NOW, fnc1Substitutes: ['~', '<GS>'] });
      expect(pick(r)).toEqual(elements);
    }), { numRuns: 400 });
  });

  it('bracketed human-readable -> decode -> hri is the identity', () => {
    fc.assert(fc.property(elementsArb, (elements) => {
      const hri = encodeHumanReadable(elements);
      const r = decodeBarcode(hri, { now: NOW });
      expect(pick(r)).toEqual(elements);
      expect(r.hri).toBe(hri);
    }), { numRuns: 400 });
  });

  it('Digital Link -> decode gives the same elements (GTIN with qualifiers and data attributes)', () => {
    const attrs = ais.filter((ai) => AI_TABLE.get(ai)?.dlAttr && !['01', '22', '10', '21', '235'].includes(ai) && !AI_TABLE.get(ai)?.dlpkey);
    const attrArb = fc.constantFrom(...attrs).chain((ai) => validValueArb(AI_TABLE.get(ai) as NonNullable<ReturnType<typeof AI_TABLE.get>>).map((raw) => ({ ai, raw })));
    const q = (ai: string) => fc.option(validValueArb(AI_TABLE.get(ai) as NonNullable<ReturnType<typeof AI_TABLE.get>>).map((raw) => ({ ai, raw })), { nil: undefined });
    const arb = fc.tuple(validValueArb(AI_TABLE.get('01') as NonNullable<ReturnType<typeof AI_TABLE.get>>), q('22'), q('10'), q('21'), fc.uniqueArray(attrArb, { maxLength: 4, selector: (e) => e.ai }));
    fc.assert(fc.property(arb, ([gtin, c22, c10, c21, rest]) => {
      const elements = [{ ai: '01', raw: gtin }, ...[c22, c10, c21].filter((x) => x !== undefined), ...rest];
      const r = decodeBarcode(encodeDigitalLink(elements, 'https://example.com/stem'), { now: NOW });
      expect(pick(r)).toEqual(elements);
    }), { numRuns: 300 });
  });
});

describe('hostile input', () => {
  const hostile = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 120 }),
    fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b).toString('latin1')),
    fc.tuple(fc.constantFrom(']C1', ']d2', ']Q3', ']E0', ']E4', ']e0', ']I1', ']Q1', ']C0', ''), fc.array(fc.constantFrom('0', '1', '7', '9', '3', '\u001d', '(', ')', '~', 'A', '%', '/', '?', '=', '&'), { maxLength: 80 }))
      .map(([aim, cs]) => aim + cs.join('')),
    fc.tuple(fc.constantFrom('https://a/01/', 'https://a/00/', 'http://x/stem/8004/'), fc.string({ maxLength: 60 })).map(([a, b]) => a + b),
    elementsArb.map((e) => encodeElementString(e, { aim: ']C1' })).chain((s) => fc.nat({ max: s.length }).chain((i) => fc.string({ maxLength: 3 }).map((x) => s.slice(0, i) + x + s.slice(i + 1)))),
  );

  // A hang would hit the test timeout; tests never assert a speed (bench/barcode.ts measures it).
  it('random bytes only ever throw BarcodeError', () => {
    fc.assert(fc.property(hostile, (input) => {
      try {
        const r = decodeBarcode(input, { now: NOW, market: 'DE', fnc1Substitutes: ['~'] });
        expect(typeof r.gs1).toBe('boolean');
      } catch (err) {
        expect(err).toBeInstanceOf(BarcodeError);
        const e = err as BarcodeError;
        expect(Number.isInteger(e.position) && e.position >= 1).toBe(true);
        expect(e.reason.length).toBeGreaterThan(0);
      }
    }), { numRuns: 3000 });
  });

  it('a 100 kB scan is refused or decoded, not stuck on a quadratic path', () => {
    const long = ']C110' + 'A'.repeat(100_000);
    expect(() => decodeBarcode(long)).toThrowError(BarcodeError);
    expect(() => decodeBarcode('BIN-' + 'x'.repeat(100_000))).not.toThrow();
  });

  it('non-string input is a BarcodeError, not a TypeError', () => {
    expect(() => decodeBarcode(42 as unknown as string)).toThrowError(BarcodeError);
    expect(() => decodeBarcode('')).toThrowError('position 1: empty scan');
    expect(() => decodeBarcode(']C1')).toThrowError('position 3: no data after the symbology identifier ]C1');
  });
});
