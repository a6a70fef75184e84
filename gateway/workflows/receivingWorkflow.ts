/**
 * The receiving dock as a state machine: blind receiving (every case scanned is booked), or
 * against an ASN (asnReceiving.ts: the ASN's label or the first case matching an open ASN picks
 * it; cases are checked against its lines; CMD-CONFIRM closes it).
 * A GS1-128 case scan gives GTIN, lot, expiry and count (AI 30/37); an expired lot or one with
 * less than the SKU's minimum shelf life is refused. Otherwise `stock.received` books it into
 * the dock bin and a putaway bin is suggested and lit; scanning that bin records
 * `stock.putaway`, a wrong bin is refused. The same station works the back-of-house tasks:
 * scanning the reserve bin of an open replenishment starts it and the pick face's bin confirms
 * `stock.moved`; scanning a bin with an open count starts it, each unit scan counts, and
 * CMD-CONFIRM records `stock.counted` with the variance; a tote scan starts putting back the units
 * of cancelled orders (returnPutaway.ts).
 *
 * @example
 *   let s = initialReceivingState({ station: 'recv-1', scanner: 'scanner-4', dockBin: 'DOCK' });
 *   ({ state: s, effects } = applyReceiving(s, { kind: 'scan', device: 'scanner-4', barcode: caseScan }, ctx));
 *   ({ state: s, effects } = applyReceiving(s, { kind: 'scan', device: 'scanner-4', barcode: decodeBarcode('BIN-A-01') }, ctx));
 */
import type { BarcodeResult } from '../../devices/barcode/index.ts';
import { msg, type Message, type MessageParams } from '../messages/messages.ts';
import { asnScreenLines, caseAgainstAsn, closeAsn, leaveAsn, startAsn, type AsnProgress } from './asnReceiving.ts';
import type { PutawaySuggestion } from './putawayPlanner.ts';
import { feedback, idle, notExpected, refuse, screen, source } from './receivingEffects.ts';
import { applyReturnScan, startReturns, type ReturnsInHand, type ReturnTask } from './returnPutaway.ts';
import { scannedItem, type ScannedItem } from './scannedItem.ts';
import { checkShelfLife } from './shelfLife.ts';
import type { CatalogItem, CatalogView, Decision, Effect, StationInput } from './types.ts';

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
  /** The ASN being received against; absent = blind receiving. */
  asn?: string;
  /** A case not on the ASN, refused until a supervisor badge accepts it. */
  overReceipt?: { asn: string; sku: string; item: ScannedItem };
  /** Putting back the units of cancelled orders from a returns tote. */
  returns?: ReturnsInHand;
}

export interface ReceivingContext {
  catalog: CatalogView;
  today: string;
  suggestBin(sku: string, qty: number): PutawaySuggestion | undefined;
  /** The open task a scanned bin starts: a replenishment whose reserve source it is, or a count of it. */
  taskAtBin?(bin: string): TaskAtBin | undefined;
  /** The stock.counted record for a finished count. */
  countResult?(sku: string, bin: string, counted: number): { sku: string; bin: string; lot: string; counted: number; expected: number; delta: number };
  /** An ASN by id, open or closed, with what was received against it. */
  asn?(asnId: string): AsnProgress | undefined;
  /** The open ASN a case of this SKU belongs to (the oldest still expecting it), if any. */
  openAsnFor?(sku: string): AsnProgress | undefined;
  /** Badge ids that may accept a case that is not on the ASN. */
  supervisors?: readonly string[];
  /** Open putaway tasks of cancelled orders, oldest first. */
  openReturns?(): ReturnTask[];
}

export function initialReceivingState(init: ReceivingState): ReceivingState {
  return { ...init };
}

export function applyReceiving(state: ReceivingState, input: StationInput, ctx: ReceivingContext): Decision<ReceivingState> {
  if (input.kind === 'unreadable') return refuse(state, msg('scan.unreadable', { detail: input.detail }));
  if (input.kind !== 'scan') return { state, effects: [] };
  if (state.task) return applyTask(state, state.task, input.barcode, ctx);
  if (state.returns) return applyReturnScan(state, input.barcode, ctx);
  const label = input.barcode.storeLabel;
  if (state.overReceipt) {
    if (label?.kind === 'badge') return acceptOverReceipt(state, state.overReceipt, label.id, ctx);
    // Any other scan moves on: the case not on the ASN stays aside.
    const { overReceipt: _aside, ...rest } = state;
    if (label?.kind === 'command' && label.command === 'cancel') {
      const m = msg('receive.scanCase');
      return { state: rest, effects: [feedback(state, 'ok', m), screen(rest, m)] };
    }
    state = rest;
  }
  if (label?.kind === 'bin') {
    if (!state.putaway) {
      const task = ctx.taskAtBin?.(label.id);
      if (task) return startTask(state, task);
      return refuse(state, notExpected('bin', 'scan a case first'));
    }
    return putaway(state, state.putaway, label.id, ctx);
  }
  if (state.putaway) return refuse(state, msg('receive.binFirst', { bin: state.putaway.toBin }));
  if (label?.kind === 'tote') return startReturns(state, label.id, ctx);
  if (label?.kind === 'asn') return startAsn(state, label.id, ctx);
  if (label?.kind === 'command' && state.asn && label.command === 'confirm') return closeAsn(state, state.asn, ctx);
  if (label?.kind === 'command' && state.asn && label.command === 'cancel') return leaveAsn(state, state.asn, ctx);
  if (label?.kind === 'badge') return refuse(state, notExpected('badge', 'a badge accepts a case that is not on the ASN only'));
  // The ASN id printed as plain Code 128 on a delivery note.
  const text = input.barcode.text;
  if (!label && text && ctx.asn?.(text)) return startAsn(state, text, ctx);
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
  const active = state.asn ? ctx.asn?.(state.asn) : undefined;
  if (state.asn && active?.status !== 'open') return refuse({ ...state, asn: undefined }, msg('asn.unknown', { asn: state.asn }));
  const progress = active ?? ctx.openAsnFor?.(sku);
  if (!progress) return receiveCase(state, item, sku, entry, ctx);
  const against = caseAgainstAsn(progress, sku, item.count);
  const withAsn: ReceivingState = { ...state, asn: progress.asn };
  if (!against.onAsn) {
    return refuse({ ...withAsn, overReceipt: { asn: progress.asn, sku, item } }, msg('asn.notOnAsn', { asn: progress.asn, name: entry.name, sku }));
  }
  return receiveCase(withAsn, item, sku, entry, ctx, { progress, note: { asn: progress.asn, received: against.received, expected: against.expected } });
}

/** A supervisor's badge accepts the case that is not on the ASN: audited, then received as usual. */
function acceptOverReceipt(state: ReceivingState, pending: NonNullable<ReceivingState['overReceipt']>, badge: string, ctx: ReceivingContext): Decision<ReceivingState> {
  if (!(ctx.supervisors ?? []).includes(badge)) return refuse(state, msg('asn.notSupervisor', { badge }));
  const entry = ctx.catalog.item(pending.sku);
  const progress = ctx.asn?.(pending.asn);
  const { overReceipt: _accepted, ...rest } = state;
  if (!entry || progress?.status !== 'open') return refuse({ ...rest, asn: undefined }, msg('asn.unknown', { asn: pending.asn }));
  const audit: Effect = {
    type: 'append',
    event: {
      type: 'verification.overridden',
      data: { station: state.station, reason: 'asn.notOnAsn', params: { asn: pending.asn, sku: pending.sku, qty: pending.item.count }, supervisor: badge },
      source: { ...source(state), actor: badge },
    },
  };
  return receiveCase(rest, pending.item, pending.sku, entry, ctx, { progress, note: { asn: pending.asn, supervisor: badge } }, audit);
}

/** Books a case into the dock bin (against an ASN when given) and suggests and lights its putaway bin. */
function receiveCase(
  state: ReceivingState,
  item: ScannedItem,
  sku: string,
  entry: CatalogItem,
  ctx: ReceivingContext,
  asn?: { progress: AsnProgress; note: MessageParams },
  audit?: Effect,
): Decision<ReceivingState> {
  const received: Effect = {
    type: 'append',
    event: {
      type: 'stock.received',
      data: {
        sku,
        bin: state.dockBin,
        ...(item.lot ? { lot: item.lot } : {}),
        ...(item.expiry ? { expiry: item.expiry } : {}),
        qty: item.count,
        ...(asn ? { asn: asn.progress.asn } : {}),
      },
      source: source(state),
    },
  };
  const lines = asn ? asnScreenLines(asn.progress, ctx, { sku, qty: item.count }) : undefined;
  const appends = audit ? [audit, received] : [received];
  const suggestion = ctx.suggestBin(sku, item.count);
  if (!suggestion) {
    const m = msg('receive.noBin', { qty: item.count, name: entry.name, dock: state.dockBin, ...asn?.note });
    return { state, effects: [...appends, feedback(state, 'ok', m), screen(state, m, lines)] };
  }
  const { next, m, effects } = askForBin(state, { sku, name: entry.name, lot: item.lot, expiry: item.expiry, qty: item.count }, suggestion, asn?.note);
  effects.unshift(...appends);
  effects.push(feedback(state, 'ok', m), screen(next, m, lines));
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
function askForBin(state: ReceivingState, c: { sku: string; name: string; lot?: string; expiry?: string; qty: number }, suggestion: PutawaySuggestion, note?: MessageParams): { next: ReceivingState; m: Message; effects: Effect[] } {
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
  const m = msg('receive.received', { qty: c.qty, name: c.name, lot: c.lot, bin: suggestion.bin, ...note });
  const effects: Effect[] = [];
  if (suggestion.light) effects.push({ type: 'command', device: suggestion.light.device, command: { kind: 'light', address: suggestion.light.address, color: 'blue', blink: true, text: String(c.qty) } });
  return { next, m, effects };
}

function putaway(state: ReceivingState, p: PendingPutaway, bin: string, ctx: ReceivingContext): Decision<ReceivingState> {
  if (bin !== p.toBin) return refuse(state, msg('receive.wrongBin', { scanned: bin, expected: p.toBin, name: p.name, sku: p.sku }));
  const next = idle(state);
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
  const asn = next.asn ? ctx.asn?.(next.asn) : undefined;
  effects.push(feedback(state, 'ok', m), screen(next, m, asn ? asnScreenLines(asn, ctx) : undefined));
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
  const after = idle(state);
  const done: Effect = { type: 'append', event: { type: 'task.completed', data: { taskId: task.taskId, kind: task.kind }, source: { ...source(state), taskId: task.taskId } } };
  if (task.kind === 'replenish') {
    if (label?.kind !== 'bin') return refuse(state, msg('receive.binFirst', { bin: task.toBin }));
    if (label.id !== task.toBin) return refuse(state, msg('replenish.wrongBin', { scanned: label.id, expected: task.toBin, name: task.name, sku: task.sku }));
    const m = msg('replenish.done', { qty: task.qty, name: task.name, fromBin: task.fromBin, toBin: task.toBin });
    const moved: Effect = {
      type: 'append',
      event: { type: 'stock.moved', data: { sku: task.sku, fromBin: task.fromBin, toBin: task.toBin, ...(task.lot ? { lot: task.lot } : {}), qty: task.qty, reason: 'replenish' }, source: { ...source(state), taskId: task.taskId } },
    };
    return { state: after, effects: [moved, done, feedback(state, 'ok', m), screen(after, m)] };
  }
  if (label?.kind === 'command' && label.command === 'confirm') {
    const result = ctx.countResult?.(task.sku, task.bin, task.counted) ?? { sku: task.sku, bin: task.bin, lot: '', counted: task.counted, expected: task.counted, delta: 0 };
    const { lot, ...rest } = result;
    const counted: Effect = { type: 'append', event: { type: 'stock.counted', data: { ...rest, ...(lot ? { lot } : {}) }, source: { ...source(state), taskId: task.taskId } } };
    const m = msg('count.done', { bin: task.bin, counted: result.counted, name: task.name, expected: result.expected, delta: result.delta });
    return { state: after, effects: [counted, done, feedback(state, 'ok', m), screen(after, m)] };
  }
  const item = scannedItem(barcode);
  const sku = item && ctx.catalog.skuOfGtin(item.gtin);
  if (!item || sku !== task.sku) {
    return refuse(state, msg('count.wrongItem', { scanned: (sku && ctx.catalog.item(sku)?.name) ?? item?.gtin ?? 'that label', expected: task.name }));
  }
  const next: ReceivingState = { ...state, task: { ...task, counted: task.counted + item.count } };
  return { state: next, effects: [feedback(state, 'ok', msg('count.unit', { counted: task.counted + item.count, name: task.name }))] };
}
