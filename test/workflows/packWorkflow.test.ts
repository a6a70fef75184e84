import { describe, expect, it } from 'vitest';
import { InMemorySerialStore, SsccGenerator } from '../../devices/barcode/index.ts';
import { applyPack, bagLabelDocument, bagLabelFields, cancelPack, initialPackState, type OrderToPack, type PackContext, type PackState, type PassedBag } from '../../gateway/workflows/packWorkflow.ts';
import type { Effect, StationInput } from '../../gateway/workflows/types.ts';
import { catalog, cheeseLabel, gtin, itemScan, label, events, said, runWorkflow } from './fixtures.ts';

const orders: Record<string, OrderToPack> = {
  'O-1': { orderId: 'O-1', status: 'picked', shortCode: 'K7', items: [{ sku: 'MILK', qty: 2 }, { sku: 'YOG', qty: 1 }] },
  'O-2': { orderId: 'O-2', status: 'picking', items: [] },
  'O-3': { orderId: 'O-3', status: 'picked', items: [{ sku: 'BREAD', qty: 1 }] },
  'O-4': { orderId: 'O-4', status: 'picked', items: [{ sku: 'CHEESE', qty: 1, measuredGrams: 612 }] },
  // Two pieces of cheese weighed at picking: 300 g and 700 g.
  'O-5': { orderId: 'O-5', status: 'picked', items: [{ sku: 'CHEESE', qty: 2, measuredGrams: 1000 }] },
  'O-6': { orderId: 'O-6', status: 'picked', items: [{ sku: 'MILK', qty: 2 }] },
};
const totes: Record<string, string> = { '7': 'O-1' };

function context(): PackContext {
  const sscc = new SsccGenerator({ companyPrefix: '7350053', extensionDigit: 3, store: new InMemorySerialStore(1) });
  return {
    catalog,
    settings: { packagingGrams: 40, toleranceGrams: 50, tolerancePercent: 3 },
    supervisors: ['SUP-1'],
    storeName: 'Test store',
    findOrder: (id) => orders[totes[id] ?? id],
    nextSscc: () => sscc.next(),
  };
}

function run(inputs: StationInput[], trustPick = false, bagLabelTemplate?: string, printerFault?: string): { state: PackState; effects: Effect[][] } {
  const ctx = { ...context(), ...(bagLabelTemplate ? { bagLabelTemplate } : {}), ...(printerFault ? { printerFault } : {}) };
  const state = initialPackState({ station: 'pack-1', scanner: 'scanner-2', scale: 'scale-1', printer: 'printer-1', trustPick });
  return runWorkflow(applyPack, state, ctx, inputs);
}
const scan = (barcode: ReturnType<typeof label>): StationInput => ({ kind: 'scan', device: 'scanner-2', barcode });
const weight = (grams: number, stable = true): StationInput => ({ kind: 'weight', device: 'scale-1', grams, stable });
const allUnits = [scan(label('TOTE-7')), scan(itemScan(gtin.milk)), scan(itemScan(gtin.yog)), scan(itemScan(gtin.milk))];
// 40 + 2 x 1030 + 160 = 2260 g; tolerance max(50, 3 % = 67.8, catalog 5) = 68 g.

describe('pack workflow', () => {
  describe('loading an order', () => {
    it.each([
      ['a tote label', 'TOTE-7', 'ok: order O-1: scan 3 units into the bag'],
      ['a bag label with the order id', 'BAG-O-1', 'ok: order O-1: scan 3 units into the bag'],
      ['the order id as text', 'O-1', 'ok: order O-1: scan 3 units into the bag'],
      ['an unknown tote', 'TOTE-99', 'error: no picked order for 99: check the tote label or ask the picker'],
      ['an order still being picked', 'O-2', 'error: order O-2 is picking, not ready to pack'],
    ])('%s', (_name, text, message) => {
      expect(said(run([scan(label(text))]).effects[0]!)).toEqual([message]);
    });
    it('an item before an order asks for the order', () => {
      expect(said(run([scan(itemScan(gtin.milk))]).effects[0]!)).toEqual(['error: scan a tote or an order label to start packing']);
    });
    it('trust-pick goes straight to the scale', () => {
      const { state, effects } = run([scan(label('TOTE-7'))], true);
      expect(state.phase).toBe('weighing');
      expect(said(effects[0]!)).toEqual(['ok: put the bag on the scale: expected 2.26 +/- 0.07 kg (more than one bag: scan CMD-NEXTBAG once per extra bag, then weigh them together)']);
    });
  });

  describe('scanning units into the bag', () => {
    it('counts down and asks for the scale after the last unit', () => {
      const { effects, state } = run(allUnits);
      expect(effects.slice(1).map(said)).toEqual([
        ['ok: ok: Whole Milk 1L, 2 units left'],
        ['ok: ok: Yoghurt 150g, 1 unit left'],
        ['ok: put the bag on the scale: expected 2.26 +/- 0.07 kg'],
      ]);
      expect(state.phase).toBe('weighing');
    });
    it.each([
      ['an item not in the order', itemScan(gtin.oat), 'pack.notInOrder', 'error: not in this order: Oat Milk 1L; put it aside'],
      ['an unknown item', itemScan(gtin.unknown), 'pack.notInOrder', `error: not in this order: ${gtin.unknown}; put it aside`],
    ])('refuses %s', (_name, barcode, reason, message) => {
      const { effects } = run([scan(label('TOTE-7')), scan(barcode)]);
      expect(events(effects[1]!)[0]!.data).toMatchObject({ reason, orderId: 'O-1', station: 'pack-1' });
      expect(said(effects[1]!)).toEqual([message]);
    });
    it('refuses one unit more than was picked', () => {
      const { effects } = run([scan(label('TOTE-7')), scan(itemScan(gtin.yog)), scan(itemScan(gtin.yog))]);
      expect(said(effects[2]!)).toEqual(['error: already packed all 1 x Yoghurt 150g; take the extra out']);
    });
    it('refuses a second order label mid-order, and says how to set the first aside', () => {
      const { effects } = run([scan(label('TOTE-7')), scan(label('O-3'))]);
      expect(said(effects[1]!)).toEqual(['error: finish order O-1 first, or scan CMD-CANCEL to set its bag aside']);
      expect(events(effects[1]!)[0]!.data).toMatchObject({ reason: 'pack.finishFirst', orderId: 'O-1' });
    });
    it('the same order scanned again mid-bag starts its bag over', () => {
      const { effects, state } = run([scan(label('TOTE-7')), scan(itemScan(gtin.milk)), scan(label('O-1')), scan(itemScan(gtin.milk)), scan(itemScan(gtin.milk))]);
      expect(said(effects[2]!)).toEqual(['ok: order O-1 again from the start: empty the bag and scan its 3 units']);
      expect(events(effects[2]!)).toEqual([]);
      expect(said(effects[4]!)).toEqual(['ok: ok: Whole Milk 1L, 1 unit left']);
      expect(state.order?.items.find((i) => i.sku === 'MILK')?.packed).toBe(2);
    });
    it('the same order scanned again on a failed checkweigh starts its bag over', () => {
      const { effects, state } = run([...allUnits, weight(3290), scan(label('TOTE-7'))]);
      expect(said(effects[5]!)).toEqual(['ok: order O-1 again from the start: empty the bag and scan its 3 units']);
      expect(state.phase).toBe('scanning');
    });
    it('CMD-CANCEL sets the bag aside so another order can be packed', () => {
      const { effects, state } = run([scan(label('TOTE-7')), scan(itemScan(gtin.milk)), scan(label('CMD-CANCEL')), scan(label('O-3'))]);
      expect(said(effects[2]!)).toEqual(['ok: order O-1 set aside, not packed: scan a tote or an order label']);
      expect(said(effects[3]!)).toEqual(['ok: order O-3: scan 1 unit into the bag']);
      expect(state.order?.orderId).toBe('O-3');
    });
    it('an order the OMS cancels mid-bag stops the bag: the packer is told where its units go, and the station is free', () => {
      const { state } = run([scan(label('TOTE-7')), scan(itemScan(gtin.milk))]);
      const { state: after, effects } = cancelPack(state, 'O-1');
      expect(said(effects)).toEqual(['error: order O-1 was cancelled: stop, put its 3 units in the returns tote']);
      expect(events(effects)).toEqual([]);
      expect(after).toMatchObject({ phase: 'idle', order: undefined });
    });
    it('an order this station packed last, cancelled after: the packer takes the bag back; with another bag in progress, the scanner says it and the screen keeps the bag', () => {
      const { state: packed } = run([...allUnits, weight(2260)]);
      const sscc = packed.lastPacked!.ssccs[0];
      const idle = cancelPack(packed, 'O-1');
      expect(said(idle.effects)).toEqual([`error: order O-1 was cancelled after packing: take its bag (SSCC ${sscc}) back and put its 3 units in the returns tote`]);
      expect(idle.effects.some((e) => e.type === 'screen')).toBe(true);
      expect(idle.state.lastPacked).toBeUndefined();
      expect(cancelPack(idle.state, 'O-1')).toEqual({ state: idle.state, effects: [] });

      const { state: busy } = runWorkflow(applyPack, packed, context(), [scan(label('O-3'))]);
      const told = cancelPack(busy, 'O-1');
      expect(said(told.effects)).toHaveLength(1);
      expect(told.effects.some((e) => e.type === 'screen')).toBe(false);
      expect(told.state.order?.orderId).toBe('O-3');
    });
    it('a cancellation of another order leaves the bag in progress alone', () => {
      const { state } = run([scan(label('TOTE-7'))]);
      expect(cancelPack(state, 'O-3')).toEqual({ state, effects: [] });
    });
    it('CMD-CANCEL with no bag in progress is refused', () => {
      const { effects } = run([scan(label('CMD-CANCEL'))]);
      expect(said(effects[0]!)).toEqual(['error: cancel not expected here: no bag is being packed']);
    });
    it('ignores the scale while units are still being scanned', () => {
      const { effects } = run([scan(label('TOTE-7')), weight(2260)]);
      expect(effects[1]).toEqual([]);
    });
  });

  describe('checkweigh', () => {
    it.each([
      ['exactly expected', 2260, true],
      ['at the upper bound', 2328, true],
      ['at the lower bound', 2192, true],
      ['just over', 2329, false],
      ['just under', 2191, false],
      ['a missing item', 1230, false],
      ['an extra item', 3290, false],
    ])('%s (%d g): pass %s', (_name, grams, pass) => {
      const { effects, state } = run([...allUnits, weight(grams)]);
      const types = events(effects[4]!).map((e) => e.type);
      expect(types).toEqual(pass ? ['order.packed', 'label.printed'] : ['verification.failed']);
      expect(state.phase).toBe(pass ? 'idle' : 'failed');
    });

    it('a pass records the weight, allocates an SSCC and prints the label on the station printer', () => {
      const { effects } = run([...allUnits, weight(2281)]);
      const [packed, printed] = events(effects[4]!);
      expect(packed!.data).toEqual({ orderId: 'O-1', bags: 1, weightGrams: 2281 });
      expect(printed!.data).toEqual({ orderId: 'O-1', sscc: '373500530000000019', printer: 'printer-1', station: 'pack-1' });
      const print = effects[4]!.find((e) => e.type === 'command');
      expect(print).toMatchObject({ device: 'printer-1', command: { kind: 'print', format: 'zpl' } });
      const zpl = print && print.type === 'command' && print.command.kind === 'print' ? print.command.document : '';
      expect(zpl).toContain('^FD>;>800373500530000000019^FS');
      expect(zpl).toContain('^FDK7^FS');
      expect(said(effects[4]!)).toEqual(['ok: bag 2.28 kg ok: label printed (SSCC 373500530000000019), stick it on and put the bag on dispatch']);
    });

    it('with the printer offline (out of paper) the bag still passes and the label is queued, and the packer is told it waits and why', () => {
      const { effects } = run([...allUnits, weight(2281)], false, undefined, 'paper out; fix it at the printer');
      expect(events(effects[4]!).map((e) => e.type)).toEqual(['order.packed', 'label.printed']);
      expect(effects[4]!.find((e) => e.type === 'command')).toMatchObject({ device: 'printer-1', command: { kind: 'print' } });
      expect(said(effects[4]!)).toEqual(['ok: bag 2.28 kg ok (SSCC 373500530000000019), but the label waits: printer printer-1: paper out; fix it at the printer; it prints once that is fixed, then stick it on']);
    });

    it.each([
      ['the store\'s template', '^XA^FD{{shortCode}} {{itemCount}} items^FS^FD>;>800{{sscc}}^FS^XZ', '^XA^FDK7 3 items^FS^FD>;>800373500530000000019^FS^XZ'],
      ['the built-in label when the template asks for a field nobody fills', '^XA^FD{{courierName}}^FS^XZ', '^FDK7^FS'],
    ])('prints the bag label from %s', (_name, template, expected) => {
      const { effects } = run([...allUnits, weight(2281)], false, template);
      const print = effects[4]!.find((e) => e.type === 'command');
      const zpl = print && print.type === 'command' && print.command.kind === 'print' ? print.command.document : '';
      expect(zpl).toContain(expected);
    });

    it('a fail says the numbers, and unstable readings are ignored', () => {
      const { effects } = run([...allUnits, weight(900, false), weight(2410)]);
      expect(effects[4]).toEqual([]);
      expect(events(effects[5]!)[0]!.data).toEqual({ station: 'pack-1', orderId: 'O-1', reason: 'pack.weightOutOfTolerance', params: { grams: 2410, expected: 2260, tolerance: 68, delta: 150 } });
      expect(said(effects[5]!)).toEqual(['error: bag weighs 2.41 kg, expected 2.26 +/- 0.07 kg: check the items and weigh again, or a supervisor scans a badge']);
    });

    it('an empty scale (a polled scale reads 0 g until the bag is on it) is no failed check', () => {
      const { effects, state } = run([...allUnits, weight(0), weight(3), weight(2262)]);
      expect(effects[4]).toEqual([]);
      expect(effects[5]).toEqual([]);
      expect(said(effects[6]!)[0]).toMatch(/^ok: bag 2.26 kg ok/);
      expect(state.phase).toBe('idle');
    });

    it('records one failure per distinct weight, then passes on a re-check', () => {
      const { effects } = run([...allUnits, weight(2410), weight(2410), weight(2400), weight(2262)]);
      expect(effects.slice(4).map((e) => events(e).map((x) => x.type))).toEqual([['verification.failed'], [], ['verification.failed'], ['order.packed', 'label.printed']]);
    });

    it('uses the weight measured at picking for a variable-measure item (and its catalog tolerance)', () => {
      const { effects } = run([scan(label('O-4')), scan(itemScan(gtin.cheese)), weight(652)]);
      expect(said(effects[1]!)).toEqual(['ok: put the bag on the scale: expected 0.65 +/- 0.10 kg']);
      expect(events(effects[2]!).map((e) => e.type)).toEqual(['order.packed', 'label.printed']);
    });

    it('an item without a catalog weight cannot pass on its own', () => {
      const { effects } = run([scan(label('O-3')), weight(40)], true);
      expect(events(effects[1]!)[0]!.data).toMatchObject({ reason: 'pack.noWeight' });
      expect(said(effects[1]!)).toEqual(['error: no unit weight in the catalog for Sourdough: a supervisor must override the checkweigh']);
    });
  });

  describe('supervisor override', () => {
    it('a supervisor badge after a failure records the override and passes with the label', () => {
      const { effects, state } = run([...allUnits, weight(2410), scan(label('EMP-SUP-1'))]);
      const evs = events(effects[5]!);
      expect(evs.map((e) => e.type)).toEqual(['verification.overridden', 'order.packed', 'label.printed']);
      expect(evs[0]!.data).toEqual({ station: 'pack-1', orderId: 'O-1', reason: 'pack.weightOutOfTolerance', params: { grams: 2410, expected: 2260, tolerance: 68 }, supervisor: 'SUP-1' });
      expect(evs[0]!.source).toMatchObject({ actor: 'SUP-1' });
      expect(said(effects[5]!)[0]).toMatch(/^ok: override by SUP-1: label printed \(SSCC 3735005300000000\d\d\)$/);
      expect(state.phase).toBe('idle');
    });
    it('a badge that is not a supervisor\'s is refused and recorded', () => {
      const { effects, state } = run([...allUnits, weight(2410), scan(label('EMP-42'))]);
      expect(events(effects[5]!)[0]!.data).toMatchObject({ reason: 'pack.notSupervisor', params: { badge: '42' } });
      expect(state.phase).toBe('failed');
    });
    it('a badge without a failed checkweigh is not an override', () => {
      const { effects } = run([...allUnits, scan(label('EMP-SUP-1'))]);
      expect(said(effects[4]!)).toEqual(['error: badge not expected here: a badge overrides a failed checkweigh only']);
    });
  });

  describe('an order in several bags', () => {
    const nextBag = scan(label('CMD-NEXTBAG'));
    const printed = (effects: Effect[]) => {
      const print = effects.find((e) => e.type === 'command');
      return print && print.type === 'command' && print.command.kind === 'print' ? print.command.document : '';
    };
    // Bag 1: one milk (1030 + 40 packaging = 1070 g, tolerance 50); bag 2: milk and yoghurt (1230 g).
    // The packer takes bag 1 off the scale (it reads 0) before bag 2 goes on.
    const twoBags = [scan(label('TOTE-7')), scan(itemScan(gtin.milk)), nextBag, weight(1080), weight(0), scan(itemScan(gtin.yog)), scan(itemScan(gtin.milk)), weight(1230)];

    it('CMD-NEXTBAG weighs the bag filled so far on its own; when it passes it gets its label and the rest goes in the next bag', () => {
      const { effects, state } = run(twoBags);
      expect(said(effects[2]!)).toEqual(['ok: put bag 1 on the scale: expected 1.07 +/- 0.05 kg']);
      const [bagPacked, label1] = events(effects[3]!);
      expect(bagPacked).toMatchObject({ type: 'bag.packed', data: { orderId: 'O-1', bag: 1, sscc: '373500530000000019', items: [{ sku: 'MILK', qty: 1 }], weightGrams: 1080 } });
      expect(label1).toMatchObject({ type: 'label.printed', data: { orderId: 'O-1', sscc: '373500530000000019', bag: 1 } });
      expect(printed(effects[3]!)).toContain('order O-1  bag 1  1.08 kg');
      expect(said(effects[3]!)).toEqual(['ok: bag 1 1.08 kg ok: label printed (SSCC 373500530000000019), stick it on; scan the other 2 units into bag 2']);
      expect(said(effects[6]!)).toEqual(['ok: put bag 2 on the scale: expected 1.23 +/- 0.05 kg']);
      const [orderPacked, label2] = events(effects[7]!);
      expect(orderPacked).toMatchObject({ type: 'order.packed', data: { orderId: 'O-1', bags: 2, weightGrams: 2310 } });
      expect(label2).toMatchObject({ type: 'label.printed', data: { sscc: '373500530000000026', bag: 2 } });
      expect(said(effects[7]!)).toEqual(['ok: bag 2 1.23 kg ok: label printed (SSCC 373500530000000026), stick it on; order O-1 is packed in 2 bags: put them all on dispatch']);
      expect(state).toMatchObject({ phase: 'idle', lastPacked: { orderId: 'O-1', ssccs: ['373500530000000019', '373500530000000026'], units: 3 } });
      expect(said(cancelPack(state, 'O-1').effects)).toEqual([
        'error: order O-1 was cancelled after packing: take its 2 bags (SSCC 373500530000000019, 373500530000000026) back and put its 3 units in the returns tote',
      ]);
    });

    it('bag 1 left on the scale does not pass as bag 2: a reading counts once the pan was empty or the load moved', () => {
      // Two milks, one per bag: both bags weigh 1070 g, and the scale keeps reporting bag 1.
      const order = [scan(label('O-6')), scan(itemScan(gtin.milk)), nextBag, weight(1072), scan(itemScan(gtin.milk))];
      const still = run([...order, weight(1072), weight(1072)]);
      expect(still.effects.slice(5).flatMap((e) => events(e))).toEqual([]);
      expect(still.state.phase).toBe('weighing');
      const lifted = run([...order, weight(1072), weight(1300, false), weight(1071)]);
      expect(events(lifted.effects[7]!)[0]).toMatchObject({ type: 'order.packed', data: { bags: 2, weightGrams: 2143 } });
      // A polled scale that missed the empty pan: another weight is another load, and it counts.
      const missed = run([scan(label('TOTE-7')), scan(itemScan(gtin.milk)), nextBag, weight(1080), scan(itemScan(gtin.yog)), scan(itemScan(gtin.milk)), weight(1230)]);
      expect(events(missed.effects[6]!)[0]).toMatchObject({ type: 'order.packed', data: { bags: 2, weightGrams: 2310 } });
    });

    it('an empty bag cannot be closed, nor one at a station that trusts the pick', () => {
      expect(said(run([scan(label('TOTE-7')), nextBag]).effects[1]!)).toEqual(['error: bag 1 is empty: scan units into it first, then CMD-NEXTBAG']);
      expect(said(run(twoBags.slice(0, 4).concat(nextBag)).effects[4]!)).toEqual(['error: bag 2 is empty: scan units into it first, then CMD-NEXTBAG']);
      expect(said(run([nextBag], true).effects[0]!)).toEqual(['error: next bag not expected here: scan a tote or an order label first']);
    });

    it('a bag that fails is fixed and weighed again, or a supervisor overrides it, as a one-bag order', () => {
      const { effects } = run([scan(label('TOTE-7')), scan(itemScan(gtin.milk)), nextBag, weight(1300), scan(label('EMP-SUP-1'))]);
      expect(events(effects[3]!)[0]!.data).toMatchObject({ reason: 'pack.weightOutOfTolerance', params: { grams: 1300, expected: 1070, tolerance: 50 } });
      expect(events(effects[4]!).map((e) => e.type)).toEqual(['verification.overridden', 'bag.packed', 'label.printed']);
      // The audit names the bag that was overridden.
      expect(events(effects[4]!)[0]!.data).toMatchObject({ supervisor: 'SUP-1', bag: 1, params: { grams: 1300, expected: 1070 } });
      expect(said(effects[4]!)).toEqual(['ok: bag 1: override by SUP-1: label printed (SSCC 373500530000000019), stick it on; scan the other 2 units into bag 2']);
    });

    it('after a restart the bags that passed stay passed: only the rest is packed, into the next bag', () => {
      const withBag = { ...orders['O-1']!, bags: [{ bag: 1, sscc: '373500530000000019', items: [{ sku: 'MILK', qty: 1 }], weightGrams: 1080 }] };
      const ctx = { ...context(), findOrder: (id: string) => (id === 'TOTE-7' || id === '7' ? withBag : undefined) };
      const state = initialPackState({ station: 'pack-1', scanner: 'scanner-2', scale: 'scale-1', printer: 'printer-1', trustPick: false });
      const { effects } = runWorkflow(applyPack, state, ctx, [scan(label('TOTE-7')), scan(itemScan(gtin.milk)), scan(itemScan(gtin.milk)), scan(itemScan(gtin.yog)), weight(1230), scan(label('TOTE-7'))]);
      expect(said(effects[0]!)).toEqual(['ok: order O-1: 1 bag packed already; scan the other 2 units into bag 2']);
      expect(said(effects[2]!)).toEqual(['error: already packed all 2 x Whole Milk 1L; take the extra out']);
      expect(said(effects[3]!)).toEqual(['ok: put bag 2 on the scale: expected 1.23 +/- 0.05 kg']);
      expect(events(effects[4]!)[0]).toMatchObject({ type: 'order.packed', data: { bags: 2, weightGrams: 2310 } });
    });

    it('a variable-measure item split over bags: each bag expects the weights on its units\' labels', () => {
      const { effects } = run([scan(label('O-5')), scan(cheeseLabel(300)), nextBag, weight(345), weight(0), scan(cheeseLabel(700)), weight(735)]);
      expect(said(effects[2]!)).toEqual(['ok: put bag 1 on the scale: expected 0.34 +/- 0.10 kg']);
      expect(events(effects[3]!)[0]).toMatchObject({ type: 'bag.packed', data: { items: [{ sku: 'CHEESE', qty: 1, grams: 300 }], weightGrams: 345 } });
      expect(said(effects[5]!)).toEqual(['ok: put bag 2 on the scale: expected 0.74 +/- 0.10 kg']);
      expect(events(effects[6]!)[0]).toMatchObject({ type: 'order.packed', data: { bags: 2, weightGrams: 1080 } });
      // A label without its weight: the bag expects its share of what was weighed at picking.
      expect(said(run([scan(label('O-5')), scan(itemScan(gtin.cheese)), nextBag]).effects[2]!)).toEqual(['ok: put bag 1 on the scale: expected 0.54 +/- 0.10 kg']);
    });

    it('cancelled or set aside with bags passed: the packer hears which bags are packed already', () => {
      const afterBag1 = [scan(label('TOTE-7')), scan(itemScan(gtin.milk)), nextBag, weight(1080), scan(itemScan(gtin.yog))];
      const { state } = run(afterBag1);
      expect(said(cancelPack(state, 'O-1').effects)).toEqual(['error: order O-1 was cancelled: stop, take back its 1 bag packed already (SSCC 373500530000000019) and put all its 3 units in the returns tote']);
      expect(said(run([...afterBag1, scan(label('CMD-CANCEL'))]).effects[5]!)).toEqual(['ok: order O-1 set aside: 1 bag packed, the rest not yet: scan a tote or an order label']);
      expect(said(run([scan(label('TOTE-7')), scan(itemScan(gtin.milk)), nextBag, nextBag]).effects[3]!)).toEqual(['error: next bag not expected here: the bag is on the scale; to repack it, scan the order again']);
    });

    it.each([
      ['one bag', 'O-6', false, [scan(label('O-6')), scan(itemScan(gtin.milk)), scan(itemScan(gtin.milk)), weight(2104.6)]],
      ['two bags, each scanned', 'O-1', false, [scan(label('TOTE-7')), scan(itemScan(gtin.milk)), nextBag, weight(1080), weight(0), scan(itemScan(gtin.yog)), scan(itemScan(gtin.milk)), weight(1234.6)]],
      ['three bags weighed together', 'O-1', true, [scan(label('TOTE-7')), nextBag, nextBag, weight(2350)]],
    ])('%s: the label printed is the one lost-label recovery rebuilds from the events recorded', (_name, orderId, trust, inputs) => {
      const { effects } = run(inputs, trust);
      const recorded = effects.flatMap(events);
      const printed = effects.flat().flatMap((e) => (e.type === 'command' && e.command.kind === 'print' ? [e.command.document] : []));
      const passed = recorded.filter((e) => e.type === 'bag.packed').map((e) => e.data as PassedBag);
      const packed = recorded.find((e) => e.type === 'order.packed')?.data as { bags?: number; weightGrams?: number } | undefined;
      const order = orders[orderId]!;
      const rebuilt = recorded
        .filter((e) => e.type === 'label.printed')
        .map((e) => {
          const { sscc, bag } = e.data as { sscc: string; bag?: number };
          const fields = bagLabelFields({ sscc, ...(bag !== undefined ? { bag } : {}), ...(packed ? { packed } : {}), passed, orderUnits: order.items.reduce((n, i) => n + i.qty, 0) });
          return bagLabelDocument({ orderId: order.orderId, ...(order.shortCode ? { shortCode: order.shortCode } : {}), sscc, ...fields }, context());
        });
      expect(printed.length).toBeGreaterThan(0);
      expect(rebuilt).toEqual(printed);
    });

    describe('at a station that trusts the pick: the bags are weighed together', () => {
      // 2 milk + 1 yoghurt = 2220 g; with 3 bags' packaging 2340 g, tolerance max(50, 3 % = 70.2, catalog 5) = 70 g.
      const threeBags = [scan(label('TOTE-7')), nextBag, nextBag];

      it('CMD-NEXTBAG adds a bag and its packaging; they pass together, each gets its own label "bag N of 3", and the order is packed in 3 bags', () => {
        const { effects, state } = run([...threeBags, weight(2350)], true);
        expect(said(effects[1]!)).toEqual(['ok: order O-1 in 2 bags: put all 2 on the scale together: expected 2.30 +/- 0.07 kg']);
        expect(said(effects[2]!)).toEqual(['ok: order O-1 in 3 bags: put all 3 on the scale together: expected 2.34 +/- 0.07 kg']);
        const recorded = events(effects[3]!);
        expect(recorded.map((e) => e.type)).toEqual(['order.packed', 'label.printed', 'label.printed', 'label.printed']);
        expect(recorded[0]!.data).toEqual({ orderId: 'O-1', bags: 3, weightGrams: 2350 });
        expect(recorded.slice(1).map((e) => e.data)).toEqual([1, 2, 3].map((bag, k) => ({ orderId: 'O-1', sscc: `37350053000000${['0019', '0026', '0033'][k]}`, printer: 'printer-1', station: 'pack-1', bag })));
        const prints = effects[3]!.filter((e) => e.type === 'command').map((e) => (e.type === 'command' && e.command.kind === 'print' ? e.command.document : ''));
        expect(prints).toHaveLength(3);
        expect(prints[1]).toContain('order O-1  bag 2 of 3  2.35 kg all bags');
        expect(prints[1]).toContain('>;>800373500530000000026');
        expect(said(effects[3]!)).toEqual([
          'ok: 3 bags 2.35 kg ok: labels printed (SSCC 373500530000000019, 373500530000000026, 373500530000000033), stick one on each bag; order O-1: put all 3 bags on dispatch',
        ]);
        expect(state).toMatchObject({ phase: 'idle', lastPacked: { ssccs: ['373500530000000019', '373500530000000026', '373500530000000033'], units: 3 } });
      });

      it('the bags counted as one fail (three bags\' packaging), and pass once the packer scans the bags they used', () => {
        const { effects } = run([scan(label('TOTE-7')), weight(2350), nextBag, nextBag, weight(2350)], true);
        expect(events(effects[1]!)[0]!.data).toMatchObject({ reason: 'pack.weightOutOfTolerance', params: { grams: 2350, expected: 2260, tolerance: 68 } });
        expect(said(effects[3]!)).toEqual(['ok: order O-1 in 3 bags: put all 3 on the scale together: expected 2.34 +/- 0.07 kg']);
        expect(events(effects[4]!)[0]).toMatchObject({ type: 'order.packed', data: { bags: 3, weightGrams: 2350 } });
      });

      it('an override of bags weighed together is audited with how many, and prints every label', () => {
        const { effects } = run([...threeBags, weight(2600), scan(label('EMP-SUP-1'))], true);
        const recorded = events(effects[4]!);
        expect(recorded[0]).toMatchObject({ type: 'verification.overridden', data: { supervisor: 'SUP-1', bag: 1, bags: 3, params: { grams: 2600, expected: 2340, tolerance: 70 } } });
        expect(recorded.map((e) => e.type)).toEqual(['verification.overridden', 'order.packed', 'label.printed', 'label.printed', 'label.printed']);
        expect(said(effects[4]!)[0]).toMatch(/^ok: 3 bags: override by SUP-1: labels printed \(SSCC .*\), stick one on each bag/);
      });

      it('an order with a bag passed already (set aside, or packed before a restart at a station that scanned): bags 2 and 3 are weighed together, the order has 3', () => {
        // Bag 1 (1 milk, 1080 g) passed elsewhere; 1 milk + 1 yoghurt + 2 packagings = 1270 g here, 2350 g the order.
        const withBag = { ...orders['O-1']!, bags: [{ bag: 1, sscc: '373500530000000095', items: [{ sku: 'MILK', qty: 1 }], weightGrams: 1080 }] };
        const ctx = { ...context(), findOrder: (id: string) => (id === 'TOTE-7' || id === '7' ? withBag : undefined) };
        const state = initialPackState({ station: 'pack-1', scanner: 'scanner-2', scale: 'scale-1', printer: 'printer-1', trustPick: true });
        const { effects } = runWorkflow(applyPack, state, ctx, [scan(label('TOTE-7')), nextBag, weight(1270)]);
        expect(said(effects[1]!)).toEqual(['ok: order O-1 in 3 bags: put bags 2 to 3 on the scale together: expected 1.27 +/- 0.05 kg']);
        expect(events(effects[2]!)[0]).toMatchObject({ type: 'order.packed', data: { bags: 3, weightGrams: 2350 } });
        expect(said(effects[2]!)).toEqual([
          'ok: 2 bags 1.27 kg ok: labels printed (SSCC 373500530000000019, 373500530000000026), stick one on each bag; order O-1: put all 3 bags on dispatch',
        ]);
        // Each label says what the docs promise: the order's weight and units, of all its bags.
        const prints = effects[2]!.filter((e) => e.type === 'command').map((e) => (e.type === 'command' && e.command.kind === 'print' ? e.command.document : ''));
        expect(prints[0]).toContain('order O-1  bag 2 of 3  2.35 kg all bags');
      });

      it('the bags of the order before, still on the scale, do not pass as the next order\'s', () => {
        // The bags of O-1 (2250 g) stay on the scale while O-6 (2100 g) is loaded: that reading is neither O-6's pass nor its failure.
        const packed = [scan(label('TOTE-7')), weight(2250), scan(label('O-6'))];
        const still = run([...packed, weight(2250), weight(2250)], true);
        expect(still.effects.slice(3).flatMap((e) => events(e))).toEqual([]);
        const lifted = run([...packed, weight(0), weight(2120)], true);
        expect(events(lifted.effects[4]!)[0]).toMatchObject({ type: 'order.packed', data: { orderId: 'O-6', weightGrams: 2120 } });
      });
    });

    it('the same order scanned again mid-bag starts only that bag over', () => {
      const { effects, state } = run([...twoBags.slice(0, 5), scan(label('TOTE-7'))]);
      expect(said(effects[5]!)).toEqual(['ok: order O-1: 1 bag packed already; scan the other 2 units into bag 2']);
      expect(state.order).toMatchObject({ bag: 2, items: [{ sku: 'MILK', packed: 1, bagged: 1 }, { sku: 'YOG', packed: 0, bagged: 0 }] });
    });
  });
});
