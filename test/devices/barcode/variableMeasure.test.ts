import { describe, expect, it } from 'vitest';
import { completeGtin, decodeBarcode, fiveDigitPriceCheckDigit, fourDigitPriceCheckDigit, type Market } from '../../../devices/barcode/index.ts';
import { WEIGHT_2_MINUS, WEIGHT_3, WEIGHT_5_MINUS, WEIGHT_5_PLUS } from '../../../devices/barcode/priceCheckDigit.ts';

// The weighting-factor rules as GenSpecs 7.9.2 states them, to check the printed tables against.
const rule = (factor: number, sign: -1 | 0 | 1) => (d: number) => {
  const p = d * factor;
  return (((p % 10) + sign * Math.floor(p / 10)) % 10 + 10) % 10;
};

describe('price/weight verifier weighting factors (GenSpecs 7.9.2)', () => {
  it('"2-": double, subtract the tens digit', () => expect([...WEIGHT_2_MINUS]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(rule(2, -1))));
  it('"3": units of three times the digit', () => expect([...WEIGHT_3]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(rule(3, 0))));
  it('"5+": five times, add the tens digit', () => expect([...WEIGHT_5_PLUS]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(rule(5, 1))));
  it('"5-": five times, subtract the tens digit', () => expect([...WEIGHT_5_MINUS]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(rule(5, -1))));
  it('each table is a permutation, so every digit error changes the verifier', () => {
    for (const t of [WEIGHT_2_MINUS, WEIGHT_3, WEIGHT_5_PLUS, WEIGHT_5_MINUS]) expect(new Set(t).size).toBe(10);
  });
});

describe('verifier digits (GenSpecs 7.9.3 four digits, 7.9.4 five digits)', () => {
  it('GenSpecs worked examples: 2875 -> 9, 14685 -> 6', () => {
    expect(fourDigitPriceCheckDigit('2875')).toBe(9);
    expect(fiveDigitPriceCheckDigit('14685')).toBe(6);
  });
  it.each([['0000', 0], ['1000', 6], ['0100', 6], ['0010', 9], ['0001', 5], ['9999', 6]])('four digits %s -> %i', (p, d) => expect(fourDigitPriceCheckDigit(p)).toBe(d));
  it.each([['00000', 0], ['10000', 1], ['01000', 4], ['00100', 1], ['00010', 1], ['00001', 4]])('five digits %s -> %i', (p, d) => expect(fiveDigitPriceCheckDigit(p)).toBe(d));
  it('five-digit verifier: the check digit weighted 5- completes the sum to a multiple of ten', () => {
    for (let n = 0; n < 100000; n += 7919) {
      const p = String(n).padStart(5, '0');
      const w = [WEIGHT_5_PLUS, WEIGHT_2_MINUS, WEIGHT_5_MINUS, WEIGHT_5_PLUS, WEIGHT_2_MINUS];
      const sum = w.reduce((s, t, i) => s + (t[Number(p[i])] ?? 0), 0);
      expect((sum + (WEIGHT_5_MINUS[fiveDigitPriceCheckDigit(p)] ?? 0)) % 10).toBe(0);
    }
  });
});

const rcn = (body12: string) => completeGtin(body12);
const vm = (data: string, market: Market | null) => decodeBarcode(data, { market }).variableMeasure;

describe('market layouts', () => {
  it.each<[Market, string, object]>([
    ['SE', '201234560995', { kind: 'price', value: 9.95, currency: 'SEK', itemReference: '20123456' }],
    ['SE', '211234561995', { kind: 'price', value: 199.5, currency: 'SEK' }],
    ['SE', '221234560250', { kind: 'price', value: 250, currency: 'SEK' }],
    ['SE', '231234561234', { kind: 'weight', value: 1.234, unit: 'kg', itemReference: '23123456' }],
    ['SE', '241234561234', { kind: 'weight', value: 12.34, unit: 'kg' }],
    ['SE', '251234561234', { kind: 'weight', value: 123.4, unit: 'kg' }],
    ['DE', '221234614685', { kind: 'price', value: 146.85, currency: 'EUR', itemReference: '221234', verifierChecked: true }],
    ['DE', '231234000000', { kind: 'price', value: 0, currency: 'EUR' }],
    ['DE', `251234${fiveDigitPriceCheckDigit('00012')}00012`, { kind: 'count', value: 12 }],
    ['DE', `281234${fiveDigitPriceCheckDigit('01250')}01250`, { kind: 'weight', value: 1.25, unit: 'kg' }],
    ['DE', `291234${fiveDigitPriceCheckDigit('00500')}00500`, { kind: 'weight', value: 0.5, unit: 'kg' }],
    ['GB', '201234592875', { kind: 'price', value: 28.75, currency: 'GBP', itemReference: '2012345', verifierChecked: true }],
    ['UK', '281234592875', { kind: 'price', value: 28.75, currency: 'GBP', market: 'UK' }],
    ['DK', '211234001995', { kind: 'price', value: 19.95, currency: 'DKK', itemReference: '211234' }],
    ['DK', '241234012345', { kind: 'price', value: 123.45, currency: 'DKK' }],
    ['DK', '261234001500', { kind: 'weight', value: 1.5, unit: 'kg' }],
    ['DK', '271234501500', { kind: 'weight', value: 1.5, unit: 'kg', itemReference: '2712345' }],
    ['DK', '281234000750', { kind: 'weight', value: 0.75, unit: 'kg' }],
    ['NL', '211234501995', { kind: 'price', value: 19.95, currency: 'EUR', itemReference: '2112345' }],
    ['NL', '281234500750', { kind: 'weight', value: 0.75, unit: 'kg' }],
  ])('%s %s', (market, body, expected) => {
    const g = rcn(body);
    expect(vm(g, market)).toMatchObject({ market, prefix: body.slice(0, 2), ...expected });
    expect(vm(`]E0${g}`, market)).toMatchObject(expected);
    expect(vm(`]C101${'0' + g}`, market)).toMatchObject(expected);
  });

  it('the lookup GTIN zeroes the measure and recomputes both check digits, so every weight maps to one catalog key', () => {
    const a = vm(rcn('231234561234'), 'SE');
    const b = vm(rcn('231234560042'), 'SE');
    expect(a?.lookupGtin).toBe('0' + rcn('231234560000'));
    expect(b?.lookupGtin).toBe(a?.lookupGtin);
    const de = vm(rcn('221234614685'), 'DE');
    expect(de?.lookupGtin).toBe('0' + rcn('221234000000'));
  });

  it('a wrong verifier digit is refused at its position', () => {
    expect(() => vm(rcn('221234514685'), 'DE')).toThrowError('position 7: price verifier digit is 5, expected 6 for price digits 14685');
    expect(() => vm(`]E0${rcn('201234582875')}`, 'GB')).toThrowError('position 11: price verifier digit is 8, expected 9 for price digits 2875');
  });

  it('without a market the item is flagged but decodes, with a warning that says what to set', () => {
    const r = decodeBarcode(rcn('231234561234'));
    expect(r.variableMeasure).toMatchObject({ market: null, prefix: '23', kind: null, value: null });
    expect(r.warnings[0]?.code).toBe('variable-measure-unknown-market');
  });

  it('a prefix the market does not define decodes as a plain item with a warning', () => {
    const r = decodeBarcode(rcn('291234561234'), { market: 'SE' });
    expect(r.variableMeasure?.kind).toBeNull();
    expect(r.warnings[0]?.code).toBe('variable-measure-unknown-prefix');
  });

  it('the same digits mean different things in different markets', () => {
    const g = rcn('231234400150');
    expect(vm(g, 'SE')).toMatchObject({ kind: 'weight', value: 0.15, unit: 'kg' });
    expect(vm(g, 'DK')).toMatchObject({ kind: 'price', value: 4001.5, currency: 'DKK' });
    expect(vm(g, 'DE')).toMatchObject({ kind: 'price', value: 1.5, currency: 'EUR' });
  });

  it('custom layouts replace the market layout for their prefix', () => {
    const custom = { prefix: '23', kind: 'weight' as const, itemLength: 7, verifier: false, valueLength: 5, decimals: 3, unit: 'kg' };
    expect(decodeBarcode(rcn('231234502500'), { market: 'SE', customLayouts: [custom] }).variableMeasure).toMatchObject({ itemReference: '2312345', value: 2.5 });
    const withVerifier = { prefix: '02', kind: 'price' as const, itemLength: 7, verifier: true, valueLength: 4, decimals: 2, currency: 'EUR' };
    expect(decodeBarcode(rcn('021234592875'), { customLayouts: [withVerifier] }).variableMeasure).toMatchObject({ value: 28.75, currency: 'EUR', verifierChecked: true });
  });

  it('an impossible custom layout is reported as a BarcodeError naming the setting', () => {
    const broken = { prefix: '23', kind: 'weight' as const, itemLength: 7, verifier: false, valueLength: 4, decimals: 3 };
    expect(() => decodeBarcode(rcn('231234502500'), { customLayouts: [broken] })).toThrowError(/fix barcodes.customLayouts/);
  });
});
