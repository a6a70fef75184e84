/**
 * Putting back the units of a cancelled order, at the receiving station. A cancellation mid-pick
 * leaves picked units in the returns tote and a putaway task per line (`task.created` kind
 * putaway, reason "order cancelled"). The worker scans the tote, then an item from it: the bin
 * the units were picked from lights blue with the quantity; scanning that bin records
 * `stock.returned` (the reverse of their `stock.picked`, per lot) and `task.completed`. A wrong
 * bin is refused. An item can only be returned after a tote scan: a case of the same item at
 * the dock is a receipt, not a return. A task whose units may not all be here (`countUnits`:
 * some left in bags nobody scanned into) asks for each unit to be scanned, and the bin scan puts
 * back those; the task is then done (the rest left with the courier).
 *
 * @example
 *   ({ state, effects } = startReturns(state, 'RET-1', ctx));          // returns from tote RET-1: 3 units ...
 *   ({ state, effects } = applyReturnScan(state, itemScan, ctx));       // put 2 x Whole Milk 1L (order O-9) back in bin A-01 ...
 *   ({ state, effects } = applyReturnScan(state, binLabel('A-01'), ctx)); // 2 x Whole Milk 1L back in A-01 ...
 */
import type { BarcodeResult } from '../../devices/barcode/index.ts';
import { msg } from '../messages/messages.ts';
import type { ReceivingContext, ReceivingState } from './receivingWorkflow.ts';
import { feedback, idle, notExpected, refuse, screen, source } from './receivingEffects.ts';
import { scannedItem } from './scannedItem.ts';
import type { Decision, Effect } from './types.ts';

/** An open return putaway: the units a cancelled order's line had picked, to go back to their bin. */
export interface ReturnTask {
  taskId: string;
  orderId: string;
  line?: number;
  sku: string;
  bin: string;
  /** Picked units per lot (the picks' own SKU, a substitute included). */
  units: Array<{ sku: string; lot: string; qty: number }>;
  light?: { device: string; address: number | string };
  /** Not all units may be here: the worker scans each one, and only those go back. */
  countUnits?: boolean;
}

export interface ReturnsInHand {
  tote: string;
  /** The task whose units were scanned and whose bin is lit. */
  pending?: ReturnTask;
  /** A task with `countUnits`: the units scanned so far. */
  counted?: number;
}

/**
 * The first `n` of a task's units, lot by lot in the order they were picked: the units a count
 * or a cap says are here (which lots left with a bag nobody recorded).
 */
export function firstUnits(units: ReturnTask['units'], n: number): ReturnTask['units'] {
  let left = n;
  return units
    .map((u) => {
      const qty = Math.min(u.qty, left);
      left -= qty;
      return { ...u, qty };
    })
    .filter((u) => u.qty > 0);
}

const unitsOf = (tasks: readonly ReturnTask[]) => tasks.reduce((n, t) => n + t.units.reduce((m, u) => m + u.qty, 0), 0);

export function startReturns(state: ReceivingState, tote: string, ctx: ReceivingContext): Decision<ReceivingState> {
  const open = ctx.openReturns?.() ?? [];
  if (open.length === 0) return refuse(state, msg('return.none'));
  const next: ReceivingState = { ...idle(state), returns: { tote } };
  const m = msg('return.start', { tote, units: unitsOf(open) });
  return { state: next, effects: [feedback(state, 'ok', m), screen(next, m)] };
}

export function applyReturnScan(state: ReceivingState, barcode: BarcodeResult, ctx: ReceivingContext): Decision<ReceivingState> {
  const returns = state.returns!;
  const label = barcode.storeLabel;
  const pending = returns.pending;
  // CMD-CANCEL pauses also with an item scanned and its bin lit (the units it asks for are not
  // all in the tote): its bin goes dark and nothing is put back.
  if (label?.kind === 'command' && (label.command === 'cancel' || (label.command === 'confirm' && !pending))) {
    const next = idle(state);
    const m = msg('return.left', { left: unitsOf(ctx.openReturns?.() ?? []) });
    const dark: Effect[] = pending?.light ? [{ type: 'command', device: pending.light.device, command: { kind: 'light', address: pending.light.address, color: 'off' } }] : [];
    return { state: next, effects: [...dark, feedback(state, 'ok', m), screen(next, m)] };
  }
  if (pending) {
    if (pending.countUnits && !label) return countUnit(state, pending, barcode, ctx);
    if (label?.kind !== 'bin') return refuse(state, msg('receive.binFirst', { bin: pending.bin }));
    return putBack(state, pending, label.id, ctx);
  }
  if (label?.kind === 'tote') return startReturns(state, label.id, ctx);
  if (label) return refuse(state, notExpected(label.kind === 'bin' ? 'bin' : `${label.kind} label`, 'scan an item from the returns tote first'));
  const item = scannedItem(barcode);
  const sku = item && ctx.catalog.skuOfGtin(item.gtin);
  if (!item || !sku) return refuse(state, msg('return.notOpen', { name: item?.gtin ?? 'that label' }));
  const name = ctx.catalog.item(sku)?.name ?? sku;
  const open = (ctx.openReturns?.() ?? []).filter((t) => t.units.some((u) => u.sku === sku));
  const task = open.find((t) => item.lot !== undefined && t.units.some((u) => u.lot === item.lot)) ?? open[0];
  if (!task) return refuse(state, msg('return.notOpen', { name }));
  const qty = task.units.reduce((n, u) => n + u.qty, 0);
  const counted = task.countUnits ? Math.min(item.count, qty) : undefined;
  const next: ReceivingState = { ...state, returns: { ...returns, pending: task, ...(counted !== undefined ? { counted } : {}) } };
  const m = counted !== undefined ? msg('return.counted', { counted, qty, name, orderId: task.orderId, bin: task.bin }) : msg('return.item', { qty, name, orderId: task.orderId, bin: task.bin });
  const effects: Effect[] = [];
  if (task.light) effects.push({ type: 'command', device: task.light.device, command: { kind: 'light', address: task.light.address, color: 'blue', blink: true, text: String(qty) } });
  effects.push(feedback(state, 'ok', m), screen(next, m));
  return { state: next, effects };
}

/** One more unit of a task whose units may not all be here: the same item, up to what was picked. */
function countUnit(state: ReceivingState, task: ReturnTask, barcode: BarcodeResult, ctx: ReceivingContext): Decision<ReceivingState> {
  const item = scannedItem(barcode);
  const sku = item && ctx.catalog.skuOfGtin(item.gtin);
  const name = ctx.catalog.item(task.sku)?.name ?? task.sku;
  if (!item || !task.units.some((u) => u.sku === sku)) return refuse(state, msg('receive.binFirst', { bin: task.bin }));
  const qty = task.units.reduce((n, u) => n + u.qty, 0);
  const before = state.returns!.counted ?? 0;
  if (before + item.count > qty) return refuse(state, msg('return.tooMany', { qty, name, orderId: task.orderId, bin: task.bin }));
  const counted = before + item.count;
  const next: ReceivingState = { ...state, returns: { ...state.returns!, counted } };
  const m = msg('return.counted', { counted, qty, name, orderId: task.orderId, bin: task.bin });
  return { state: next, effects: [feedback(state, 'ok', m), screen(next, m)] };
}

function putBack(state: ReceivingState, task: ReturnTask, bin: string, ctx: ReceivingContext): Decision<ReceivingState> {
  const name = ctx.catalog.item(task.sku)?.name ?? task.sku;
  if (bin !== task.bin) return refuse(state, msg('return.wrongBin', { scanned: bin, expected: task.bin, name, sku: task.sku }));
  const src = { ...source(state), orderId: task.orderId, taskId: task.taskId };
  // A task that counts units puts back those counted; any other, all of them.
  const counted = state.returns!.counted;
  const back = task.countUnits && counted !== undefined ? firstUnits(task.units, counted) : task.units;
  const effects: Effect[] = back.map((u) => ({
    type: 'append',
    event: { type: 'stock.returned', data: { sku: u.sku, bin, ...(u.lot ? { lot: u.lot } : {}), qty: u.qty, orderId: task.orderId, ...(task.line ? { line: task.line } : {}) }, source: src },
  }));
  effects.push({ type: 'append', event: { type: 'task.completed', data: { taskId: task.taskId, kind: 'putaway' }, source: src } });
  if (task.light) effects.push({ type: 'command', device: task.light.device, command: { kind: 'light', address: task.light.address, color: 'off' } });
  const left = unitsOf((ctx.openReturns?.() ?? []).filter((t) => t.taskId !== task.taskId));
  const next: ReceivingState = left > 0 ? { ...idle(state), returns: { tote: state.returns!.tote } } : idle(state);
  const m = msg('return.done', { qty: back.reduce((n, u) => n + u.qty, 0), name, bin, left });
  effects.push(feedback(state, 'ok', m), screen(next, m));
  return { state: next, effects };
}
