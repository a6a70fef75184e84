import { describe, expect, it } from 'vitest';
import { decodeBarcode } from '../../devices/barcode/index.ts';
import { applyDispatch, cancelDispatch, initialDispatchState, type DispatchState } from '../../gateway/workflows/dispatchWorkflow.ts';
import type { Effect, StationInput } from '../../gateway/workflows/types.ts';
import type { BagAtDispatch } from '../../gateway/workflows/replicaViews.ts';
import { label, events, said, runWorkflow } from './fixtures.ts';

const sscc = '373500530000000019';
const bags: Record<string, { orderId: string; status: string; sscc?: string }> = {
  [sscc]: { orderId: 'O-1', status: 'packed', sscc },
  'O-1': { orderId: 'O-1', status: 'packed' },
  'O-2': { orderId: 'O-2', status: 'picked' },
  'O-3': { orderId: 'O-3', status: 'dispatched' },
  'O-4': { orderId: 'O-4', status: 'cancelled' },
};
const ctx = { findBag: (id: string) => bags[id] };

function run(inputs: StationInput[]): { state: DispatchState; effects: Effect[][] } {
  const state = initialDispatchState({ station: 'dispatch-1', scanner: 'scanner-3', sensor: 'eye-1' });
  return runWorkflow(applyDispatch, state, ctx, inputs);
}
const scan = (text: string): StationInput => ({ kind: 'scan', device: 'scanner-3', barcode: text.startsWith(']') ? decodeBarcode(text) : label(text) });
const sensor = (state: 'blocked' | 'clear'): StationInput => ({ kind: 'sensor', device: 'eye-1', state });

describe('dispatch workflow', () => {
  it.each([
    ['the SSCC on the bag label, then the sensor', [scan(`]C100${sscc}`), sensor('blocked')], { orderId: 'O-1', sscc }],
    ['BAG-{order}, then the sensor', [scan('BAG-O-1'), sensor('blocked')], { orderId: 'O-1' }],
    ['the same label scanned twice', [scan(`]C100${sscc}`), scan(`]C100${sscc}`)], { orderId: 'O-1', sscc }],
    ['a courier badge first', [scan('EMP-C9'), scan(`]C100${sscc}`), sensor('blocked')], { orderId: 'O-1', sscc, courier: 'C9' }],
  ])('confirms order.dispatched by %s', (_name, inputs, data) => {
    const { effects } = run(inputs);
    const last = effects[effects.length - 1]!;
    expect(events(last)).toEqual([{ type: 'order.dispatched', data, source: expect.objectContaining({ station: 'dispatch-1', orderId: 'O-1' }) }]);
    expect(said(last)[0]).toMatch(/^ok: order O-1 dispatched/);
  });

  it('the sensor without a scanned bag does nothing, nor does it clearing', () => {
    const { effects } = run([sensor('blocked'), scan(`]C100${sscc}`), sensor('clear')]);
    expect(effects[0]).toEqual([]);
    expect(effects[2]).toEqual([]);
  });

  it.each([
    ['an unknown label', 'BAG-X-9', 'dispatch.unknownBag', 'error: no packed bag with label X-9: reprint the label at packing'],
    ['an order not packed yet', 'BAG-O-2', 'dispatch.notPacked', 'error: order O-2 is picked, not packed: take it back to packing'],
    ['an order already dispatched', 'BAG-O-3', 'dispatch.notPacked', 'error: order O-3 is dispatched, not packed: take it back to packing'],
    ['a bag of a cancelled order', 'BAG-O-4', 'dispatch.cancelled', 'error: order O-4 was cancelled: do not ship it; put its units in the returns tote'],
    ['an item instead of the bag', ']E04006381333931', 'dispatch.scanBag', 'error: scan the bag label'],
  ])('refuses %s', (_name, text, reason, message) => {
    const { effects, state } = run([scan(text)]);
    expect(events(effects[0]!)[0]!.data).toMatchObject({ station: 'dispatch-1', reason });
    expect(said(effects[0]!)).toEqual([message]);
    expect(state.ready).toBeUndefined();
  });

  it('forgets the courier after a handover', () => {
    const { state } = run([scan('EMP-C9'), scan('BAG-O-1'), sensor('blocked')]);
    expect(state.courier).toBeUndefined();
  });

  it('an order cancelled while its bag waits at the point: the cancellation clears it, and the sensor then records nothing', () => {
    const { state } = run([scan('BAG-O-1')]);
    const cancelled = cancelDispatch(state, 'O-1');
    expect(said(cancelled.effects)).toEqual(['error: order O-1 was cancelled: do not ship it; put its units in the returns tote']);
    expect(cancelled.state.ready).toBeUndefined();
    expect(applyDispatch(cancelled.state, sensor('blocked'), ctx).effects).toEqual([]);
    expect(cancelDispatch(state, 'O-9')).toEqual({ state, effects: [] });
  });

  it('a courier who scanned their badge stays for the next bag when the one at the point is cancelled', () => {
    const { state } = run([scan('EMP-C9'), scan('BAG-O-1')]);
    expect(cancelDispatch(state, 'O-1').state.courier).toBe('C9');
  });

  it('the sensor looks at the order again: a bag cancelled since its scan is not dispatched', () => {
    const { state } = run([scan('BAG-O-1')]);
    const cancelledSince = { findBag: (id: string) => (id === 'O-1' ? { orderId: 'O-1', status: 'cancelled' } : bags[id]) };
    const { effects } = applyDispatch(state, sensor('blocked'), cancelledSince);
    expect(events(effects)).toEqual([]);
    expect(said(effects)).toEqual(['error: order O-1 was cancelled: do not ship it; put its units in the returns tote']);
  });

  describe('an order packed in several bags', () => {
    const [bag1, bag2, bag3] = ['373500530000000026', '373500530000000033', '373500530000000040'];
    /** The view of the log: which SSCC is which bag, and the bags gone so far (grows as the test dispatches). */
    function several(gone: string[] = []) {
      const bagOf: Record<string, number> = { [bag1]: 1, [bag2]: 2, [bag3]: 3 };
      const findBag = (id: string): BagAtDispatch | undefined =>
        bagOf[id] ? { orderId: 'O-5', status: 'packed', sscc: id, bags: 3, bag: bagOf[id], dispatched: [...gone] } : id === 'O-5' ? { orderId: 'O-5', status: 'packed', bags: 3, dispatched: [...gone] } : bags[id];
      let state = initialDispatchState({ station: 'dispatch-1', scanner: 'scanner-3', sensor: 'eye-1' });
      const step = (input: StationInput) => {
        const d = applyDispatch(state, input, { findBag });
        state = d.state;
        for (const e of events(d.effects)) if (e.type === 'bag.dispatched') gone.push((e.data as { sscc: string }).sscc);
        return d.effects;
      };
      return { step, state: () => state };
    }

    it('each bag goes by its own label; the last one dispatches the order, and the courier stays for all of them', () => {
      const { step, state } = several();
      step(scan('EMP-C9'));
      expect(said(step(scan(`]C100${bag2}`)))).toEqual(['ok: order O-5: put bag 2 of 3 on the belt (or scan it again)']);
      const first = step(sensor('blocked'));
      expect(events(first)).toEqual([{ type: 'bag.dispatched', data: { orderId: 'O-5', sscc: bag2, courier: 'C9' }, source: expect.objectContaining({ actor: 'C9' }) }]);
      expect(said(first)).toEqual(['ok: order O-5: bag 2 of 3 gone; 2 bags of it still to go']);
      expect(state().courier).toBe('C9');
      step(scan(`]C100${bag1}`));
      expect(said(step(scan(`]C100${bag1}`)))).toEqual(['ok: order O-5: bag 1 of 3 gone; 1 bag of it still to go']);
      step(scan(`]C100${bag3}`));
      const last = step(sensor('blocked'));
      expect(events(last)).toEqual([{ type: 'order.dispatched', data: { orderId: 'O-5', sscc: bag3, courier: 'C9' }, source: expect.objectContaining({ orderId: 'O-5' }) }]);
      expect(said(last)).toEqual(['ok: order O-5 dispatched with C9']);
    });

    it('a bag sent meanwhile from another dispatch point does not count twice', () => {
      const gone: string[] = [];
      const [a, b] = [several(gone), several(gone)];
      a.step(scan(`]C100${bag1}`));
      b.step(scan(`]C100${bag1}`));
      expect(events(a.step(sensor('blocked')))).toMatchObject([{ type: 'bag.dispatched', data: { sscc: bag1 } }]);
      const twice = b.step(sensor('blocked'));
      expect(events(twice)).toEqual([]);
      expect(said(twice)).toEqual([`error: bag ${bag1} of order O-5 is dispatched already; 2 bags of it still to go`]);
    });

    it('a courier kept for the other bags of an order does not take another order\'s bag', () => {
      const { step, state } = several();
      step(scan('EMP-C1'));
      step(scan(`]C100${bag1}`));
      step(sensor('blocked'));
      expect(state().courier).toBe('C1');
      step(scan('BAG-O-1'));
      expect(events(step(sensor('blocked')))).toEqual([{ type: 'order.dispatched', data: { orderId: 'O-1' }, source: expect.not.objectContaining({ actor: 'C1' }) }]);
    });

    it('a bag already gone, or the order label instead of a bag\'s own, is refused', () => {
      const { step } = several();
      step(scan(`]C100${bag1}`));
      step(sensor('blocked'));
      expect(said(step(scan(`]C100${bag1}`)))).toEqual([`error: bag ${bag1} of order O-5 is dispatched already; 2 bags of it still to go`]);
      expect(said(step(scan('BAG-O-5')))).toEqual(['error: order O-5 is packed in 3 bags: scan each bag\'s own label']);
    });
  });
});
