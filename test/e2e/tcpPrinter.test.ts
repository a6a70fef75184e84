/**
 * The bag label of a pack reaching a real TCP label printer (the printer simulator) through the
 * gateway's print queue: printed once, with the order's short code and an SSCC barcode; and a
 * label packed while the printer is off prints once when it comes back.
 */
import { describe, expect, it } from 'vitest';
import { TcpPrinterSimulator } from '../../simulators/tcpPrinter.ts';
import { FloorDevice } from '../helpers/floorDevice.ts';
import { dev, floorConfig, gtins, seedStore } from '../helpers/floorStore.ts';
import { useTestGateway, waitFor } from '../helpers/testGateway.ts';

const gw = useTestGateway();

describe('pack with a TCP label printer', () => {
  it('prints the bag label once on the TCP printer, also when it was off while packing', async () => {
    const printer = new TcpPrinterSimulator();
    await printer.start();
    await printer.setMode('off');
    try {
      const gateway = await gw.start({
        ...floorConfig,
        devices: [
          dev('scanner-pack', 'scanner'),
          dev('scale-pack', 'scale'),
          dev('lights-pick', 'light'),
          { id: 'printer-pack', class: 'printer', transport: { type: 'tcp', host: '127.0.0.1', port: printer.port }, printer: { statusTimeoutMs: 300, retryMs: 100 } },
        ],
        stations: [{ id: 'pack-1', kind: 'pack', devices: ['scanner-pack', 'scale-pack', 'printer-pack'] }],
      });
      const url = gateway.broker!.url;
      const device = async (id: string) => FloorDevice.attach(await gw.connect(url, { username: id, password: `${id}-secret` }), id);
      const [packScanner, scale] = await Promise.all([device('scanner-pack'), device('scale-pack')]);
      await seedStore(gateway);
      // The order was picked into tote 7 (at a pick station this test does not need).
      await gateway.log.appendAll([
        { type: 'order.released', data: { orderId: 'O-9', shortCode: 'Q4', lines: [{ line: 1, sku: 'MILK', qty: 2 }] } },
        { type: 'stock.picked', data: { sku: 'MILK', bin: 'A-01', lot: 'L1', qty: 1, orderId: 'O-9', line: 1 } },
        { type: 'stock.picked', data: { sku: 'MILK', bin: 'A-01', lot: 'L1', qty: 1, orderId: 'O-9', line: 1 } },
        { type: 'order.picked', data: { orderId: 'O-9', tote: '7', station: 'pick-1' } },
      ]);

      expect(await packScanner.scan('TOTE-7')).toMatchObject({ result: 'ok', message: 'order O-9: scan 2 units into the bag' });
      expect(await packScanner.scan(`]E0${gtins.milk.slice(1)}`)).toMatchObject({ result: 'ok' });
      expect(await packScanner.scan(`]E0${gtins.milk.slice(1)}`)).toMatchObject({ result: 'ok' });
      packScanner.mark();
      // 40 g bag + 2 x 1030 g.
      await scale.send({ kind: 'weight', grams: 2100, stable: true });
      const passed = await packScanner.nextFeedback();
      expect(passed.message).toMatch(/^bag 2.10 kg ok: label printed \(SSCC 37350053\d{10}\)/);

      await waitFor('the job queued', () => gateway.log.query({ type: 'print.queued' }).length === 1);
      await new Promise((r) => setTimeout(r, 300));
      expect(printer.printed).toHaveLength(0);
      await printer.setMode('ready');
      await waitFor('the bag label printed', () => printer.printed.length === 1);
      await waitFor('print.done logged', () => gateway.log.query({ type: 'print.done' }).length === 1);
      await new Promise((r) => setTimeout(r, 300));

      expect(printer.printed).toHaveLength(1);
      const [label] = printer.printed;
      const sscc = /SSCC (\d{18})/.exec(passed.message ?? '')![1]!;
      expect(label!.fields).toEqual(expect.arrayContaining(['Q4', `(00) ${sscc}`]));
      expect(label!.barcodes).toEqual([`>;>800${sscc}`]);
    } finally {
      await printer.stop();
    }
  });
});
