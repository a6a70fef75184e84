/**
 * The bag label of a pack reaching a real TCP label printer (the printer simulator) through the
 * gateway's print queue: printed once, with the order's short code and an SSCC barcode; a label
 * packed while the printer is off prints once when it comes back; and with the printer out of
 * paper the packer is told the label waits and why, and it prints once after the reload; a label
 * whose print job was lost to a crash right after the bag passed prints once at the next start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpPrinterSimulator } from '../../simulators/tcpPrinter.ts';
import { FloorDevice } from '../helpers/floorDevice.ts';
import { dev, floorConfig, gtins, seedStore } from '../helpers/floorStore.ts';
import { useTestGateway, waitFor } from '../helpers/testGateway.ts';

const gw = useTestGateway();
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

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

  it('out of paper: device health says so, the packer is told the label waits, and it prints once after the reload', async () => {
    const printer = new TcpPrinterSimulator();
    await printer.start();
    try {
      const gateway = await gw.start({
        ...floorConfig,
        devices: [
          dev('scanner-pack', 'scanner'),
          dev('scale-pack', 'scale'),
          dev('lights-pick', 'light'),
          { id: 'printer-pack', class: 'printer', transport: { type: 'tcp', host: '127.0.0.1', port: printer.port }, printer: { statusTimeoutMs: 300, statusPollMs: 200, retryMs: 100 } },
        ],
        stations: [{ id: 'pack-1', kind: 'pack', devices: ['scanner-pack', 'scale-pack', 'printer-pack'] }],
      });
      const url = gateway.broker!.url;
      const device = async (id: string) => FloorDevice.attach(await gw.connect(url, { username: id, password: `${id}-secret` }), id);
      const [packScanner, scale] = await Promise.all([device('scanner-pack'), device('scale-pack')]);
      await seedStore(gateway);
      await gateway.log.appendAll([
        { type: 'order.released', data: { orderId: 'O-8', shortCode: 'P2', lines: [{ line: 1, sku: 'MILK', qty: 1 }] } },
        { type: 'stock.picked', data: { sku: 'MILK', bin: 'A-01', lot: 'L1', qty: 1, orderId: 'O-8', line: 1 } },
        { type: 'order.picked', data: { orderId: 'O-8', tote: '8', station: 'pick-1' } },
      ]);
      await waitFor('the printer online', () => gateway.devices.health('printer-pack')?.state === 'online');
      await printer.setMode('paper-out');
      await waitFor('paper out in device health', () => gateway.devices.health('printer-pack')?.lastError?.reason === 'paper out; fix it at the printer' && gateway.devices.health('printer-pack')?.state === 'offline');

      expect(await packScanner.scan('TOTE-8')).toMatchObject({ result: 'ok' });
      expect(await packScanner.scan(`]E0${gtins.milk.slice(1)}`)).toMatchObject({ result: 'ok' });
      packScanner.mark();
      await scale.send({ kind: 'weight', grams: 1070, stable: true });
      const passed = await packScanner.nextFeedback();
      expect(passed.message).toMatch(/^bag 1.07 kg ok \(SSCC \d{18}\), but the label waits: printer printer-pack: paper out; fix it at the printer; it prints once that is fixed, then stick it on$/);
      expect(gateway.stationScreens.get('pack-1')?.text).toBe(passed.message);

      await waitFor('the job queued', () => gateway.log.query({ type: 'print.queued' }).length === 1);
      await new Promise((r) => setTimeout(r, 500)); // several status checks, all "paper out"
      expect(printer.printed).toHaveLength(0);
      expect(gateway.log.query({ type: 'print.done' })).toHaveLength(0);

      await printer.setMode('ready');
      await waitFor('the held label printed', () => printer.printed.length === 1);
      await waitFor('print.done logged', () => gateway.log.query({ type: 'print.done' }).length === 1);
      await waitFor('the printer online again', () => gateway.devices.health('printer-pack')?.state === 'online');
      await new Promise((r) => setTimeout(r, 300));
      const sscc = /SSCC (\d{18})/.exec(passed.message ?? '')![1]!;
      expect(printer.printed).toHaveLength(1);
      expect(printer.printed[0]!.barcodes).toEqual([`>;>800${sscc}`]);
    } finally {
      await printer.stop();
    }
  });

  it('a bag label lost to a crash between the pass and the print queue prints once at the next start, and not again after', async () => {
    const printer = new TcpPrinterSimulator();
    await printer.start();
    const dataDir = mkdtempSync(join(tmpdir(), 'dsgw-lost-label-'));
    dirs.push(dataDir);
    try {
      const config = {
        ...floorConfig,
        dataDir,
        devices: [
          dev('scanner-pack', 'scanner'),
          dev('scale-pack', 'scale'),
          dev('lights-pick', 'light'),
          { id: 'printer-pack', class: 'printer' as const, transport: { type: 'tcp' as const, host: '127.0.0.1', port: printer.port }, printer: { statusTimeoutMs: 300, retryMs: 100 } },
        ],
        stations: [{ id: 'pack-1', kind: 'pack' as const, devices: ['scanner-pack', 'scale-pack', 'printer-pack'] }],
      };
      const first = await gw.start(config);
      await seedStore(first);
      // What the log holds when the gateway died right after committing the pass: the bag passed
      // and its label was decided, but the print job never reached the queue's journal.
      const sscc = '373500530000000427';
      await first.log.appendAll([
        { type: 'order.released', data: { orderId: 'O-7', shortCode: 'K3', lines: [{ line: 1, sku: 'MILK', qty: 1 }] } },
        { type: 'stock.picked', data: { sku: 'MILK', bin: 'A-01', lot: 'L1', qty: 1, orderId: 'O-7', line: 1 } },
        { type: 'order.picked', data: { orderId: 'O-7', tote: '3', station: 'pick-1' } },
        { type: 'order.packed', data: { orderId: 'O-7', bags: 1, weightGrams: 1070 } },
        { type: 'label.printed', data: { orderId: 'O-7', sscc, printer: 'printer-pack', station: 'pack-1' } },
        // A bag that has left already (dispatched) needs no label, whatever happened to its job.
        { type: 'order.released', data: { orderId: 'O-8', lines: [{ line: 1, sku: 'MILK', qty: 1 }] } },
        { type: 'stock.picked', data: { sku: 'MILK', bin: 'A-01', lot: 'L1', qty: 1, orderId: 'O-8', line: 1 } },
        { type: 'order.picked', data: { orderId: 'O-8', tote: '8', station: 'pick-1' } },
        { type: 'order.packed', data: { orderId: 'O-8', bags: 1, weightGrams: 1070 } },
        { type: 'label.printed', data: { orderId: 'O-8', sscc: '373500530000000434', printer: 'printer-pack', station: 'pack-1' } },
        { type: 'order.dispatched', data: { orderId: 'O-8', sscc: '373500530000000434' } },
        // The first bag of an order packed in two: it passed, the second is still being packed.
        { type: 'order.released', data: { orderId: 'O-9', lines: [{ line: 1, sku: 'MILK', qty: 2 }] } },
        { type: 'stock.picked', data: { sku: 'MILK', bin: 'A-01', lot: 'L1', qty: 2, orderId: 'O-9', line: 1 } },
        { type: 'order.picked', data: { orderId: 'O-9', tote: '9', station: 'pick-1' } },
        { type: 'bag.packed', data: { orderId: 'O-9', bag: 1, sscc: '373500530000000441', items: [{ sku: 'MILK', qty: 1 }], weightGrams: 1072 } },
        { type: 'label.printed', data: { orderId: 'O-9', sscc: '373500530000000441', printer: 'printer-pack', station: 'pack-1', bag: 1 } },
        // Two bags weighed together at a station that trusts the pick: a label each, no bag.packed.
        { type: 'order.released', data: { orderId: 'O-10', lines: [{ line: 1, sku: 'MILK', qty: 2 }] } },
        { type: 'stock.picked', data: { sku: 'MILK', bin: 'A-01', lot: 'L1', qty: 2, orderId: 'O-10', line: 1 } },
        { type: 'order.picked', data: { orderId: 'O-10', tote: '10', station: 'pick-1' } },
        { type: 'order.packed', data: { orderId: 'O-10', bags: 2, weightGrams: 2142 } },
        { type: 'label.printed', data: { orderId: 'O-10', sscc: '373500530000000458', printer: 'printer-pack', station: 'pack-1', bag: 1 } },
        { type: 'label.printed', data: { orderId: 'O-10', sscc: '373500530000000465', printer: 'printer-pack', station: 'pack-1', bag: 2 } },
        // Bag 1 scanned and weighed on its own (its label printed long ago), bags 2 and 3 weighed together after: their labels count the order's units, all bags.
        { type: 'order.released', data: { orderId: 'O-11', lines: [{ line: 1, sku: 'MILK', qty: 3 }] } },
        { type: 'stock.picked', data: { sku: 'MILK', bin: 'A-01', lot: 'L1', qty: 3, orderId: 'O-11', line: 1 } },
        { type: 'order.picked', data: { orderId: 'O-11', tote: '11', station: 'pick-1' } },
        { type: 'bag.packed', data: { orderId: 'O-11', bag: 1, sscc: '373500530000000472', items: [{ sku: 'MILK', qty: 1 }], weightGrams: 1070 } },
        { type: 'order.packed', data: { orderId: 'O-11', bags: 3, weightGrams: 3220 } },
        { type: 'label.printed', data: { orderId: 'O-11', sscc: '373500530000000489', printer: 'printer-pack', station: 'pack-1', bag: 2 } },
        { type: 'label.printed', data: { orderId: 'O-11', sscc: '373500530000000496', printer: 'printer-pack', station: 'pack-1', bag: 3 } },
      ]);
      await first.stop();
      expect(printer.printed).toHaveLength(0);

      const second = await gw.start(config);
      await waitFor('the lost labels printed', () => printer.printed.length === 6);
      const bySscc = (s: string) => printer.printed.find((p) => p.barcodes.includes(`>;>800${s}`));
      expect(bySscc(sscc)!.fields).toEqual(expect.arrayContaining(['K3', `(00) ${sscc}`]));
      expect(bySscc('373500530000000441')!.fields).toEqual(expect.arrayContaining(['order O-9  bag 1  1 items']));
      expect(bySscc('373500530000000458')!.fields).toEqual(expect.arrayContaining(['order O-10  bag 1 of 2  2 items']));
      expect(bySscc('373500530000000465')!.fields).toEqual(expect.arrayContaining(['order O-10  bag 2 of 2  2 items']));
      expect(bySscc('373500530000000489')!.fields).toEqual(expect.arrayContaining(['order O-11  bag 2 of 3  3 items']));
      await waitFor('print.done logged', () => second.log.query({ type: 'print.done' }).length === 6);
      await second.stop();

      const third = await gw.start(config);
      await waitFor('the printer online', () => third.devices.health('printer-pack')?.state === 'online');
      await new Promise((r) => setTimeout(r, 500));
      expect(printer.printed).toHaveLength(6);
      expect(third.log.query({ type: 'print.queued' })).toHaveLength(6);
    } finally {
      await printer.stop();
    }
  });
});
