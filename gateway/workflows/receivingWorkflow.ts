/**
 * The receiving dock as a state machine (blind receiving: every case scanned is booked).
 * A GS1-128 case scan gives GTIN, lot, expiry and count (AI 30/37); an expired lot or one with
 * less than the SKU's minimum shelf life is refused. Otherwise `stock.received` books it into
 * the dock bin and a putaway bin is suggested and lit; scanning that bin records
 * `stock.putaway`, a wrong bin is refused. The same station works the back-of-house tasks:
 * scanning the reserve bin of an open replenishment starts it and the pick face's bin confirms
 * `stock.moved`; scanning a bin with an open count starts it, each unit scan counts, and
 * CMD-CONFIRM records `stock.counted` with the variance.
 *
 * @example
 *   let s = initialReceivingState({ station: 'recv-1', scanner: 'scanner-4', dockBin: 'DOCK' });
 *   ({ state: s, effects } = applyReceiving(s, { kind: 'scan', device: 'scanner-4', barcode: caseScan }, ctx));
 *   ({ state: s, effects } = applyReceiving(s, { kind: 'scan', device: 'scanner-4', barcode: decodeBarcode('BIN-A-01') }, ctx));
 */
import type { BarcodeResult } from '../../devices/barcode/index.ts';
import { msg, type Message } from '../messages/messages.ts';
import type { PutawaySuggestion } from './putawayPlanner.ts';
import { scannedItem } from './scannedItem.ts';
import { checkShelfLife } from './shelfLife.ts';
import type { CatalogView, Decision, Effect, StationInput } from './types.ts';

export interface PendingPutaway {
  sku: string;
  name: string;
  lot?: string;
  expiry?: string;
  qty: number;
  toBin: string;
  light?: { device: string; address: number | string };
}

/** A replenishment or count task being worked at this station. */
export type ActiveTask =
  | { kind: 'replenish'; taskId: string; sku: string; name: string; fromBin: string; lot: string; qty: number; toBin: string }
  | { kind: 'count'; taskId: string; sku: string; name: string; bin: string; counted: number };

/** An open task found at a scanned bin, before it is started. */
export type TaskAtBin = Extract<ActiveTask, { kind: 'replenish' }> | Omit<Extract<ActiveTask, { kind: 'count' }>, 'counted'>;

export interface ReceivingState {
  station: string;
  scanner: string;
  dockBin: string;
  putaway?: PendingPutaway;
  task?: ActiveTask;
}

export interface ReceivingContext {
  catalog: CatalogView;
  today: string;
  suggestBin(sku: string, qty: number): PutawaySuggestion | undefined;
  /** The open task a scanned bin starts: a replenishment whose reserve source it is, or a count of it. */
  taskAtBin?(bin: string): TaskAtBin | undefined;
  /** The stock.counted record for a finished count. */
  countResult?(sku: string, bin: string, counted: number): { sku: string; bin: string; lot: string; counted: number; expected: number; delta: number };
}

export function initialReceivingState(init: ReceivingState): ReceivingState {
  return { ...init };
}

export function applyReceiving(state: ReceivingState, input: StationInput, ctx: ReceivingContext): Decision<ReceivingState> {
  if (input.kind === 'unreadable') return refuse(state, msg('scan.unreadable', { detail: input.detail }));
  if (input.kind !== 'scan') return { state, effects: [] };
  if (state.task) return applyTask(state, state.task, input.barcode, ctx);
  const label = input.barcode.storeLabel;
  if (label?.kind === 'bin') {
    if (!state.putaway) {
      const task = ctx.taskAtBin?.(label.id);
      if (task) return startTask(state, task);
      return refuse(state, msg('scan.notExpected', { what: 'bin', hint: 'scan a case first' }));
    }
    return putaway(state, state.putaway, label.id);
  }
  if (state.putaway) return refuse(state, msg('receive.binFirst', { bin: state.putaway.toBin }));
  const item = scannedItem(input.barcode);
  if (!item) return refuse(state, msg('receive.scanCase'));
  const sku = ctx.catalog.skuOfGtin(item.gtin);
  const entry = sku === undefined ? undefined : ctx.catalog.item(sku);
  if (!sku || !entry) return refuse(state, msg('receive.unknownItem', { gtin: item.gtin }));
  const shelfLife = checkShelfLife({ expiry: item.expiry, minDays: entry.minShelfLifeDays, today: ctx.today });
  if (!shelfLife.ok) {
    return refuse(
      state,
      shelfLife.reason === 'expired'
        ? msg('receive.expired', { lot: item.lot, expiry: item.expiry, sku })
        : msg('receive.shortShelfLife', { lot: item.lot, expiry: item.expiry, daysLeft: shelfLife.daysLeft, minDays: entry.minShelfLifeDays, sku }),
    );
  }
  const received: Effect = {
    type: 'append',
    event: {
      type: 'stock.received',
      data: { sku, bin: state.dockBin, ...(item.lot ? { lot: item.lot } : {}), ...(item.expiry ? { expiry: item.expiry } : {}), qty: item.count },
      source: source(state),
    },
  };
  const suggestion = ctx.suggestBin(sku, item.count);
  if (!suggestion) {
    const m = msg('receive.noBin', { qty: item.count, name: entry.name, dock: state.dockBin });
    return { state, effects: [received, feedback(state, 'ok', m), screen(state, m)] };
  }
  const { next, m, effects } = askForBin(state, { sku, name: entry.name, lot: item.lot, expiry: item.expiry, qty: item.count }, suggestion);
  effects.unshift(received);
  effects.push(feedback(state, 'ok', m), screen(next, m));
  return { state: next, effects };
}

/**
 * After a restart: the station's last case was received into the dock but not put away. The
 * station asks for its bin again (the suggestion is made anew: stock may have moved meanwhile).
 */
export function resumePutaway(state: ReceivingState, received: { sku: string; lot?: string; expiry?: string; qty: number }, ctx: ReceivingContext): Decision<ReceivingState> {
  const name = ctx.catalog.item(received.sku)?.name ?? received.sku;
  const suggestion = ctx.suggestBin(received.sku, received.qty);
  if (!suggestion) return { state, effects: [] };
  const { next, m, effects } = askForBin(state, { ...received, name }, suggestion);
  effects.push(screen(next, m));
  return { state: next, effects };
}

/** The case waits at the dock for its bin: the bin lights blue with the quantity. */
function askForBin(state: ReceivingState, c: { sku: string; name: string; lot?: string; expiry?: string; qty: number }, suggestion: PutawaySuggestion): { next: ReceivingState; m: Message; effects: Effect[] } {
  const pending: PendingPutaway = {
    sku: c.sku,
    name: c.name,
    ...(c.lot ? { lot: c.lot } : {}),
    ...(c.expiry ? { expiry: c.expiry } : {}),
    qty: c.qty,
    toBin: suggestion.bin,
    ...(suggestion.light ? { light: suggestion.light } : {}),
  };
  const next = { ...state, putaway: pending };
  const m = msg('receive.received', { qty: c.qty, name: c.name, lot: c.lot, bin: suggestion.bin });
  const effects: Effect[] = [];
  if (suggestion.light) effects.push({ type: 'command', device: suggestion.light.device, command: { kind: 'light', address: suggestion.light.address, color: 'blue', blink: true, text: String(c.qty) } });
  return { next, m, effects };
}

function putaway(state: ReceivingState, p: PendingPutaway, bin: string): Decision<ReceivingState> {
  if (bin !== p.toBin) return refuse(state, msg('receive.wrongBin', { scanned: bin, expected: p.toBin, name: p.name, sku: p.sku }));
  const next: ReceivingState = { station: state.station, scanner: state.scanner, dockBin: state.dockBin };
  const m = msg('receive.putaway', { qty: p.qty, name: p.name, bin });
  const effects: Effect[] = [
    {
      type: 'append',
      event: {
        type: 'stock.putaway',
        data: { sku: p.sku, fromBin: state.dockBin, toBin: bin, ...(p.lot ? { lot: p.lot } : {}), ...(p.expiry ? { expiry: p.expiry } : {}), qty: p.qty },
        source: source(state),
      },
    },
  ];
  if (p.light) effects.push({ type: 'command', device: p.light.device, command: { kind: 'light', address: p.light.address, color: 'off' } });
  effects.push(feedback(state, 'ok', m), screen(next, m));
  return { state: next, effects };
}

function startTask(state: ReceivingState, task: TaskAtBin): Decision<ReceivingState> {
  const active: ActiveTask = task.kind === 'count' ? { ...task, counted: 0 } : task;
  const next = { ...state, task: active };
  const m =
    active.kind === 'count'
      ? msg('count.start', { name: active.name, bin: active.bin })
      : msg('replenish.start', { name: active.name, qty: active.qty, fromBin: active.fromBin, lot: active.lot || undefined, toBin: active.toBin });
  return { state: next, effects: [feedback(state, 'ok', m), screen(next, m)] };
}

function applyTask(state: ReceivingState, task: ActiveTask, barcode: BarcodeResult, ctx: ReceivingContext): Decision<ReceivingState> {
  const label = barcode.storeLabel;
  const idle: ReceivingState = { station: state.station, scanner: state.scanner, dockBin: state.dockBin };
  const done: Effect = { type: 'append', event: { type: 'task.completed', data: { taskId: task.taskId, kind: task.kind }, source: { ...source(state), taskId: task.taskId } } };
  if (task.kind === 'replenish') {
    if (label?.kind !== 'bin') return refuse(state, msg('receive.binFirst', { bin: task.toBin }));
    if (label.id !== task.toBin) return refuse(state, msg('replenish.wrongBin', { scanned: label.id, expected: task.toBin, name: task.name, sku: task.sku }));
    const m = msg('replenish.done', { qty: task.qty, name: task.name, fromBin: task.fromBin, toBin: task.toBin });
    const moved: Effect = {
      type: 'append',
      event: { type: 'stock.moved', data: { sku: task.sku, fromBin: task.fromBin, toBin: task.toBin, ...(task.lot ? { lot: task.lot } : {}), qty: task.qty, reason: 'replenish' }, source: { ...source(state), taskId: task.taskId } },
    };
    return { state: idle, effects: [moved, done, feedback(state, 'ok', m), screen(idle, m)] };
  }
  if (label?.kind === 'command' && label.command === 'confirm') {
    const result = ctx.countResult?.(task.sku, task.bin, task.counted) ?? { sku: task.sku, bin: task.bin, lot: '', counted: task.counted, expected: task.counted, delta: 0 };
    const { lot, ...rest } = result;
    const counted: Effect = { type: 'append', event: { type: 'stock.counted', data: { ...rest, ...(lot ? { lot } : {}) }, source: { ...source(state), taskId: task.taskId } } };
    const m = msg('count.done', { bin: task.bin, counted: result.counted, name: task.name, expected: result.expected, delta: result.delta });
    return { state: idle, effects: [counted, done, feedback(state, 'ok', m), screen(idle, m)] };
  }
  const item = scannedItem(barcode);
  const sku = item && ctx.catalog.skuOfGtin(item.gtin);
  if (!item || sku !== task.sku) {
    return refuse(state, msg('count.wrongItem', { scanned: (sku && ctx.catalog.item(sku)?.name) ?? item?.gtin ?? 'that label', expected: task.name }));
  }
  const next: ReceivingState = { ...state, task: { ...task, counted: task.counted + item.count } };
  return { state: next, effects: [feedback(state, 'ok', msg('count.unit', { counted: task.counted + item.count, name: task.name }))] };
}

function refuse(state: ReceivingState, failure: Message): Decision<ReceivingState> {
  return {
    state,
    effects: [
      { type: 'append', event: { type: 'verification.failed', data: { station: state.station, reason: failure.key, params: failure.params }, source: source(state) } },
      feedback(state, 'error', failure),
    ],
  };
}

const screen = (state: ReceivingState, message: Message): Effect => ({
  type: 'screen',
  screen: { station: state.station, kind: 'receiving', phase: state.putaway ? 'putaway' : (state.task?.kind ?? 'idle'), message },
});
const feedback = (state: ReceivingState, result: 'ok' | 'error', message: Message): Effect => ({ type: 'feedback', device: state.scanner, result, message });
const source = (state: ReceivingState) => ({ station: state.station, device: state.scanner });
