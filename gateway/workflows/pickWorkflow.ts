/**
 * The pick station as a state machine. An assigned order lights every bin it needs with its
 * quantity, the current bin blinking, in walking order (bin id order). Each scan is verified
 * (pickVerifier.ts); a good one records `stock.picked`, a wrong one `verification.failed`, lights
 * the bin red and tells the picker why. A short pick (light button or CMD-SHORT) records
 * `stock.short` and a count task for the bin. The last line records `order.picked`.
 *
 * @example
 *   let s = initialPickState({ station: 'pick-1', scanner: 'scanner-1', requireBinScan: false });
 *   ({ state: s, effects } = applyPick(s, { kind: 'assign', order }, ctx));
 *   ({ state: s, effects } = applyPick(s, { kind: 'scan', device: 'scanner-1', barcode }, ctx));
 */
import type { DeviceCommandPayload } from '../../devices/contract/deviceContract.ts';
import type { AppendInput } from '../log/eventLog.ts';
import { msg, type Message } from '../messages/messages.ts';
import { verifyPickScan } from './pickVerifier.ts';
import { scannedItem, type ScannedItem } from './scannedItem.ts';
import { applySeeingNotice } from './stationNotice.ts';
import type { CatalogView, Decision, Effect, StationInput, StationScreen } from './types.ts';

export interface PickLine {
  line: number;
  sku: string;
  name: string;
  qty: number;
  picked: number;
  short: number;
  substitutes: string[];
  /** Planned bin (FEFO among the bins holding the SKU); undefined when there is no stock. */
  bin?: string;
  /** Lot planned in that bin, used when the barcode carries none. */
  lot?: string;
  lotExpiry?: string;
  light?: { device: string; address: number | string };
}

export interface PickOrder {
  orderId: string;
  lines: PickLine[];
  tote?: string;
  binConfirmed: boolean;
  /** The last verified scan of the current line: the quantity keys repeat it. */
  lastVerified?: ScannedItem;
}

export interface PickState {
  station: string;
  scanner: string;
  requireBinScan: boolean;
  order?: PickOrder;
  /** The order this station finished last: a cancellation right behind its last scan is news to the picker. */
  lastPicked?: { orderId: string; tote?: string; units: number };
  /** A cancellation the picker must see though the next order is on the screen: kept until their next scan. */
  notice?: Message;
}

export interface PickContext {
  catalog: CatalogView;
  today: string;
}

export type PickInput = StationInput | { kind: 'assign'; order: Omit<PickOrder, 'binConfirmed'> } | { kind: 'cancel'; orderId: string };

export function initialPickState(init: { station: string; scanner: string; requireBinScan: boolean }): PickState {
  return { ...init };
}

const remaining = (l: PickLine) => l.qty - l.picked - l.short;

export function currentLine(order: PickOrder): PickLine | undefined {
  return order.lines.find((l) => remaining(l) > 0);
}

export function applyPick(state: PickState, input: PickInput, ctx: PickContext): Decision<PickState> {
  return applySeeingNotice(state, input, ctx, state.order !== undefined, decide, (s) => screen(s, nextOf(s)));
}

function decide(state: PickState, input: PickInput, ctx: PickContext): Decision<PickState> {
  if (input.kind === 'assign') return assign(state, input.order);
  if (input.kind === 'cancel') return cancel(state, input.orderId);
  const order = state.order;
  if (input.kind === 'unreadable') return refuse(state, msg('scan.unreadable', { detail: input.detail }));
  if (!order) {
    if (input.kind === 'scan' || input.kind === 'button') return { state, effects: [feedback(state, 'error', msg('station.idle'))] };
    return { state, effects: [] };
  }
  const line = currentLine(order);
  if (!line) return { state, effects: [] };
  if (input.kind === 'button') {
    if (input.button === 'short') return shortPick(state, order, line);
    if ((input.button === 'plus' || input.button === 'confirm') && order.lastVerified) {
      const count = input.button === 'confirm' ? remaining(line) : 1;
      return pickItem(state, order, line, { ...order.lastVerified, count }, ctx);
    }
    return { state, effects: [] };
  }
  if (input.kind !== 'scan') return { state, effects: [] };

  const label = input.barcode.storeLabel;
  if (label?.kind === 'command' && label.command === 'short') return shortPick(state, order, line);
  if (label?.kind === 'tote') {
    const next = { ...order, tote: label.id };
    return { state: { ...state, order: next }, effects: [feedback(state, 'ok', msg('pick.totePlaced', { tote: label.id, orderId: order.orderId }))] };
  }
  if (label?.kind === 'bin') {
    if (label.id !== line.bin) return refuse(state, msg('pick.wrongBin', { scanned: label.id, expected: line.bin ?? '-', sku: line.sku }), line);
    return { state: { ...state, order: { ...order, binConfirmed: true } }, effects: [feedback(state, 'ok', msg('pick.binOk', { bin: label.id, name: line.name }))] };
  }
  if (label) return refuse(state, msg('pick.notAnItem', { kind: label.kind, expected: line.name }), line);

  const item = scannedItem(input.barcode);
  if (!item) return refuse(state, msg('pick.notAnItem', { kind: 'non-item', expected: line.name }), line);
  if (state.requireBinScan && !order.binConfirmed) return refuse(state, msg('pick.scanBin', { bin: line.bin ?? '-', name: line.name }), line);
  return pickItem(state, order, line, item, ctx);
}

function pickItem(state: PickState, order: PickOrder, line: PickLine, item: ScannedItem, ctx: PickContext): Decision<PickState> {
  const verdict = verifyPickScan({ line, item, catalog: ctx.catalog, today: ctx.today, stockExpiry: item.lot === undefined || item.lot === line.lot ? line.lotExpiry : undefined });
  if (!verdict.ok) return refuse(state, verdict.failure, line);
  const lot = item.lot ?? line.lot;
  const event: AppendInput<'stock.picked'> = {
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
  const updated: PickLine = { ...line, picked: line.picked + verdict.qty };
  const lineDone = remaining(updated) === 0;
  const next: PickOrder = { ...order, lines: replaceLine(order.lines, updated), lastVerified: lineDone ? undefined : item, binConfirmed: lineDone ? false : order.binConfirmed };
  const effects: Effect[] = [{ type: 'append', event }];
  effects.push(feedback(state, 'ok', msg('pick.ok', { name: ctx.catalog.item(verdict.sku)?.name ?? verdict.sku, picked: updated.picked, qty: updated.qty })));
  return advance(state, next, effects, lineDone ? updated : undefined);
}

function shortPick(state: PickState, order: PickOrder, line: PickLine): Decision<PickState> {
  const qty = remaining(line);
  const source_ = source(state, order.orderId);
  const effects: Effect[] = [
    { type: 'append', event: { type: 'stock.short', data: { sku: line.sku, bin: line.bin ?? '-', qty, orderId: order.orderId, line: line.line, reason: 'not in bin' }, source: source_ } },
  ];
  if (line.bin) {
    effects.push({
      type: 'append',
      event: { type: 'task.created', data: { taskId: `count-${order.orderId}-${line.line}`, kind: 'count', sku: line.sku, bin: line.bin, reason: 'short pick', orderId: order.orderId }, source: source_ },
    });
  }
  effects.push(feedback(state, 'ok', msg('pick.short', { qty, name: line.name, bin: line.bin ?? '-' })));
  const updated = { ...line, short: line.short + qty };
  return advance(state, { ...order, lines: replaceLine(order.lines, updated), lastVerified: undefined, binConfirmed: false }, effects, updated);
}

/** After a pick or short: lights for the finished line and the next one, or the end of the order. */
function advance(state: PickState, order: PickOrder, effects: Effect[], finished: PickLine | undefined): Decision<PickState> {
  if (finished?.light) effects.push(light(finished.light, { color: 'off' }));
  const next = currentLine(order);
  if (!next) {
    const short = order.lines.reduce((n, l) => n + l.short, 0);
    effects.push({ type: 'append', event: { type: 'order.picked', data: { orderId: order.orderId, station: state.station, ...(order.tote ? { tote: order.tote } : {}) }, source: source(state, order.orderId) } });
    const units = order.lines.reduce((n, l) => n + l.picked, 0);
    const done: PickState = { ...state, order: undefined, lastPicked: { orderId: order.orderId, ...(order.tote ? { tote: order.tote } : {}), units } };
    effects.push(screen(done, msg('pick.done', { orderId: order.orderId, short })));
    return { state: done, effects };
  }
  const nextState = { ...state, order };
  if (next.light) effects.push(light(next.light, { color: 'green', blink: true, text: String(remaining(next)) }));
  effects.push(screen(nextState, nextMessage(state, next)));
  return { state: nextState, effects };
}

function assign(state: PickState, incoming: Omit<PickOrder, 'binConfirmed'>): Decision<PickState> {
  const order: PickOrder = { ...incoming, lines: [...incoming.lines].sort(walkingOrder), binConfirmed: false };
  const next: PickState = { ...state, order };
  const first = currentLine(order);
  const effects: Effect[] = [];
  for (const l of order.lines) {
    if (l.light && remaining(l) > 0) effects.push(light(l.light, { color: 'green', blink: l === first, text: String(remaining(l)) }));
  }
  effects.push(screen(next, first ? nextMessage(state, first) : msg('pick.start', { orderId: order.orderId, lines: order.lines.length, bin: '-' })));
  return { state: next, effects };
}

function cancel(state: PickState, orderId: string): Decision<PickState> {
  const order = state.order;
  if (state.lastPicked?.orderId === orderId && order?.orderId !== orderId) {
    // Finished here just before the cancellation: its tote is on its way to packing.
    const { lastPicked, ...rest } = state;
    const m = msg('pick.cancelledPicked', { orderId, tote: lastPicked.tote ?? '-', units: lastPicked.units });
    // The next order may be on the screen already: the cancellation stays above it until the next scan.
    const told: PickState = { ...rest, notice: m };
    return { state: told, effects: [feedback(state, 'error', m), screen(told, order ? nextOf(told) : m)] };
  }
  if (!order || order.orderId !== orderId) return { state, effects: [] };
  const effects: Effect[] = [];
  for (const l of order.lines) if (l.light) effects.push(light(l.light, { color: 'off' }));
  // The picked units go into the returns tote; their putaway tasks come from the stock.picked
  // events (Stations.returnUnitsOfCancelled), the same for every station an order can be at.
  const picked = order.lines.reduce((n, l) => n + l.picked, 0);
  const message = msg('pick.cancelled', { orderId, picked });
  // The next order comes at once: with units picked, the cancellation stays on the screen above it until the next scan.
  const idle: PickState = { ...state, order: undefined, ...(picked > 0 ? { notice: message } : {}) };
  effects.push(feedback(state, 'error', message), screen(idle, message));
  return { state: idle, effects };
}

function refuse(state: PickState, failure: Message, line?: PickLine): Decision<PickState> {
  const effects: Effect[] = [
    {
      type: 'append',
      event: {
        type: 'verification.failed',
        data: { station: state.station, ...(state.order ? { orderId: state.order.orderId } : {}), reason: failure.key, params: failure.params },
        source: source(state, state.order?.orderId),
      },
    },
    feedback(state, 'error', failure),
  ];
  if (line?.light) effects.push(light(line.light, { color: 'red', blink: true, text: String(remaining(line)) }));
  // The station screen shows the refusal too, in red, so the picker can read the reason.
  effects.push(screen(state, failure));
  return { state, effects };
}

function nextMessage(state: PickState, line: PickLine): Message {
  return state.requireBinScan && line.bin
    ? msg('pick.scanBin', { bin: line.bin, name: line.name })
    : msg('pick.next', { qty: remaining(line), name: line.name, bin: line.bin ?? '-' });
}

/** What the screen says the picker does now, for an order in progress. */
function nextOf(state: PickState): Message {
  const line = state.order && currentLine(state.order);
  return line ? nextMessage(state, line) : msg('station.idle');
}

function screen(state: PickState, message: Message): Effect {
  const s: StationScreen = { station: state.station, kind: 'pick', phase: state.order ? 'picking' : 'idle', message, ...(state.notice && state.notice !== message ? { notice: state.notice } : {}) };
  if (state.order) {
    s.orderId = state.order.orderId;
    s.lines = state.order.lines.map((l) => ({ line: l.line, sku: l.sku, name: l.name, ...(l.bin ? { bin: l.bin } : {}), qty: l.qty, done: l.picked, short: l.short }));
  }
  return { type: 'screen', screen: s };
}

const light = (target: { device: string; address: number | string }, command: Omit<Extract<DeviceCommandPayload, { kind: 'light' }>, 'kind' | 'address'>): Effect => ({
  type: 'command',
  device: target.device,
  command: { kind: 'light', address: target.address, ...command },
});

const feedback = (state: PickState, result: 'ok' | 'error', message: Message): Effect => ({ type: 'feedback', device: state.scanner, result, message });

const source = (state: PickState, orderId?: string) => ({ station: state.station, device: state.scanner, ...(orderId ? { orderId } : {}) });

const replaceLine = (lines: PickLine[], updated: PickLine) => lines.map((l) => (l.line === updated.line ? updated : l));

/** Walking order: by bin id (aisle-bay-level ids sort in the order a picker walks), lines without stock last. */
function walkingOrder(a: PickLine, b: PickLine): number {
  if (a.bin === b.bin) return a.line - b.line;
  if (a.bin === undefined) return 1;
  if (b.bin === undefined) return -1;
  return a.bin < b.bin ? -1 : 1;
}
