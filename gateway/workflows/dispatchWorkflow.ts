/**
 * The dispatch point as a state machine: scan the bag label (its SSCC, or BAG-{orderId}); the
 * dispatch sensor seeing the bag (or a second scan of the same label) records
 * `order.dispatched` with the time of the event. A courier badge scanned before records who
 * took the bag. An order packed in several bags goes bag by bag, each by its own SSCC label:
 * `bag.dispatched` for each but the last, `order.dispatched` with the last.
 *
 * @example
 *   let s = initialDispatchState({ station: 'dispatch-1', scanner: 'scanner-3', sensor: 'eye-1' });
 *   ({ state: s, effects } = applyDispatch(s, { kind: 'scan', device: 'scanner-3', barcode }, ctx));
 *   ({ state: s, effects } = applyDispatch(s, { kind: 'sensor', device: 'eye-1', state: 'blocked' }, ctx));
 */
import { msg, type Message } from '../messages/messages.ts';
import type { BagAtDispatch } from './replicaViews.ts';
import type { Decision, Effect, StationInput } from './types.ts';

export interface DispatchState {
  station: string;
  scanner: string;
  sensor?: string;
  courier?: string;
  /** The courier was kept after a bag of this order (packed in several) for its other bags only. */
  courierKeptFor?: string;
  ready?: { orderId: string; sscc?: string; label: string };
}

export interface DispatchContext {
  /** The order behind a bag label (an SSCC we printed, or an order id); for several bags, which and how many are gone. */
  findBag(id: string): BagAtDispatch | undefined;
}

export function initialDispatchState(init: { station: string; scanner: string; sensor?: string }): DispatchState {
  return { ...init };
}

export function applyDispatch(state: DispatchState, input: StationInput, ctx: DispatchContext): Decision<DispatchState> {
  if (input.kind === 'unreadable') return refuse(state, msg('scan.unreadable', { detail: input.detail }));
  if (input.kind === 'sensor') return input.state === 'blocked' && state.ready ? dispatch(state, ctx) : { state, effects: [] };
  if (input.kind !== 'scan') return { state, effects: [] };
  const b = input.barcode;
  if (b.storeLabel?.kind === 'badge') {
    const { courierKeptFor: _kept, ...rest } = state;
    const s = { ...rest, courier: b.storeLabel.id };
    return { state: s, effects: [feedback(state, 'ok', msg('dispatch.courier', { courier: b.storeLabel.id }))] };
  }
  const id = b.sscc ?? (b.storeLabel?.kind === 'bag' || b.storeLabel?.kind === 'sscc' ? b.storeLabel.id : undefined) ?? b.text ?? undefined;
  if (!id) return refuse(state, msg('dispatch.scanBag'));
  if (state.ready && state.ready.label === id) return dispatch(state, ctx);
  const bag = ctx.findBag(id);
  if (!bag) return refuse(state, msg('dispatch.unknownBag', { id }));
  if (bag.status === 'cancelled') return refuse(state, msg('dispatch.cancelled', { orderId: bag.orderId }));
  if (bag.status !== 'packed') return refuse(state, msg('dispatch.notPacked', { orderId: bag.orderId, status: bag.status }));
  if (bag.bags !== undefined) {
    // Several bags: each goes by its own label, so the courier gets every one of them.
    if (!bag.sscc) return refuse(state, msg('dispatch.scanEachBag', { orderId: bag.orderId, bags: bag.bags }));
    if (bag.dispatched?.includes(bag.sscc)) return refuse(state, msg('dispatch.bagGone', { orderId: bag.orderId, sscc: bag.sscc, left: bag.bags - bag.dispatched.length }));
  }
  // A courier kept for the other bags of an order does not take another order's bag.
  const { courier: _c, courierKeptFor: _k, ...withoutCourier } = state;
  const base = state.courierKeptFor !== undefined && state.courierKeptFor !== bag.orderId ? withoutCourier : state;
  const s: DispatchState = { ...base, ready: { orderId: bag.orderId, label: id, ...(bag.sscc ? { sscc: bag.sscc } : {}) } };
  const m = bag.bags !== undefined ? msg('dispatch.readyBag', { orderId: bag.orderId, bag: bag.bag ?? '?', bags: bag.bags }) : msg('dispatch.ready', { orderId: bag.orderId });
  return { state: s, effects: [feedback(state, 'ok', m), screen(s, m)] };
}

/** The OMS cancelled the order whose bag waits at the point: it must not go out. */
export function cancelDispatch(state: DispatchState, orderId: string): Decision<DispatchState> {
  if (state.ready?.orderId !== orderId) return { state, effects: [] };
  // The courier who scanned their badge is still there for the next bag.
  const s: DispatchState = { ...idle(state), ...(state.courier ? { courier: state.courier } : {}) };
  const m = msg('dispatch.cancelled', { orderId });
  return { state: s, effects: [feedback(state, 'error', m), screen(s, m)] };
}

const idle = (state: DispatchState): DispatchState => ({ station: state.station, scanner: state.scanner, ...(state.sensor ? { sensor: state.sensor } : {}) });

function dispatch(state: DispatchState, ctx: DispatchContext): Decision<DispatchState> {
  const ready = state.ready!;
  // The order may have been cancelled since the bag was scanned: look again before it goes out.
  const now = ctx.findBag(ready.label);
  if (now?.status === 'cancelled') return cancelDispatch(state, ready.orderId);
  const s = idle(state);
  if (ready.sscc && now?.bags !== undefined && now.dispatched?.includes(ready.sscc)) {
    // Another dispatch point sent this bag meanwhile: it must not count twice.
    const m = msg('dispatch.bagGone', { orderId: ready.orderId, sscc: ready.sscc, left: now.bags - now.dispatched.length });
    return { state: { ...s, ...(state.courier ? { courier: state.courier } : {}) }, effects: [feedback(state, 'error', m), screen(s, m)] };
  }
  const source = { station: state.station, orderId: ready.orderId, ...(state.courier ? { actor: state.courier } : {}) };
  const left = now?.bags !== undefined ? now.bags - (now.dispatched?.length ?? 0) - 1 : 0;
  if (left > 0 && ready.sscc) {
    // A bag of several, not the last: the courier stays for the others.
    const m = msg('dispatch.bagDone', { orderId: ready.orderId, bag: now?.bag ?? '?', bags: now!.bags, left });
    const kept: DispatchState = { ...s, ...(state.courier ? { courier: state.courier, courierKeptFor: ready.orderId } : {}) };
    return {
      state: kept,
      effects: [
        { type: 'append', event: { type: 'bag.dispatched', data: { orderId: ready.orderId, sscc: ready.sscc, ...(state.courier ? { courier: state.courier } : {}) }, source } },
        feedback(state, 'ok', m),
        screen(kept, m),
      ],
    };
  }
  const m = msg('dispatch.done', { orderId: ready.orderId, courier: state.courier });
  const effects: Effect[] = [
    {
      type: 'append',
      event: {
        type: 'order.dispatched',
        data: { orderId: ready.orderId, ...(state.courier ? { courier: state.courier } : {}), ...(ready.sscc ? { sscc: ready.sscc } : {}) },
        source,
      },
    },
    feedback(state, 'ok', m),
    screen(s, m),
  ];
  return { state: s, effects };
}

function refuse(state: DispatchState, failure: Message): Decision<DispatchState> {
  return {
    state,
    effects: [
      { type: 'append', event: { type: 'verification.failed', data: { station: state.station, reason: failure.key, params: failure.params }, source: { station: state.station, device: state.scanner } } },
      feedback(state, 'error', failure),
    ],
  };
}

const screen = (state: DispatchState, message: Message): Effect => ({
  type: 'screen',
  screen: { station: state.station, kind: 'dispatch', phase: state.ready ? 'ready' : 'idle', message, ...(state.ready ? { orderId: state.ready.orderId } : {}) },
});
const feedback = (state: DispatchState, result: 'ok' | 'error', message: Message): Effect => ({ type: 'feedback', device: state.scanner, result, message });
