/**
 * The shipped label templates, rendered as a printer would (zpl-renderer-js) and read back as a
 * scanner would (zxing-wasm), offline.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { renderLabel, renderLabelFile } from '../../../devices/printers/labelTemplates.ts';
import { parseZpl } from '../../../simulators/tcpPrinter.ts';

const require = createRequire(import.meta.url);

async function readBack(zpl: string) {
  const { ready } = await import('zpl-renderer-js');
  const { prepareZXingModule, readBarcodes } = await import('zxing-wasm/reader');
  const wasmBinary = (await readFile(require.resolve('zxing-wasm/reader/zxing_reader.wasm'))).buffer as ArrayBuffer;
  prepareZXingModule({ overrides: { wasmBinary } });
  const { api } = await ready;
  const png = Buffer.from(await api.zplToBase64Async(zpl, 101.6, 80, 8), 'base64');
  return readBarcodes(new Uint8Array(png), { formats: ['Code128'] });
}

describe('label templates', () => {
  it('renders the bag label with a GS1-128 SSCC a scanner reads back, and the text fields', async () => {
    const zpl = await renderLabelFile('templates/labels', 'bag', { store: 'Berlin-3', shortCode: 'K7Q', orderId: 'O-1001', itemCount: 4, sscc: '373500530000000002', bag: 'bag 2' });
    const printed = parseZpl(zpl);
    expect(printed.fields).toEqual(expect.arrayContaining(['Berlin-3', 'K7Q', 'order O-1001  bag 2  4 items', '(00) 373500530000000002']));
    const [barcode] = await readBack(zpl);
    expect(barcode?.symbologyIdentifier).toBe(']C1');
    expect(barcode?.text).toBe('(00)373500530000000002');
  }, 30_000);

  it('renders the bin and test labels', async () => {
    expect(parseZpl(await renderLabelFile('templates/labels', 'bin', { binId: 'A-01-03', zone: 'ambient' })).barcodes).toEqual(['A-01-03']);
    expect(parseZpl(await renderLabelFile('templates/labels', 'test', { printer: 'label-1', at: '2026-12-03 17:40' })).fields).toContain('TEST LABEL');
  });

  it('names the template and the missing field, and keeps ^ and ~ out of field data', async () => {
    await expect(renderLabelFile('templates/labels', 'bag', { store: 'x', orderId: 'O-1', itemCount: 1, sscc: '373500530000000002', bag: '' })).rejects.toThrow(
      /label template "templates\/labels\/bag.zpl": no value for "shortCode"; pass it or remove the placeholder/,
    );
    await expect(renderLabelFile('templates/labels', 'nope', {})).rejects.toThrow(/cannot be read \(ENOENT\); check printer.templates/);
    expect(renderLabel('^FD{{name}}^FS', { name: 'a^XZ~JR' })).toBe('^FDa XZ JR^FS');
  });
});
