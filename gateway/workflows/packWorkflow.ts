/**
 * The pack station as a state machine. Scan a tote or order label to load a picked order; scan
 * each unit into the bag (or skip that with `trustPick`); put the bag on the scale. A stable
 * reading within tolerance records `order.packed` and `label.printed` and prints the bag label
 * with a fresh SSCC; outside it, `verification.failed` with the numbers, the screen turns red and
 * the packer fixes the bag and weighs again, or a supervisor scans a badge (audited as
 * `verification.overridden`). Unstable readings are ignored. Scanning the order being packed
 * again starts its bag over (after a gateway restart the packer cannot know what was counted);
 * CMD-CANCEL sets the bag aside, unpacked, so another order can be packed first.
 *
 * @example
 *   let s = initialPackState({ station: 'pack-1', scanner: 'scanner-2', scale: 'scale-1', printer: 'printer-1', trustPick: false });
 *   ({ state: s, effects } = applyPack(s, { kind: 'scan', device: 'scanner-2', barcode: decodeBarcode('TOTE-7') }, ctx));
 */
import { msg, type Message } from '../messages/messages.ts';
import { renderLabel, TemplateError } from '../../devices/printers/labelTemplates.ts';
import { bagLabelZpl } from './bagLabel.ts';
import { checkweigh, expectedBagWeight, type BagItem, type CheckweighSettings, type ExpectedWeight } from './checkweigh.ts';
import { scannedItem } from './scannedItem.ts';
import type { CatalogView, Decision, Effect, StationInput, StationScreen } from './types.ts';

/** A picked order as packing sees it: what went into the tote. */
export interface OrderToPack {
  orderId: string;
  status: string;
  shortCode?: string;
  items: Array<{ sku: string; qty: number; measuredGrams?: number }>;
}

export interface PackOrder {
  orderId: string;
  shortCode?: string;
  items: Array<{ sku: string; name: string; qty: number; packed: number; measuredGrams?: number }>;
  expected: ExpectedWeight;
  lastFailedGrams?: number;
}

export interface PackState {
  station: string;
  scanner: string;
  scale?: string;
  printer?: string;
  trustPick: boolean;
  phase: 'idle' | 'scanning' | 'weighing' | 'failed';
  order?: PackOrder;
  /** The bag this station passed last: a cancellation that comes after it is news to the packer. */
  lastPacked?: { orderId: string; sscc: string; units: number };
}

export interface PackContext {
  catalog: CatalogView;
  settings: CheckweighSettings;
  supervisors: readonly string[];
  storeName: string;
  /** Finds the picked order behind a tote id, order id or short code. */
  findOrder(id: string): OrderToPack | undefined;
  /** Allocates the next SSCC (persisted before it is returned, so never reused). */
  nextSscc(): string;
  /** The store's editable bag label (templates/labels/bag.zpl), read at start; the built-in one when absent. */
  bagLabelTemplate?: string;
  /** Why the station's printer is offline now (e.g. "paper out; fix it at the printer"); the label is queued and waits. */
  printerFault?: string;
}

export function initialPackState(init: Omit<PackState, 'phase' | 'order'>): PackState {
  return { ...init, phase: 'idle' };
}

/** Stable readings below this (or below half the expected bag) are an empty scale, not a bag. */
const emptyPanGrams = 10;

export function applyPack(state: PackState, input: StationInput, ctx: PackContext): Decision<PackState> {
  if (input.kind === 'unreadable') return refuse(state, msg('scan.unreadable', { detail: input.detail }));
  if (input.kind === 'weight') {
    if (!input.stable || (state.phase !== 'weighing' && state.phase !== 'failed') || !state.order) return { state, effects: [] };
    // A polled scale reports its empty pan (about 0 g) all the time: that is no bag to check yet.
    if (input.grams < Math.min(emptyPanGrams, state.order.expected.expected / 2)) return { state, effects: [] };
    return weigh(state, state.order, input.grams, ctx);
  }
  if (input.kind !== 'scan') return { state, effects: [] };
  const label = input.barcode.storeLabel;
  if (label?.kind === 'badge') {
    if (state.phase !== 'failed' || !state.order) return refuse(state, msg('scan.notExpected', { what: 'badge', hint: 'a badge overrides a failed checkweigh only' }));
    if (!ctx.supervisors.includes(label.id)) return refuse(state, msg('pack.notSupervisor', { badge: label.id }));
    return override(state, state.order, label.id, ctx);
  }
  if (label?.kind === 'command' && label.command === 'cancel') return setAside(state);
  if (label?.kind === 'tote' || label?.kind === 'bag' || (label === null && input.barcode.text !== null)) {
    return load(state, label?.id ?? input.barcode.text!, ctx);
  }
  if (state.phase !== 'scanning' || !state.order) {
    return refuse(state, state.phase === 'idle' ? msg('pack.scanOrder') : msg('scan.notExpected', { what: 'item', hint: 'the bag is being weighed' }));
  }
  const item = scannedItem(input.barcode);
  const sku = item && ctx.catalog.skuOfGtin(item.gtin);
  const order = state.order;
  const entry = order.items.find((i) => i.sku === sku);
  if (!item || !sku || !entry) return refuse(state, msg('pack.notInOrder', { name: (sku && ctx.catalog.item(sku)?.name) ?? item?.gtin ?? 'that', gtin: item?.gtin }));
  if (entry.packed + item.count > entry.qty) return refuse(state, msg('pack.tooMany', { qty: entry.qty, name: entry.name, sku }));
  const items = order.items.map((i) => (i === entry ? { ...i, packed: i.packed + item.count } : i));
  const left = items.reduce((n, i) => n + i.qty - i.packed, 0);
  const next: PackOrder = { ...order, items };
  if (left > 0) {
    const s: PackState = { ...state, order: next };
    const m = msg('pack.itemOk', { name: entry.name, left });
    return { state: s, effects: [feedback(state, 'ok', m), screen(s, m)] };
  }
  const s: PackState = { ...state, phase: 'weighing', order: next };
  const m = msg('pack.weigh', { expected: next.expected.expected, tolerance: next.expected.tolerance });
  return { state: s, effects: [feedback(state, 'ok', m), screen(s, m)] };
}

function load(state: PackState, id: string, ctx: PackContext): Decision<PackState> {
  const found = ctx.findOrder(id);
  // The same order again (the packer lost count, or the gateway restarted mid-bag): start its bag over.
  const again = state.phase !== 'idle' && found !== undefined && found.orderId === state.order?.orderId;
  if (state.phase !== 'idle' && !again) return refuse(state, msg('pack.finishFirst', { orderId: state.order?.orderId }));
  if (!found) return refuse(state, msg('pack.unknownOrder', { id }));
  if (found.status === 'cancelled') return refuse(state, msg('pack.orderCancelled', { orderId: found.orderId }));
  if (found.status !== 'picked') return refuse(state, msg('pack.notReady', { orderId: found.orderId, status: found.status }));
  const items = found.items.map((i) => ({ ...i, name: ctx.catalog.item(i.sku)?.name ?? i.sku, packed: 0 }));
  const bagItems: BagItem[] = found.items.map((i) => {
    const c = ctx.catalog.item(i.sku);
    return { sku: i.sku, qty: i.qty, ...(c?.unitGrams !== undefined ? { unitGrams: c.unitGrams } : {}), ...(c?.toleranceGrams !== undefined ? { toleranceGrams: c.toleranceGrams } : {}), ...(i.measuredGrams !== undefined ? { measuredGrams: i.measuredGrams } : {}) };
  });
  const order: PackOrder = { orderId: found.orderId, ...(found.shortCode ? { shortCode: found.shortCode } : {}), items, expected: expectedBagWeight(bagItems, ctx.settings) };
  const units = items.reduce((n, i) => n + i.qty, 0);
  const phase = state.trustPick ? 'weighing' : 'scanning';
  const s: PackState = { ...state, phase, order };
  const m =
    phase === 'weighing'
      ? msg('pack.weigh', { expected: order.expected.expected, tolerance: order.expected.tolerance })
      : again
        ? msg('pack.restart', { orderId: order.orderId, units })
        : msg('pack.start', { orderId: order.orderId, units });
  return { state: s, effects: [feedback(state, 'ok', m), screen(s, m)] };
}

const unitsOf = (order: PackOrder) => order.items.reduce((n, i) => n + i.qty, 0);

/**
 * The OMS cancelled an order: the one being packed stops, and the packer puts its units in the
 * returns tote; the one this station packed last (its bag may still be on the bench) is taken
 * back, without disturbing a bag in progress on the screen.
 */
export function cancelPack(state: PackState, orderId: string): Decision<PackState> {
  if (state.lastPacked?.orderId === orderId && state.order?.orderId !== orderId) {
    const { lastPacked, ...rest } = state;
    const m = msg('pack.cancelledPacked', { orderId, sscc: lastPacked.sscc, units: lastPacked.units });
    return { state: rest, effects: [feedback(state, 'error', m), ...(state.order ? [] : [screen(rest, m)])] };
  }
  if (state.order?.orderId !== orderId) return { state, effects: [] };
  const units = unitsOf(state.order);
  const s: PackState = { ...state, phase: 'idle', order: undefined };
  const m = msg('pack.cancelled', { orderId, units });
  return { state: s, effects: [feedback(state, 'error', m), screen(s, m)] };
}

/** CMD-CANCEL: the bag in progress is set aside unpacked; the order stays picked, to be packed later. */
function setAside(state: PackState): Decision<PackState> {
  if (!state.order) return refuse(state, msg('scan.notExpected', { what: 'cancel', hint: 'no bag is being packed' }));
  const s: PackState = { ...state, phase: 'idle', order: undefined };
  const m = msg('pack.setAside', { orderId: state.order.orderId });
  return { state: s, effects: [feedback(state, 'ok', m), screen(s, m)] };
}

function weigh(state: PackState, order: PackOrder, grams: number, ctx: PackContext): Decision<PackState> {
  const { expected, tolerance, unknownWeight } = order.expected;
  const verdict = checkweigh(grams, order.expected);
  if (verdict.pass && unknownWeight.length === 0) return pass(state, order, grams, ctx, undefined);
  // A scale streams readings: record one failure per distinct stable weight, not one per message.
  if (state.phase === 'failed' && order.lastFailedGrams === Math.round(grams)) return { state, effects: [] };
  const failure =
    unknownWeight.length > 0
      ? msg('pack.noWeight', { name: unknownWeight.map((s) => ctx.catalog.item(s)?.name ?? s).join(', '), grams: Math.round(grams), expected, tolerance })
      : msg('pack.weightOutOfTolerance', { grams: Math.round(grams), expected, tolerance, delta: verdict.delta });
  const s: PackState = { ...state, phase: 'failed', order: { ...order, lastFailedGrams: Math.round(grams) } };
  const decision = refuse(s, failure);
  decision.effects.push(screen(s, failure, grams));
  return decision;
}

function override(state: PackState, order: PackOrder, supervisor: string, ctx: PackContext): Decision<PackState> {
  const grams = order.lastFailedGrams ?? order.expected.expected;
  const audit: Effect = {
    type: 'append',
    event: {
      type: 'verification.overridden',
      data: { station: state.station, orderId: order.orderId, reason: 'pack.weightOutOfTolerance', params: { grams, expected: order.expected.expected, tolerance: order.expected.tolerance }, supervisor },
      source: { ...source(state, order.orderId), actor: supervisor },
    },
  };
  return pass(state, order, grams, ctx, audit, supervisor);
}

function pass(state: PackState, order: PackOrder, grams: number, ctx: PackContext, audit: Effect | undefined, supervisor?: string): Decision<PackState> {
  const sscc = ctx.nextSscc();
  const printer = state.printer ?? '-';
  const effects: Effect[] = [];
  if (audit) effects.push(audit);
  effects.push(
    { type: 'append', event: { type: 'order.packed', data: { orderId: order.orderId, bags: 1, weightGrams: Math.round(grams) }, source: source(state, order.orderId) } },
    { type: 'append', event: { type: 'label.printed', data: { orderId: order.orderId, sscc, printer, station: state.station }, source: source(state, order.orderId) } },
  );
  if (state.printer) {
    effects.push({ type: 'command', device: state.printer, command: { kind: 'print', format: 'zpl', document: bagLabel(order, sscc, grams, ctx) } });
  }
  // A printer that is offline keeps the label queued: the packer is told to wait for it, and why.
  const waits = state.printer && ctx.printerFault ? { printer: state.printer, reason: ctx.printerFault } : undefined;
  const m = supervisor
    ? msg(waits ? 'pack.overriddenLabelWaits' : 'pack.overridden', { supervisor, sscc, ...waits })
    : msg(waits ? 'pack.passedLabelWaits' : 'pack.passed', { grams: Math.round(grams), sscc, ...waits });
  const units = unitsOf(order);
  const s: PackState = { ...state, phase: 'idle', order: undefined, lastPacked: { orderId: order.orderId, sscc, units } };
  effects.push(feedback(state, 'ok', m), screen(s, m));
  return { state: s, effects };
}

/** The bag label from the store's template; the built-in label if the template cannot be filled (a bag must never go unlabelled). */
function bagLabel(order: PackOrder, sscc: string, grams: number, ctx: PackContext): string {
  const itemCount = order.items.reduce((n, i) => n + i.packed, 0);
  return bagLabelDocument({ orderId: order.orderId, ...(order.shortCode ? { shortCode: order.shortCode } : {}), itemCount, sscc, grams }, ctx);
}

/**
 * The bag label's ZPL: the store's template when it has one, else the built-in label (a bag
 * must never go unlabelled, so a template that cannot be filled falls back too).
 */
export function bagLabelDocument(bag: { orderId: string; shortCode?: string; itemCount: number; sscc: string; grams: number }, ctx: Pick<PackContext, 'storeName' | 'bagLabelTemplate'>): string {
  const builtIn = () => bagLabelZpl({ sscc: bag.sscc, orderId: bag.orderId, ...(bag.shortCode ? { shortCode: bag.shortCode } : {}), store: ctx.storeName, weightGrams: bag.grams });
  if (!ctx.bagLabelTemplate) return builtIn();
  try {
    return renderLabel(ctx.bagLabelTemplate, { store: ctx.storeName, shortCode: bag.shortCode ?? bag.orderId, orderId: bag.orderId, itemCount: bag.itemCount, sscc: bag.sscc, weightKg: (bag.grams / 1000).toFixed(2) }, 'bag.zpl');
  } catch (err) {
    if (err instanceof TemplateError) return builtIn();
    throw err;
  }
}

function refuse(state: PackState, failure: Message): Decision<PackState> {
  return {
    state,
    effects: [
      {
        type: 'append',
        event: { type: 'verification.failed', data: { station: state.station, ...(state.order ? { orderId: state.order.orderId } : {}), reason: failure.key, params: failure.params }, source: source(state, state.order?.orderId) },
      },
      feedback(state, 'error', failure),
    ],
  };
}

function screen(state: PackState, message: Message, grams?: number): Effect {
  const s: StationScreen = { station: state.station, kind: 'pack', phase: state.phase, message };
  if (state.order) {
    s.orderId = state.order.orderId;
    s.lines = state.order.items.map((i) => ({ sku: i.sku, name: i.name, qty: i.qty, done: i.packed }));
    s.weight = { expected: state.order.expected.expected, tolerance: state.order.expected.tolerance, ...(grams !== undefined ? { grams: Math.round(grams) } : {}) };
  }
  return { type: 'screen', screen: s };
}

const feedback = (state: PackState, result: 'ok' | 'error', message: Message): Effect => ({ type: 'feedback', device: state.scanner, result, message });
const source = (state: PackState, orderId?: string) => ({ station: state.station, device: state.scanner, ...(orderId ? { orderId } : {}) });
