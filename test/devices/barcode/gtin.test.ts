import { describe, expect, it } from 'vitest';
import { BarcodeError, classifyGtin, completeGtin, decodeBarcode, gs1CheckDigit, isValidGtin, normalizeGtin, shortestGtin } from '../../../devices/barcode/index.ts';

// Real GTINs printed on products and in GS1 documents (GenSpecs examples, ISBNs, retail items).
const VALID = [
  '09501101530003', '9501101530003', '95012346', '614141000036', '036000241457', '4006381333931', '5000112637922',
  '7310865004703', '8710400311140', '9780306406157', '9771234567003', '40170725', '12345670', '00614141999996',
  '10614141000019', '5701234567899', '4012345000009', '7350053850019', '0012345678905',
];

describe('GS1 mod-10 check digit (GenSpecs 7.9.1)', () => {
  it.each(VALID)('%s has a valid check digit', (gtin) => {
    expect(isValidGtin(gtin)).toBe(true);
    expect(completeGtin(gtin.slice(0, -1))).toBe(gtin);
  });

  it.each(VALID)('%s with any other last digit is refused', (gtin) => {
    for (let d = 0; d <= 9; d++) {
      const changed = gtin.slice(0, -1) + String(d);
      if (changed !== gtin) expect(isValidGtin(changed)).toBe(false);
    }
  });

  it('weights 3,1 from the right: GenSpecs example 950110153100 -> 0, 9501234 -> 6', () => {
    expect(gs1CheckDigit('950110153100')).toBe(0);
    expect(gs1CheckDigit('9501234')).toBe(6);
    expect(gs1CheckDigit('0950110153000')).toBe(3);
    expect(gs1CheckDigit('37610425002123456')).toBe(9); // SSCC body from GenSpecs: 376104250021234569
  });

  it('rejects lengths that are not GTINs', () => {
    for (const bad of ['1234567', '12345678901', '123456789012345', '']) expect(isValidGtin(bad)).toBe(false);
  });
});

describe('normalisation to 14 digits', () => {
  it.each([
    ['95012346', '00000095012346'],
    ['614141000036', '00614141000036'],
    ['9501101530003', '09501101530003'],
    ['09501101530003', '09501101530003'],
  ])('%s -> %s', (input, out) => {
    expect(normalizeGtin(input)).toBe(out);
    expect(shortestGtin(out)).toBe(input.replace(/^0(?=\d{13}$)/, ''));
  });

  it('says which check digit was expected', () => {
    expect(() => normalizeGtin('9501101530004')).toThrowError(new BarcodeError(13, 'GTIN check digit is 4, expected 3'));
  });
});

describe('GS1 prefix classes', () => {
  it.each([
    ['02', '0212345678909', 'variable-measure'],
    ['20', '2012345678909', 'variable-measure'],
    ['29', '2912345000002', 'variable-measure'],
    ['UPC-A 2', '212345678903', 'variable-measure'],
    ['04', '0412345678903', 'company-internal'],
    ['40', '4012345000009', 'company-internal'],
    ['49', '4912345678904', 'company-internal'],
    ['RCN-8 with 2', '21234566', 'company-internal'],
    ['RCN-8 with 0', '01234565', 'company-internal'],
    ['977 ISSN', '9771234567003', 'issn'],
    ['978 ISBN', '9780306406157', 'isbn'],
    ['979-0 ISMN', '9790260000438', 'ismn'],
    ['980 refund receipt', '9801234567899', 'refund-receipt'],
    ['99 coupon', '9912345678907', 'coupon'],
    ['indicator 9', '95012345678903', 'variable-measure-trade-item'],
    ['Swedish item', '7310865004703', 'standard'],
    ['GTIN-8 standard', '95012346', 'standard'],
  ])('%s', (_name, gtin, klass) => {
    expect(classifyGtin(normalizeGtin(completeGtin(gtin.slice(0, -1))))).toBe(klass);
  });

  it('company-internal numbers decode with a warning that they mean nothing outside the company', () => {
    const r = decodeBarcode(']E04012345000009');
    expect(r.gtinClass).toBe('company-internal');
    expect(r.warnings.map((w) => w.code)).toContain('company-internal-gtin');
  });
});
