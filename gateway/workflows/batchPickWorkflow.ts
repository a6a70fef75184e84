/**
 * A batch pick station as a state machine: up to N orders picked in one walk, each into its own
 * tote on a put wall, with put-to-light. When `requireToteScan` is set the picker first scans a
 * tote label into each slot. Then every bin the batch needs lights with the total for all its
 * orders, the current stop (walking order) blinking. A verified item scan (pickVerifier.ts, the
 * same rules as single-order picking) records `stock.picked` for one order line, chosen
 * deterministically (batchPlanner.ts), and lights that order's slot with the quantity; the picker
 * puts the unit in and confirms with the tote's label or the slot light's confirm button. The
 * wrong tote is refused. A short pick shorts every batch line at the stop's bin. Each order gets
 * its own `order.picked` in the commit of its last line; the batch ends after the last put.
 *
 * @example
 *   let s = initialBatchPickState({ station: 'pick-w', scanner: 'scanner-w', requireBinScan: false, requireToteScan: true, slots });
 *   ({ state: s, effects } = applyBatchPick(s, { kind: 'assign', batch }, ctx));
 *   ({ state: s, effects } = applyBatchPick(s, { kind: 'scan', device: 'scanner-w', barcode }, ctx));
 */
import type { DeviceCommandPayload } from '../../devices/contract/deviceContract.ts';
import type { AppendInput } from '../log/eventLog.ts';
import { msg, type Message } from '../messages/messages.ts';
import { chooseLine, linesAtStop, openLines, remaining, stopBin, type BatchOrder, type BatchPlan, type LightTarget, type PendingPut } from './batchPlanner.ts';
import { verifyPickScan } from './pickVerifier.ts';
import type { PickContext, PickLine } from './pickWorkflow.ts';
import { scannedItem, type ScannedItem } from './scannedItem.ts';
import { applySeeingNotice } from './stationNotice.ts';
import type { Decision, Effect, StationInput, StationScreen } from './types.ts';

export interface PutWallSlot {
  slot: number;
  light: LightTarget;
}


export interface Batch {
  batchId: string;
  /** By slot number. */
  orders: BatchOrder[];
  /** The bin scanned at the current stop (requireBinScan). */
  binConfirmed?: string;
  put?: PendingPut;
  /** The last verified item: the plus key picks one more of it. */
  lastVerified?: ScannedItem;
}

export interface BatchPickState {
  station: string;
  scanner: string;
  requireBinScan: boolean;
  requireToteScan: boolean;
  slots: PutWallSlot[];
  batch?: Batch;
  /** A cancellation the picker must see though the screen moved on (the next batch): kept until their next scan. */
  notice?: Message;
}

export type BatchPickInput = StationInput | { kind: 'assign'; batch: BatchPlan } | { kind: 'cancel'; orderId: string };

export function initialBatchPickState(init: Omit<BatchPickState, 'batch'>): BatchPickState {
  return { ...init, slots: [...init.slots].sort((a, b) => a.slot - b.slot) };
}

/** The orders a batch still works on (not picked, not cancelled). */
export const openOrders = (batch: Batch) => batch.orders.filter((o) => o.status === 'open');

/** The first open order whose slot still needs a tote scanned, when the station requires one. */
export function slotAwaitingTote(state: BatchPickState): BatchOrder | undefined {
  if (!state.requireToteScan || !state.batch) return undefined;
  return openOrders(state.batch).find((o) => o.tote === undefined);
}

export function applyBatchPick(state: BatchPickState, input: BatchPickInput, ctx: PickContext): Decision<BatchPickState> {
  return applySeeingNotice(state, input, ctx, state.batch !== undefined, decide, (s) => screen(s, nextMessage(s)));
}

function decide(state: BatchPickState, input: BatchPickInput, ctx: PickContext): Decision<BatchPickState> {
  if (input.kind === 'assign') return assign(state, input.batch);
  if (input.kind === 'cancel') return cancel(state, input.orderId);
  if (input.kind === 'unreadable') return refuse(state, msg('scan.unreadable', { detail: input.detail }));
  const batch = state.batch;
  if (!batch) {
    if (input.kind === 'scan' || input.kind === 'button') return { state, effects: [feedback(state, 'error', msg('station.idle'))] };
    return { state, effects: [] };
  }
  if (input.kind !== 'scan' && input.kind !== 'button') return { state, effects: [] };
  const slotPressed = input.kind === 'button' ? slotOfButton(state, input.device, input.address) : undefined;

  const awaiting = slotAwaitingTote(state);
  if (awaiting) {
    const label = input.kind === 'scan' ? input.barcode.storeLabel : undefined;
    if (label?.kind === 'tote') return assignTote(state, batch, awaiting, label.id);
    if (input.kind === 'button') return { state, effects: [] };
    return refuse(state, msg('batch.totesFirst', { slot: awaiting.slot, orderId: awaiting.orderId }));
  }

  if (batch.put) {
    const put = batch.put;
    if (input.kind === 'button') {
      if (input.button !== 'confirm' || slotPressed === undefined) return { state, effects: [] };
      if (slotPressed === put.slot) return confirmPut(state, batch, put);
      return refuse(state, msg('batch.wrongTote', { ...putParams(batch, put), scanned: `the light of slot ${slotPressed}` }));
    }
    const label = input.barcode.storeLabel;
    if (label?.kind === 'tote') {
      const target = batch.orders.find((o) => o.slot === put.slot);
      if (target?.tote === label.id) return confirmPut(state, batch, put);
      const other = batch.orders.find((o) => o.tote === label.id && o.status !== 'cancelled');
      return refuse(state, msg('batch.wrongTote', { ...putParams(batch, put), scanned: other ? `tote ${label.id} (slot ${other.slot})` : `tote ${label.id}` }));
    }
    return refuse(state, msg('batch.putFirst', putParams(batch, put)));
  }

  const bin = stopBin(batch.orders);
  const atStop = linesAtStop(batch.orders);
  const first = atStop[0];
  if (!first) return { state, effects: [] };
  if (input.kind === 'button') {
    if (slotPressed !== undefined) return { state, effects: [] };
    if (input.button === 'short') return shortStop(state, batch);
    if (input.button !== 'plus' || !batch.lastVerified) return { state, effects: [] };
    if (state.requireBinScan && bin !== undefined && batch.binConfirmed !== bin) return refuse(state, msg('pick.scanBin', { bin, name: first.line.name }), { atBin: true });
    return pickUnit(state, batch, { ...batch.lastVerified, count: 1 }, ctx);
  }

  const label = input.barcode.storeLabel;
  if (label?.kind === 'command' && label.command === 'short') return shortStop(state, batch);
  if (label?.kind === 'tote') return refuse(state, msg('batch.noPut', { tote: label.id, name: first.line.name, bin: bin ?? '-' }), { atBin: true });
  if (label?.kind === 'bin') {
    if (label.id !== bin) return refuse(state, msg('pick.wrongBin', { scanned: label.id, expected: bin ?? '-', sku: first.line.sku }), { atBin: true });
    return { state: { ...state, batch: { ...batch, binConfirmed: label.id } }, effects: [feedback(state, 'ok', msg('pick.binOk', { bin: label.id, name: first.line.name }))] };
  }
  if (label) return refuse(state, msg('pick.notAnItem', { kind: label.kind, expected: first.line.name }), { atBin: true });
  const item = scannedItem(input.barcode);
  if (!item) return refuse(state, msg('pick.notAnItem', { kind: 'non-item', expected: first.line.name }), { atBin: true });
  if (state.requireBinScan && bin !== undefined && batch.binConfirmed !== bin) return refuse(state, msg('pick.scanBin', { bin, name: first.line.name }), { atBin: true });
  return pickUnit(state, batch, item, ctx);
}

function assign(state: BatchPickState, plan: BatchPlan): Decision<BatchPickState> {
  const batch: Batch = { batchId: plan.batchId, orders: [...plan.orders].sort((a, b) => a.slot - b.slot), ...(plan.put ? { put: plan.put } : {}) };
  const next: BatchPickState = { ...state, batch };
  const effects: Effect[] = [];
  if (!plan.resumed) {
    effects.push(append(state, 'batch.started', { batchId: batch.batchId, station: state.station, orders: batch.orders.map((o) => ({ orderId: o.orderId, slot: o.slot })), recordsPuts: true }));
  }
  // A resumed batch may hold orders whose last units were picked just before the restart.
  const { orders, events } = completeOrders(state, batch.orders);
  effects.push(...events);
  return settle(state, { ...next, batch: { ...batch, orders } }, effects);
}

function assignTote(state: BatchPickState, batch: Batch, order: BatchOrder, tote: string): Decision<BatchPickState> {
  const inUse = batch.orders.find((o) => o.tote === tote && o.status !== 'cancelled');
  if (inUse) return refuse(state, msg('batch.toteInUse', { tote, slot: inUse.slot, expectedSlot: order.slot }));
  const orders = batch.orders.map((o) => (o === order ? { ...o, tote } : o));
  const next: BatchPickState = { ...state, batch: { ...batch, orders } };
  const effects: Effect[] = [
    append(state, 'batch.toteAssigned', { batchId: batch.batchId, station: state.station, orderId: order.orderId, slot: order.slot, tote }, order.orderId),
    feedback(state, 'ok', msg('batch.toteOk', { tote, slot: order.slot, orderId: order.orderId })),
  ];
  return settle(state, next, effects);
}

function pickUnit(state: BatchPickState, batch: Batch, item: ScannedItem, ctx: PickContext): Decision<BatchPickState> {
  const bin = stopBin(batch.orders);
  const chosen = chooseLine(linesAtStop(batch.orders), item, ctx.catalog);
  if (!chosen) return { state, effects: [] };
  const { order, line } = chosen;
  const verdict = verifyPickScan({ line, item, catalog: ctx.catalog, today: ctx.today, stockExpiry: item.lot === undefined || item.lot === line.lot ? line.lotExpiry : undefined });
  if (!verdict.ok) return refuse(state, verdict.failure, { atBin: true, orderId: order.orderId });
  const lot = item.lot ?? line.lot;
  const picked: AppendInput<'stock.picked'> = {
    type: 'stock.picked',
    data: {
      sku: verdict.sku,
      bin: line.bin ?? '-',
      ...(lot ? { lot } : {}),
      qty: verdict.qty,
      orderId: order.orderId,
      line: line.line,
      gtin: item.gtin,
      ...(verdict.grams !== undefined ? { grams: verdict.grams } : {}),
      ...(verdict.substituteFor ? { substituteFor: verdict.substituteFor } : {}),
    },
    source: source(state, order.orderId),
  };
  const updatedLine: PickLine = { ...line, picked: line.picked + verdict.qty };
  const updatedOrders = batch.orders.map((o) => (o === order ? { ...o, lines: o.lines.map((l) => (l === line ? updatedLine : l)) } : o));
  const { orders, events } = completeOrders(state, updatedOrders);
  const name = ctx.catalog.item(verdict.sku)?.name ?? verdict.sku;
  const put: PendingPut = { orderId: order.orderId, slot: order.slot, sku: verdict.sku, name, qty: verdict.qty };
  const { binConfirmed, ...rest } = batch;
  // The bin scan holds for the whole stop, not for each unit.
  const stillHere = binConfirmed !== undefined && stopBin(orders) === bin && linesAtStop(orders).length > 0;
  const next: BatchPickState = { ...state, batch: { ...rest, orders, put, lastVerified: item, ...(stillHere ? { binConfirmed } : {}) } };
  const message = msg('batch.put', putParams(next.batch!, put));
  return settle(state, next, [{ type: 'append', event: picked }, ...events, feedback(state, 'ok', message)], message);
}

function confirmPut(state: BatchPickState, batch: Batch, put: PendingPut): Decision<BatchPickState> {
  const order = batch.orders.find((o) => o.orderId === put.orderId);
  const { put: _done, ...rest } = batch;
  const next: BatchPickState = { ...state, batch: rest };
  const message = msg('batch.putOk', { qty: put.qty, name: put.name, slot: put.slot, orderDone: order?.status === 'picked' ? order.orderId : undefined });
  // Recorded, so a restart between the pick and the put asks for the put again (batchPlanner.ts resumeBatch).
  const recorded = append(state, 'batch.put', { batchId: batch.batchId, station: state.station, orderId: put.orderId, slot: put.slot, sku: put.sku, qty: put.qty }, put.orderId);
  // The scanner says ok; the screen moves on to what is next.
  return settle(state, next, [recorded, feedback(state, 'ok', message)]);
}

function shortStop(state: BatchPickState, batch: Batch): Decision<BatchPickState> {
  const bin = stopBin(batch.orders);
  const lines = linesAtStop(batch.orders);
  const effects: Effect[] = [];
  for (const { order, line } of lines) {
    effects.push(append(state, 'stock.short', { sku: line.sku, bin: line.bin ?? '-', qty: remaining(line), orderId: order.orderId, line: line.line, reason: 'not in bin' }, order.orderId));
  }
  if (bin !== undefined) {
    const skus = [...new Set(lines.map((l) => l.line.sku))];
    for (const sku of skus) {
      effects.push(append(state, 'task.created', { taskId: `count-${batch.batchId}-${bin}-${sku}`, kind: 'count', sku, bin, reason: 'short pick' }));
    }
  }
  const shorted = new Set(lines.map((l) => l.line));
  const updated = batch.orders.map((o) => ({ ...o, lines: o.lines.map((l) => (shorted.has(l) ? { ...l, short: l.short + remaining(l) } : l)) }));
  const { orders, events } = completeOrders(state, updated);
  effects.push(...events);
  const units = lines.reduce((n, l) => n + remaining(l.line), 0);
  const names = [...new Set(lines.map((l) => l.line.name))].join(', ');
  const message = msg('batch.short', { qty: units, name: names, bin: bin ?? '-', orders: new Set(lines.map((l) => l.order.orderId)).size });
  effects.push(feedback(state, 'ok', message));
  const { binConfirmed: _bin, lastVerified: _last, ...rest } = batch;
  return settle(state, { ...state, batch: { ...rest, orders } }, effects);
}

function cancel(state: BatchPickState, orderId: string): Decision<BatchPickState> {
  const batch = state.batch;
  const order = batch?.orders.find((o) => o.orderId === orderId && (o.status === 'open' || o.status === 'picked'));
  if (!batch || !order) return { state, effects: [] };
  const effects: Effect[] = [];
  // The picked units go into the returns tote; their putaway tasks come from the stock.picked
  // events (Stations.returnUnitsOfCancelled), the same for every station an order can be at.
  const units = order.lines.reduce((n, l) => n + l.picked, 0);
  const orders = batch.orders.map((o) => (o === order ? { ...o, status: 'cancelled' as const } : o));
  const { put, ...rest } = batch;
  const left: Batch = { ...rest, orders, ...(put && put.orderId !== orderId ? { put } : {}) };
  const message = msg('batch.cancelled', { orderId, slot: order.slot, tote: order.tote, picked: units, batchGoesOn: left.put !== undefined || openOrders(left).length > 0 });
  // The next scan, or the next batch when this ends it, takes the screen: the cancellation stays above until the picker's next scan.
  const next: BatchPickState = { ...state, batch: left, notice: message };
  const slot = state.slots.find((s) => s.slot === order.slot);
  if (slot) effects.push(light(slot.light, { color: 'off' }));
  effects.push(feedback(state, 'error', message));
  return settle(state, next, effects, message);
}

/** Orders of the batch whose lines are all done become picked, with their own order.picked. */
function completeOrders(state: BatchPickState, orders: BatchOrder[]): { orders: BatchOrder[]; events: Effect[] } {
  const events: Effect[] = [];
  const result = orders.map((o) => {
    if (o.status !== 'open' || o.lines.some((l) => remaining(l) > 0)) return o;
    events.push(append(state, 'order.picked', { orderId: o.orderId, station: state.station, ...(o.tote ? { tote: o.tote } : {}) }, o.orderId));
    return { ...o, status: 'picked' as const };
  });
  return { orders: result, events };
}

/**
 * Finishes a decision: the lights that changed, the end of the batch when nothing is left, and
 * the screen. `message` is what the screen says; without one, what to do next.
 */
function settle(before: BatchPickState, after: BatchPickState, effects: Effect[], message?: Message): Decision<BatchPickState> {
  const batch = after.batch;
  let final = after;
  let screenMessage = message;
  if (batch && !batch.put && openOrders(batch).length === 0) {
    final = { ...after, batch: undefined };
    const picked = batch.orders.filter((o) => o.status === 'picked');
    const short = picked.reduce((n, o) => n + o.lines.reduce((m, l) => m + l.short, 0), 0);
    const done = msg('batch.done', { orders: picked.length, short, cancelled: batch.orders.length - picked.length });
    // A cancellation that ends the batch is the notice above it (cancel() sets it): the text says the batch is done.
    screenMessage = done;
    if (message?.key !== 'batch.cancelled' && !effects.some((e) => e.type === 'feedback')) effects.push(feedback(before, 'ok', done));
  }
  effects.push(...lightChanges(before, final));
  effects.push(screen(final, screenMessage ?? nextMessage(final)));
  return { state: final, effects };
}

/** What the picker does next, for the screen. */
function nextMessage(state: BatchPickState): Message {
  const batch = state.batch;
  if (!batch) return msg('station.idle');
  const awaiting = slotAwaitingTote(state);
  if (awaiting) return msg('batch.scanTote', { slot: awaiting.slot, orderId: awaiting.orderId });
  if (batch.put) return msg('batch.put', putParams(batch, batch.put));
  const atStop = linesAtStop(batch.orders);
  const first = atStop[0];
  if (!first) return msg('station.idle');
  const bin = first.line.bin;
  if (state.requireBinScan && bin && batch.binConfirmed !== bin) return msg('pick.scanBin', { bin, name: first.line.name });
  const sameSku = atStop.filter((l) => l.line.sku === first.line.sku);
  return msg('batch.next', { qty: sameSku.reduce((n, l) => n + remaining(l.line), 0), name: first.line.name, bin: bin ?? '-', orders: new Set(sameSku.map((l) => l.order.orderId)).size });
}

const putParams = (batch: Batch, put: PendingPut) => ({ qty: put.qty, name: put.name, slot: put.slot, tote: batch.orders.find((o) => o.slot === put.slot)?.tote });

type LightCommand = Omit<Extract<DeviceCommandPayload, { kind: 'light' }>, 'kind' | 'address'>;

/**
 * Every light the batch has on, by `device#address`: each bin with the total still to pick there
 * for all orders (the current stop blinking), the slot waiting for a tote (yellow) or for a put
 * (green, with the quantity).
 */
function lightPlan(state: BatchPickState): Map<string, { target: LightTarget; command: LightCommand }> {
  const plan = new Map<string, { target: LightTarget; command: LightCommand }>();
  const batch = state.batch;
  if (!batch) return plan;
  const slotLight = (slot: number) => state.slots.find((s) => s.slot === slot)?.light;
  const awaiting = slotAwaitingTote(state);
  if (awaiting) {
    const target = slotLight(awaiting.slot);
    if (target) plan.set(key(target), { target, command: { color: 'yellow', blink: true, text: 'TOTE' } });
    return plan;
  }
  const current = stopBin(batch.orders);
  const totals = new Map<string, { target: LightTarget; qty: number; bin: string }>();
  for (const { line } of openLines(batch.orders)) {
    if (!line.light || !line.bin) continue;
    const k = key(line.light);
    const t = totals.get(k) ?? { target: line.light, qty: 0, bin: line.bin };
    t.qty += remaining(line);
    totals.set(k, t);
  }
  for (const [k, t] of totals) plan.set(k, { target: t.target, command: { color: 'green', blink: !batch.put && t.bin === current, text: String(t.qty) } });
  if (batch.put) {
    const target = slotLight(batch.put.slot);
    if (target) plan.set(key(target), { target, command: { color: 'green', blink: true, text: String(batch.put.qty) } });
  }
  return plan;
}

/** The light commands from one plan to the next: changed or new lights, and off for the rest. */
function lightChanges(before: BatchPickState, after: BatchPickState): Effect[] {
  const was = lightPlan(before);
  const now = lightPlan(after);
  // A refusal may have turned the stop's light red meanwhile: it is sent again even when unchanged.
  const stopLight = before.batch ? linesAtStop(before.batch.orders)[0]?.line.light : undefined;
  const effects: Effect[] = [];
  for (const [k, { target }] of was) if (!now.has(k)) effects.push(light(target, { color: 'off' }));
  for (const [k, { target, command }] of now) {
    // Only what changed goes out: a big batch lights dozens of bins, and each scan touches one or two.
    const old = was.get(k)?.command;
    const same = old !== undefined && old.color === command.color && old.blink === command.blink && old.text === command.text;
    if (!same || (stopLight && k === key(stopLight))) effects.push(light(target, command));
  }
  return effects;
}

/** Which put wall slot a light button belongs to; a device with several slots must say its address. */
function slotOfButton(state: BatchPickState, device: string, address: number | string | undefined): number | undefined {
  const onDevice = state.slots.filter((s) => s.light.device === device);
  if (address === undefined) return onDevice.length === 1 ? onDevice[0]!.slot : undefined;
  return onDevice.find((s) => String(s.light.address) === String(address))?.slot;
}

function refuse(state: BatchPickState, failure: Message, opts: { atBin?: boolean; orderId?: string } = {}): Decision<BatchPickState> {
  const batch = state.batch;
  const atBin = opts.atBin ?? false;
  const orderId = opts.orderId ?? batch?.put?.orderId;
  const effects: Effect[] = [
    append(state, 'verification.failed', { station: state.station, ...(orderId ? { orderId } : {}), reason: failure.key, params: failure.params }, orderId),
    feedback(state, 'error', failure),
  ];
  if (atBin && batch) {
    // The stop's light turns red with what is still to pick there.
    const lines = linesAtStop(batch.orders);
    const target = lines[0]?.line.light;
    if (target) effects.push(light(target, { color: 'red', blink: true, text: String(lines.filter((l) => l.line.light && key(l.line.light) === key(target)).reduce((n, l) => n + remaining(l.line), 0)) }));
  }
  // The station screen shows the refusal too, in red, so the picker can read the reason.
  effects.push(screen(state, failure));
  return { state, effects };
}

function screen(state: BatchPickState, message: Message): Effect {
  const batch = state.batch;
  const phase = !batch ? 'idle' : slotAwaitingTote(state) ? 'totes' : batch.put ? 'put' : 'picking';
  const s: StationScreen = { station: state.station, kind: 'pick', phase, message, ...(state.notice && state.notice !== message ? { notice: state.notice } : {}) };
  if (batch) {
    s.batchId = batch.batchId;
    // The walk: each bin and item once, with the batch's total.
    const walk = new Map<string, NonNullable<StationScreen['lines']>[number]>();
    for (const o of batch.orders) {
      if (o.status === 'cancelled') continue;
      for (const l of o.lines) {
        const k = `${l.bin ?? ''}|${l.sku}`;
        const row = walk.get(k) ?? { sku: l.sku, name: l.name, ...(l.bin ? { bin: l.bin } : {}), qty: 0, done: 0, short: 0 };
        row.qty += l.qty;
        row.done += l.picked;
        row.short = (row.short ?? 0) + l.short;
        walk.set(k, row);
      }
    }
    s.lines = [...walk.values()].sort((a, b) => (a.bin === b.bin ? 0 : a.bin === undefined ? 1 : b.bin === undefined ? -1 : a.bin < b.bin ? -1 : 1));
    s.slots = state.slots.map((slot) => {
      const o = batch.orders.find((x) => x.slot === slot.slot);
      if (!o) return { slot: slot.slot, status: 'empty', lines: [] };
      return {
        slot: slot.slot,
        orderId: o.orderId,
        ...(o.tote ? { tote: o.tote } : {}),
        status: o.status,
        ...(batch.put?.slot === slot.slot ? { put: batch.put.qty } : {}),
        lines: o.lines.map((l) => ({ line: l.line, sku: l.sku, name: l.name, ...(l.bin ? { bin: l.bin } : {}), qty: l.qty, done: l.picked, short: l.short })),
      };
    });
  }
  return { type: 'screen', screen: s };
}

const key = (t: LightTarget) => `${t.device}#${t.address}`;

const light = (target: LightTarget, command: LightCommand): Effect => ({ type: 'command', device: target.device, command: { kind: 'light', address: target.address, ...command } });

const feedback = (state: BatchPickState, result: 'ok' | 'error', message: Message): Effect => ({ type: 'feedback', device: state.scanner, result, message });

const source = (state: BatchPickState, orderId?: string) => ({ station: state.station, device: state.scanner, ...(orderId ? { orderId } : {}) });

function append<T extends AppendInput['type']>(state: BatchPickState, type: T, data: AppendInput<T>['data'], orderId?: string): Effect {
  return { type: 'append', event: { type, data, source: source(state, orderId) } as AppendInput };
}
