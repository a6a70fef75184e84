import { describe, expect, expectTypeOf, it } from 'vitest';
import { barcodeOptionsSchema, type BarcodeOptionsConfig } from '../../../config/barcodeSchema.ts';
import { DEFAULT_STORE_LABELS, decodeBarcode, MARKETS, type BarcodeOptions } from '../../../devices/barcode/index.ts';

describe('barcodes: config schema', () => {
  it('an empty section gets defaults that match the decoder defaults', () => {
    const parsed = barcodeOptionsSchema.parse({});
    expect(parsed).toEqual({ fnc1Substitutes: [], market: null, customLayouts: [], storeLabels: DEFAULT_STORE_LABELS, sscc: null });
  });

  it('its output is usable as decoder options', () => {
    expectTypeOf<BarcodeOptionsConfig>().toExtend<BarcodeOptions>();
    const options = barcodeOptionsSchema.parse({ market: 'SE', fnc1Substitutes: ['~'], storeLabels: { bin: 'B:' } });
    expect(decodeBarcode('B:A-1', options).storeLabel).toEqual({ kind: 'bin', id: 'A-1' });
    expect(decodeBarcode(']d2010231234561234210X~21Y', options).variableMeasure?.value).toBe(1.234);
  });

  it('markets in the schema are the markets the decoder knows', () => {
    expect(barcodeOptionsSchema.shape.market.unwrap().unwrap().options).toEqual([...MARKETS]);
  });

  it.each([
    [{ typo: 1 }, 'Unrecognized key'],
    [{ storeLabels: { bins: 'B' } }, 'Unrecognized key'],
    [{ market: 'FR' }, 'market'],
    [{ sscc: { companyPrefix: '123' } }, '6 to 12 digits'],
    [{ sscc: { companyPrefix: '1234567', extensionDigit: 10 } }, 'extensionDigit'],
    [{ customLayouts: [{ prefix: '23', kind: 'weight', itemLength: 7, valueLength: 4 }] }, 'must make 12'],
    [{ customLayouts: [{ prefix: '31', kind: 'weight', itemLength: 7, valueLength: 5 }] }, '02 or 20-29'],
    [{ customLayouts: [{ prefix: '23', kind: 'price', itemLength: 5, verifier: true, valueLength: 6 }] }, '4- or 5-digit'],
    [{ fnc1Substitutes: [''] }, 'fnc1Substitutes'],
  ])('%j is refused', (input, hint) => {
    const result = barcodeOptionsSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(hint);
  });

  it('every field carries a description for the JSON Schema and the docs', () => {
    const shape = barcodeOptionsSchema.shape;
    for (const [key, field] of Object.entries(shape)) expect([key, field.description]).toEqual([key, expect.any(String)]);
  });
});
