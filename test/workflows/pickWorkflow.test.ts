import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../gateway/messages/messages.ts';
import { applyPick, initialPickState, type PickInput, type PickLine, type PickState } from '../../gateway/workflows/pickWorkflow.ts';
import type { Effect } from '../../gateway/workflows/types.ts';
import { catalog, gtin, itemScan, label, today, events, runWorkflow } from './fixtures.ts';

const ctx = { catalog, today };
const pickLine = (over: Partial<PickLine>): PickLine => ({ line: 1, sku: 'MILK', name: 'Whole Milk 1L', qty: 2, picked: 0, short: 0, substitutes: [], ...over });
const order = {
  orderId: 'O-1',
  lines: [
    pickLine({ line: 1, bin: 'A-02', lot: 'L1', lotExpiry: '2026-12-20', light: { device: 'lights', address: 2 } }),
    pickLine({ line: 2, sku: 'YOG', name: 'Yoghurt 150g', qty: 1, bin: 'A-01', lot: 'Y1', light: { device: 'lights', address: 1 } }),
  ],
};

function run(inputs: PickInput[], requireBinScan = false): { state: PickState; effects: Effect[][] } {
  const state = initialPickState({ station: 'pick-1', scanner: 'scanner-1', requireBinScan });
  return runWorkflow(applyPick, state, ctx, inputs);
}
const scan = (barcode: ReturnType<typeof label>): PickInput => ({ kind: 'scan', device: 'scanner-1', barcode });
const assign: PickInput = { kind: 'assign', order };
const feedbackText = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'feedback' ? [`${e.result}: ${renderMessage(e.message)}`] : []));
const lightsOf = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'command' && e.command.kind === 'light' ? [e.command] : []));

describe('pick workflow', () => {
  it('lights every bin of an assigned order with its quantity, in walking order, the first blinking', () => {
    const { effects } = run([assign]);
    expect(lightsOf(effects[0]!)).toEqual([
      { kind: 'light', address: 1, color: 'green', blink: true, text: '1' },
      { kind: 'light', address: 2, color: 'green', blink: false, text: '2' },
    ]);
    const screen = effects[0]!.find((e) => e.type === 'screen');
    expect(screen && renderMessage(screen.screen.message)).toBe('pick 1 x Yoghurt 150g from bin A-01');
  });

  it('records a good scan as stock.picked with the planned lot and moves to the next bin', () => {
    const { effects, state } = run([assign, scan(itemScan(gtin.yog))]);
    expect(events(effects[1]!)).toEqual([
      { type: 'stock.picked', data: { sku: 'YOG', bin: 'A-01', lot: 'Y1', qty: 1, orderId: 'O-1', line: 2, gtin: gtin.yog }, source: { station: 'pick-1', device: 'scanner-1', orderId: 'O-1' } },
    ]);
    expect(feedbackText(effects[1]!)).toEqual(['ok: ok: Yoghurt 150g, 1 of 1']);
    expect(lightsOf(effects[1]!)).toEqual([
      { kind: 'light', address: 1, color: 'off' },
      { kind: 'light', address: 2, color: 'green', blink: true, text: '2' },
    ]);
    expect(state.order?.lines.find((l) => l.line === 2)?.picked).toBe(1);
  });

  it('uses the lot on the barcode when there is one', () => {
    const { effects } = run([assign, scan(itemScan(gtin.yog, { lot: 'Y7', expiry: '2026-12-31' }))]);
    expect(events(effects[1]!)[0]!.data).toMatchObject({ lot: 'Y7' });
  });

  it('refuses a wrong item: verification.failed, red light, the reason on the scanner, nothing picked', () => {
    const { effects, state } = run([assign, scan(itemScan(gtin.oat))]);
    expect(events(effects[1]!)).toEqual([
      {
        type: 'verification.failed',
        data: { station: 'pick-1', orderId: 'O-1', reason: 'pick.wrongItem', params: expect.objectContaining({ scanned: 'Oat Milk 1L', expected: 'Yoghurt 150g' }) },
        source: { station: 'pick-1', device: 'scanner-1', orderId: 'O-1' },
      },
    ]);
    expect(feedbackText(effects[1]!)).toEqual(['error: wrong item: scanned Oat Milk 1L, expected Yoghurt 150g']);
    expect(lightsOf(effects[1]!)).toEqual([{ kind: 'light', address: 1, color: 'red', blink: true, text: '1' }]);
    expect(state.order?.lines.every((l) => l.picked === 0)).toBe(true);
  });

  it('records order.picked with the tote after the last line', () => {
    const { effects, state } = run([assign, scan(label('TOTE-9')), scan(itemScan(gtin.yog)), scan(itemScan(gtin.milk)), scan(itemScan(gtin.milk))]);
    expect(events(effects[4]!).map((e) => e.type)).toEqual(['stock.picked', 'order.picked']);
    expect(events(effects[4]!)[1]!.data).toEqual({ orderId: 'O-1', station: 'pick-1', tote: '9' });
    expect(state.order).toBeUndefined();
  });

  it('checks the lot expiry from stock when the barcode has none (the line\'s planned lot)', () => {
    const expiredPlan = { ...order, lines: [pickLine({ bin: 'A-02', lot: 'L0', lotExpiry: '2026-11-01' })] };
    const { effects } = run([{ kind: 'assign', order: expiredPlan }, scan(itemScan(gtin.milk))]);
    expect(events(effects[1]!)[0]!.data).toMatchObject({ reason: 'pick.expired', params: { expiry: '2026-11-01' } });
  });

  describe('bin scan required', () => {
    it('refuses an item before the bin', () => {
      const { effects } = run([assign, scan(itemScan(gtin.yog))], true);
      expect(events(effects[1]!)[0]!.data).toMatchObject({ reason: 'pick.scanBin', params: { bin: 'A-01' } });
    });
    it('refuses the wrong bin with both ids', () => {
      const { effects } = run([assign, scan(label('BIN-A-02'))], true);
      expect(feedbackText(effects[1]!)).toEqual(['error: wrong bin: scanned A-02, expected A-01']);
    });
    it('accepts the item after the right bin, and asks for the next bin after the line', () => {
      const { effects, state } = run([assign, scan(label('BIN-A-01')), scan(itemScan(gtin.yog))], true);
      expect(feedbackText(effects[1]!)).toEqual(['ok: bin A-01 ok: now scan Yoghurt 150g']);
      expect(events(effects[2]!).map((e) => e.type)).toEqual(['stock.picked']);
      expect(state.order?.binConfirmed).toBe(false);
      const screen = effects[2]!.find((e) => e.type === 'screen');
      expect(screen && renderMessage(screen.screen.message)).toBe('scan bin A-02 first, then Whole Milk 1L');
    });
  });

  describe('short picks', () => {
    it.each([
      ['the light\'s short button', { kind: 'button', device: 'lights', button: 'short' } as PickInput],
      ['the CMD-SHORT barcode', scan(label('CMD-SHORT'))],
    ])('by %s: stock.short for what is missing and a count task for the bin', (_name, input) => {
      const { effects } = run([assign, scan(itemScan(gtin.yog)), scan(itemScan(gtin.milk)), input]);
      expect(events(effects[3]!)).toEqual([
        { type: 'stock.short', data: { sku: 'MILK', bin: 'A-02', qty: 1, orderId: 'O-1', line: 1, reason: 'not in bin' }, source: expect.anything() },
        { type: 'task.created', data: { taskId: 'count-O-1-1', kind: 'count', sku: 'MILK', bin: 'A-02', reason: 'short pick', orderId: 'O-1' }, source: expect.anything() },
        { type: 'order.picked', data: { orderId: 'O-1', station: 'pick-1' }, source: expect.anything() },
      ]);
      expect(feedbackText(effects[3]!)).toEqual(['ok: short: 1 x Whole Milk 1L missing at bin A-02; recorded, a count is scheduled']);
    });

    it('a line without stock has no bin and no count task', () => {
      const noStock = { orderId: 'O-2', lines: [pickLine({})] };
      const { effects } = run([{ kind: 'assign', order: noStock }, scan(label('CMD-SHORT'))]);
      expect(events(effects[1]!).map((e) => e.type)).toEqual(['stock.short', 'order.picked']);
    });
  });

  describe('quantity keys', () => {
    it('plus repeats the last verified scan for one more unit', () => {
      const { effects } = run([assign, scan(itemScan(gtin.yog)), scan(itemScan(gtin.milk)), { kind: 'button', device: 'lights', button: 'plus' }]);
      expect(events(effects[3]!).map((e) => e.type)).toEqual(['stock.picked', 'order.picked']);
    });
    it('confirm picks the rest of the line at once', () => {
      const big = { orderId: 'O-3', lines: [pickLine({ qty: 6, bin: 'A-02' })] };
      const { effects } = run([{ kind: 'assign', order: big }, scan(itemScan(gtin.milk)), { kind: 'button', device: 'lights', button: 'confirm' }]);
      expect(events(effects[2]!)[0]!.data).toMatchObject({ qty: 5 });
    });
    it('does nothing before a verified scan of the line', () => {
      const { effects } = run([assign, { kind: 'button', device: 'lights', button: 'plus' }]);
      expect(effects[1]).toEqual([]);
    });
  });

  describe('substitutes', () => {
    it('records the substitute SKU with the SKU it replaces', () => {
      const sub = { orderId: 'O-4', lines: [pickLine({ qty: 1, bin: 'A-02', substitutes: ['MILK-LF'] })] };
      const { effects } = run([{ kind: 'assign', order: sub }, scan(itemScan(gtin.lactoseFree))]);
      expect(events(effects[1]!)[0]!.data).toMatchObject({ sku: 'MILK-LF', substituteFor: 'MILK', line: 1 });
    });
  });

  describe('cancellation', () => {
    it('turns the lights off and tells the picker to put the units already picked in the returns tote', () => {
      const { effects, state } = run([assign, scan(itemScan(gtin.yog)), { kind: 'cancel', orderId: 'O-1' }]);
      expect(lightsOf(effects[2]!).map((l) => [l.address, l.color])).toEqual([[1, 'off'], [2, 'off']]);
      // The putaway tasks come from the gateway's shell, from the log's stock.picked (test/e2e/receivingAndCancel.test.ts).
      expect(events(effects[2]!)).toEqual([]);
      expect(feedbackText(effects[2]!)).toEqual(['error: order O-1 was cancelled: stop, put the 1 picked unit in the returns tote']);
      expect(state.order).toBeUndefined();
    });
    it('an order finished here just before its cancellation: the picker takes its tote back', () => {
      const one = { orderId: 'O-5', tote: '9', lines: [pickLine({ line: 1, sku: 'YOG', name: 'Yoghurt 150g', qty: 1, bin: 'A-01', lot: 'Y1' })] };
      const { effects, state } = run([{ kind: 'assign', order: one }, scan(itemScan(gtin.yog)), { kind: 'cancel', orderId: 'O-5' }, { kind: 'cancel', orderId: 'O-5' }]);
      expect(events(effects[1]!).map((e) => e.type)).toEqual(['stock.picked', 'order.picked']);
      expect(feedbackText(effects[2]!)).toEqual(['error: order O-5 was cancelled just after picking: take tote 9 back and put its 1 unit in the returns tote']);
      // Its return task comes from the gateway, as for any order past picking; a second notice changes nothing.
      expect(events(effects[2]!)).toEqual([]);
      expect(effects[3]).toEqual([]);
      expect(state.lastPicked).toBeUndefined();
    });
    it('with units picked, the cancellation stays on the screen above the next order until the picker\'s next scan', () => {
      const notice = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'screen' ? [e.screen.notice ? renderMessage(e.screen.notice) : null] : []));
      const next = { orderId: 'O-2', lines: [pickLine({ line: 1, sku: 'YOG', name: 'Yoghurt 150g', qty: 1, bin: 'A-01' })] };
      const { effects } = run([assign, scan(itemScan(gtin.yog)), { kind: 'cancel', orderId: 'O-1' }, { kind: 'assign', order: next }, scan(itemScan(gtin.yog))]);
      const told = 'order O-1 was cancelled: stop, put the 1 picked unit in the returns tote';
      // Until the next order comes the cancellation is the screen's text (not also a notice above it).
      expect(notice(effects[2]!)).toEqual([null]);
      expect(notice(effects[3]!)).toEqual([told]);
      expect(effects[3]!.find((e) => e.type === 'screen')).toMatchObject({ screen: { orderId: 'O-2' } });
      expect(notice(effects[4]!)).toEqual([null]);
      // Nothing picked: nothing to put back, no notice.
      expect(notice(run([assign, { kind: 'cancel', orderId: 'O-1' }]).effects[1]!)).toEqual([null]);
    });
    it('a scan in flight as the cancellation came, answered at an idle station, leaves the notice for the next order', () => {
      // The station takes the next order once the cancellation's effects are out: a scan sent
      // before the picker saw anything is queued ahead of that assignment.
      const next = { orderId: 'O-2', lines: [pickLine({ line: 1, sku: 'YOG', name: 'Yoghurt 150g', qty: 1, bin: 'A-01' })] };
      const { effects } = run([assign, scan(itemScan(gtin.yog)), { kind: 'cancel', orderId: 'O-1' }, scan(itemScan(gtin.milk)), { kind: 'assign', order: next }]);
      const shown = effects[4]!.find((e) => e.type === 'screen');
      expect(shown).toMatchObject({ screen: { orderId: 'O-2' } });
      expect(shown?.type === 'screen' && shown.screen.notice && renderMessage(shown.screen.notice)).toBe('order O-1 was cancelled: stop, put the 1 picked unit in the returns tote');
    });
    it('with no next order the cancellation is the screen\'s text, not also a notice above it', () => {
      const shown = run([assign, scan(itemScan(gtin.yog)), { kind: 'cancel', orderId: 'O-1' }]).effects[2]!.find((e) => e.type === 'screen');
      expect(shown?.type === 'screen' && renderMessage(shown.screen.message)).toBe('order O-1 was cancelled: stop, put the 1 picked unit in the returns tote');
      expect(shown?.type === 'screen' && shown.screen.notice).toBeUndefined();
    });
    it('an order cancelled before any unit was picked: nothing to put back, no "0 picked units"', () => {
      const { effects } = run([assign, { kind: 'cancel', orderId: 'O-1' }]);
      expect(feedbackText(effects[1]!)).toEqual(['error: order O-1 was cancelled: stop, nothing was picked for it']);
    });
    it('an order finished just before its cancellation, with the next one on the screen: the notice goes above it', () => {
      const one = { orderId: 'O-5', tote: '9', lines: [pickLine({ line: 1, sku: 'YOG', name: 'Yoghurt 150g', qty: 1, bin: 'A-01', lot: 'Y1' })] };
      const { effects } = run([{ kind: 'assign', order: one }, scan(itemScan(gtin.yog)), assign, { kind: 'cancel', orderId: 'O-5' }]);
      const shown = effects[3]!.find((e) => e.type === 'screen');
      expect(shown).toMatchObject({ screen: { orderId: 'O-1' } });
      expect(shown?.type === 'screen' && shown.screen.notice && renderMessage(shown.screen.notice)).toBe('order O-5 was cancelled just after picking: take tote 9 back and put its 1 unit in the returns tote');
    });
    it('ignores the cancellation of another order', () => {
      const { effects, state } = run([assign, { kind: 'cancel', orderId: 'O-9' }]);
      expect(effects[1]).toEqual([]);
      expect(state.order?.orderId).toBe('O-1');
    });
  });

  describe('scans that are not items', () => {
    it.each([
      ['a staff badge', 'EMP-42', 'that is a badge label, not an item: scan Yoghurt 150g'],
      ['a bag label', 'BAG-1', 'that is a bag label, not an item: scan Yoghurt 150g'],
      ['free text', 'hello', 'that is a non-item label, not an item: scan Yoghurt 150g'],
    ])('%s is refused', (_name, text, message) => {
      const { effects } = run([assign, scan(label(text))]);
      expect(feedbackText(effects[1]!)).toEqual([`error: ${message}`]);
    });
    it('an unreadable scan is recorded with the decoder\'s reason', () => {
      const { effects } = run([assign, { kind: 'unreadable', device: 'scanner-1', detail: 'position 19, AI 01: GTIN check digit is 4, expected 3' }]);
      expect(events(effects[1]!)[0]!.data).toMatchObject({ reason: 'scan.unreadable' });
      expect(feedbackText(effects[1]!)[0]).toMatch(/^error: unreadable barcode: position 19/);
    });
    it('a scan with no order tells the picker to wait', () => {
      const { effects } = run([scan(itemScan(gtin.milk))]);
      expect(feedbackText(effects[0]!)).toEqual(['error: no order: waiting for the next one']);
      expect(events(effects[0]!)).toEqual([]);
    });
  });

  it('is pure: the same inputs give the same effects and the old state is not changed', () => {
    const s0 = initialPickState({ station: 'pick-1', scanner: 'scanner-1', requireBinScan: false });
    const a = applyPick(s0, assign, ctx);
    const frozen = JSON.stringify(a.state);
    const b1 = applyPick(a.state, scan(itemScan(gtin.yog)), ctx);
    const b2 = applyPick(a.state, scan(itemScan(gtin.yog)), ctx);
    expect(b1).toEqual(b2);
    expect(JSON.stringify(a.state)).toBe(frozen);
  });
});
