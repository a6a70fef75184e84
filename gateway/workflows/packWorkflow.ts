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
 * An order too big for one bag: CMD-NEXTBAG closes the bag being filled. It is weighed on its
 * own (its units and the packaging), and when it passes it gets its label and `bag.packed`;
 * the packer fills the next bag. The last bag records `order.packed` with the number of bags.
 * Bags already passed stay passed across a restart (they are in the log).
 *
 * At a station that trusts the pick nothing is scanned into a bag, so no bag can be checked on
 * its own: CMD-NEXTBAG while the order waits for the scale adds a bag, and all its bags go on
 * the scale together (the items and one packaging per bag). When they pass, each bag gets its
 * own label and SSCC ("bag 2 of 3") and `order.packed` records the number of bags.
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
  /** Bags of this order that passed already (`bag.packed`), when it is packed in several. */
  bags?: PassedBag[];
}

export interface PassedBag {
  bag: number;
  sscc: string;
  /** `grams`: a variable-measure item's weight in this bag. */
  items: Array<{ sku: string; qty: number; grams?: number }>;
  weightGrams: number;
}

export interface PackOrder {
  orderId: string;
  shortCode?: string;
  /**
   * `packed`: units scanned into bags so far; `bagged`: of them, in bags that passed already.
   * A variable-measure item: `measuredGrams` captured at picking, `baggedGrams` of it in passed
   * bags, and the weights its scans into the current bag carried (`scannedGrams` over
   * `scannedWeighed` units; each unit's label has its own weight).
   */
  items: Array<{ sku: string; name: string; qty: number; packed: number; bagged: number; measuredGrams?: number; baggedGrams?: number; scannedGrams?: number; scannedWeighed?: number }>;
  /** The bag being filled or weighed: 1 for the first. */
  bag: number;
  /** The order's bags that passed before this one. */
  passed: PassedBag[];
  /** What the bag on the scale should weigh (while scanning: the units still to pack). */
  expected: ExpectedWeight;
  /** At a station that trusts the pick: the bags the packer put the order in, weighed together (2 or more). */
  together?: number;
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
  /**
   * The weight of a bag of the order that just passed and may still be on the scale: a reading of
   * that weight does not count for the next bag until the pan was empty or the load moved.
   */
  passedBagOnScale?: number;
  /** The order this station packed last (its bags' SSCCs): a cancellation that comes after it is news to the packer. */
  lastPacked?: { orderId: string; ssccs: string[]; units: number };
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
/** Two stable readings this close are the same load, not a new bag put on the scale. */
const sameLoadGrams = 2;

export function applyPack(state: PackState, input: StationInput, ctx: PackContext): Decision<PackState> {
  if (input.kind === 'unreadable') return refuse(state, msg('scan.unreadable', { detail: input.detail }));
  if (input.kind === 'weight') {
    if (state.passedBagOnScale !== undefined) {
      // A polled scale may miss the empty pan between two bags: any other load counts as moved.
      const moved = !input.stable || input.grams < emptyPanGrams || Math.abs(input.grams - state.passedBagOnScale) > sameLoadGrams;
      if (!moved) return { state, effects: [] };
      const { passedBagOnScale: _gone, ...rest } = state;
      if (!input.stable || input.grams < emptyPanGrams) return { state: rest, effects: [] };
      return applyPack(rest, input, ctx);
    }
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
  if (label?.kind === 'command' && label.command === 'nextBag') return closeBag(state, ctx);
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
  const weighed = entry.measuredGrams !== undefined && item.grams !== undefined ? { scannedGrams: (entry.scannedGrams ?? 0) + item.grams, scannedWeighed: (entry.scannedWeighed ?? 0) + item.count } : {};
  const items = order.items.map((i) => (i === entry ? { ...i, packed: i.packed + item.count, ...weighed } : i));
  const left = items.reduce((n, i) => n + i.qty - i.packed, 0);
  const next: PackOrder = { ...order, items };
  if (left > 0) {
    const s: PackState = { ...state, order: next };
    const m = msg('pack.itemOk', { name: entry.name, left });
    return { state: s, effects: [feedback(state, 'ok', m), screen(s, m)] };
  }
  return toScale(state, next, ctx);
}

/** The bag being filled goes on the scale: what it should weigh is what was scanned into it. */
function toScale(state: PackState, order: PackOrder, ctx: PackContext): Decision<PackState> {
  const expected = expectedOf(order, (i) => i.packed - i.bagged, ctx, true, order.together);
  const { lastFailedGrams: _failed, ...rest } = order;
  const next: PackOrder = { ...rest, expected };
  const s: PackState = { ...state, phase: 'weighing', order: next };
  // A one-bag order reads as before; in an order of several bags the packer hears which bag.
  const severalBags = order.bag > 1 || order.items.some((i) => i.packed < i.qty);
  const m = order.together
    ? // The order's bags in all; those on the scale are all of them unless some passed before (elsewhere, or before a restart).
      msg('pack.weighTogether', { orderId: order.orderId, bags: order.bag + order.together - 1, ...(order.bag > 1 ? { from: order.bag } : {}), expected: expected.expected, tolerance: expected.tolerance })
    : severalBags
      ? msg('pack.weighBag', { bag: order.bag, expected: expected.expected, tolerance: expected.tolerance })
      : msg(state.trustPick ? 'pack.weighTrusted' : 'pack.weigh', { expected: expected.expected, tolerance: expected.tolerance });
  return { state: s, effects: [feedback(state, 'ok', m), screen(s, m)] };
}

/** CMD-NEXTBAG: the bag being filled is full; it is weighed on its own, and the rest goes in the next. */
function closeBag(state: PackState, ctx: PackContext): Decision<PackState> {
  // Trusting the pick, nothing was scanned into a bag: one more bag, and they are weighed together.
  if (state.trustPick && (state.phase === 'weighing' || state.phase === 'failed') && state.order) {
    return toScale(state, { ...state.order, together: (state.order.together ?? 1) + 1 }, ctx);
  }
  if (state.phase !== 'scanning' || !state.order) {
    const hint = state.order ? 'the bag is on the scale; to repack it, scan the order again' : state.trustPick ? 'scan a tote or an order label first' : 'scan units into a bag first';
    return refuse(state, msg('scan.notExpected', { what: 'next bag', hint }));
  }
  const order = state.order;
  if (order.items.every((i) => i.packed === i.bagged)) return refuse(state, msg('pack.bagEmpty', { bag: order.bag }));
  return toScale(state, order, ctx);
}

type PackItem = PackOrder['items'][number];

/**
 * A variable-measure item's weight in `units` of it not yet in a passed bag: in the current bag
 * (`inBag`), what its scans said when every unit's label carried a weight; otherwise its share
 * of what was captured at picking and is not in a passed bag.
 */
function measuredIn(i: PackItem, units: number, inBag: boolean): number | undefined {
  if (i.measuredGrams === undefined) return undefined;
  if (inBag && units > 0 && i.scannedWeighed === units) return i.scannedGrams;
  const left = i.qty - i.bagged;
  return left > 0 ? ((i.measuredGrams - (i.baggedGrams ?? 0)) * units) / left : 0;
}

/** The weight the catalog expects for `units(item)` of each item (in the current bag: `inBag`), with the packaging of `bags` bags. */
function expectedOf(order: PackOrder, units: (item: PackItem) => number, ctx: PackContext, inBag = false, bags = 1): ExpectedWeight {
  const bagItems: BagItem[] = order.items
    .filter((i) => units(i) > 0)
    .map((i) => {
      const c = ctx.catalog.item(i.sku);
      const qty = units(i);
      const grams = measuredIn(i, qty, inBag);
      return { sku: i.sku, qty, ...(c?.unitGrams !== undefined ? { unitGrams: c.unitGrams } : {}), ...(c?.toleranceGrams !== undefined ? { toleranceGrams: c.toleranceGrams } : {}), ...(grams !== undefined ? { measuredGrams: grams } : {}) };
    });
  return expectedBagWeight(bagItems, bags === 1 ? ctx.settings : { ...ctx.settings, packagingGrams: ctx.settings.packagingGrams * bags });
}

function load(state: PackState, id: string, ctx: PackContext): Decision<PackState> {
  const found = ctx.findOrder(id);
  // The same order again (the packer lost count, or the gateway restarted mid-bag): start its bag over.
  const again = state.phase !== 'idle' && found !== undefined && found.orderId === state.order?.orderId;
  if (state.phase !== 'idle' && !again) return refuse(state, msg('pack.finishFirst', { orderId: state.order?.orderId }));
  if (!found) return refuse(state, msg('pack.unknownOrder', { id }));
  if (found.status === 'cancelled') return refuse(state, msg('pack.orderCancelled', { orderId: found.orderId }));
  if (found.status !== 'picked') return refuse(state, msg('pack.notReady', { orderId: found.orderId, status: found.status }));
  // Bags that passed already stay passed (this station's own, or the log's after a restart): only the rest is packed now.
  const passed = again && state.order ? state.order.passed : (found.bags ?? []);
  const bagged = (sku: string) => passed.reduce((n, b) => n + (b.items.find((i) => i.sku === sku)?.qty ?? 0), 0);
  const baggedGrams = (sku: string) => passed.reduce((g, b) => g + (b.items.find((i) => i.sku === sku)?.grams ?? 0), 0);
  const items = found.items.map((i) => ({
    ...i,
    name: ctx.catalog.item(i.sku)?.name ?? i.sku,
    packed: bagged(i.sku),
    bagged: bagged(i.sku),
    ...(i.measuredGrams !== undefined ? { baggedGrams: baggedGrams(i.sku) } : {}),
  }));
  const draft: PackOrder = { orderId: found.orderId, ...(found.shortCode ? { shortCode: found.shortCode } : {}), items, bag: passed.length + 1, passed, expected: { expected: 0, tolerance: 0, unknownWeight: [] } };
  const order: PackOrder = { ...draft, expected: expectedOf(draft, (i) => i.qty - i.bagged, ctx) };
  const units = items.reduce((n, i) => n + i.qty - i.bagged, 0);
  if (state.trustPick) return toScale(state, { ...order, items: items.map((i) => ({ ...i, packed: i.qty })) }, ctx);
  const { passedBagOnScale: _onScale, ...fresh } = state;
  const s: PackState = { ...fresh, phase: 'scanning', order, ...(again && state.passedBagOnScale !== undefined ? { passedBagOnScale: state.passedBagOnScale } : {}) };
  const m =
    passed.length > 0
      ? msg('pack.nextBag', { orderId: order.orderId, bags: passed.length, units, bag: order.bag })
      : again
        ? msg('pack.restart', { orderId: order.orderId, units })
        : msg('pack.start', { orderId: order.orderId, units });
  return { state: s, effects: [feedback(state, 'ok', m), screen(s, m)] };
}

const unitsOf = (order: PackOrder) => order.items.reduce((n, i) => n + i.qty, 0);
const ssccList = (ssccs: string[]) => ssccs.join(', ');

/**
 * The OMS cancelled an order: the one being packed stops, and the packer puts its units in the
 * returns tote; the one this station packed last (its bag may still be on the bench) is taken
 * back, without disturbing a bag in progress on the screen.
 */
export function cancelPack(state: PackState, orderId: string): Decision<PackState> {
  if (state.lastPacked?.orderId === orderId && state.order?.orderId !== orderId) {
    const { lastPacked, ...rest } = state;
    const m = msg('pack.cancelledPacked', { orderId, sscc: ssccList(lastPacked.ssccs), bags: lastPacked.ssccs.length, units: lastPacked.units });
    return { state: rest, effects: [feedback(state, 'error', m), ...(state.order ? [] : [screen(rest, m)])] };
  }
  if (state.order?.orderId !== orderId) return { state, effects: [] };
  const units = unitsOf(state.order);
  const passed = state.order.passed;
  const s: PackState = { ...state, phase: 'idle', order: undefined };
  const m = msg('pack.cancelled', { orderId, units, ...(passed.length > 0 ? { bags: passed.length, sscc: ssccList(passed.map((b) => b.sscc)) } : {}) });
  return { state: s, effects: [feedback(state, 'error', m), screen(s, m)] };
}

/** CMD-CANCEL: the bag in progress is set aside unpacked; the order stays picked, to be packed later. */
function setAside(state: PackState): Decision<PackState> {
  if (!state.order) return refuse(state, msg('scan.notExpected', { what: 'cancel', hint: 'no bag is being packed' }));
  const s: PackState = { ...state, phase: 'idle', order: undefined };
  const m = msg('pack.setAside', { orderId: state.order.orderId, ...(state.order.passed.length > 0 ? { bags: state.order.passed.length } : {}) });
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
      data: { station: state.station, orderId: order.orderId, reason: 'pack.weightOutOfTolerance', params: { grams, expected: order.expected.expected, tolerance: order.expected.tolerance }, supervisor, ...bagsOf(order) },
      source: { ...source(state, order.orderId), actor: supervisor },
    },
  };
  return pass(state, order, grams, ctx, audit, supervisor);
}

/** Which bag is on the scale, in an order packed in several (for the audit of an override). */
function bagsOf(order: PackOrder): { bag?: number; bags?: number } {
  if (order.together) return { bag: order.bag, bags: order.together };
  return order.bag > 1 || order.items.some((i) => i.packed < i.qty) ? { bag: order.bag } : {};
}

function pass(state: PackState, order: PackOrder, grams: number, ctx: PackContext, audit: Effect | undefined, supervisor?: string): Decision<PackState> {
  if (order.together) return passTogether(state, order, grams, ctx, audit, supervisor);
  const sscc = ctx.nextSscc();
  const printer = state.printer ?? '-';
  const inBag = order.items
    .filter((i) => i.packed > i.bagged)
    .map((i) => {
      const grams = measuredIn(i, i.packed - i.bagged, true);
      return { sku: i.sku, qty: i.packed - i.bagged, ...(grams !== undefined ? { grams: Math.round(grams) } : {}) };
    });
  const last = order.items.every((i) => i.packed === i.qty);
  const severalBags = order.bag > 1 || !last;
  const effects: Effect[] = [];
  if (audit) effects.push(audit);
  const src = source(state, order.orderId);
  if (last) {
    const total = order.passed.reduce((g, b) => g + b.weightGrams, 0) + Math.round(grams);
    effects.push({ type: 'append', event: { type: 'order.packed', data: { orderId: order.orderId, bags: order.bag, weightGrams: total }, source: src } });
  } else {
    effects.push({ type: 'append', event: { type: 'bag.packed', data: { orderId: order.orderId, bag: order.bag, sscc, items: inBag, weightGrams: Math.round(grams) }, source: src } });
  }
  effects.push({ type: 'append', event: { type: 'label.printed', data: { orderId: order.orderId, sscc, printer, station: state.station, ...(severalBags ? { bag: order.bag } : {}) }, source: src } });
  if (state.printer) {
    // From what the events just recorded, as lost-label recovery reads them back (bagLabelFields).
    const recorded = last
      ? { packed: { bags: order.bag, weightGrams: order.passed.reduce((g, b) => g + b.weightGrams, 0) + Math.round(grams) }, passed: order.passed }
      : { passed: [...order.passed, { bag: order.bag, sscc, items: inBag, weightGrams: Math.round(grams) }] };
    const fields = bagLabelFields({ sscc, ...(severalBags ? { bag: order.bag } : {}), ...recorded, orderUnits: unitsOf(order) });
    effects.push({ type: 'command', device: state.printer, command: { kind: 'print', format: 'zpl', document: bagLabel(order, sscc, fields, ctx) } });
  }
  // A printer that is offline keeps the label queued: the packer is told to wait for it, and why.
  const waits = state.printer && ctx.printerFault ? { printer: state.printer, reason: ctx.printerFault } : undefined;
  if (!last) {
    // The next bag: the units still to scan go into it.
    const passed = [...order.passed, { bag: order.bag, sscc, items: inBag, weightGrams: Math.round(grams) }];
    const items = order.items.map(({ scannedGrams: _g, scannedWeighed: _w, ...i }) => {
      const grams = inBag.find((b) => b.sku === i.sku)?.grams;
      return { ...i, bagged: i.packed, ...(grams !== undefined ? { baggedGrams: (i.baggedGrams ?? 0) + grams } : {}) };
    });
    const draft: PackOrder = { ...order, items, bag: order.bag + 1, passed, lastFailedGrams: undefined };
    const next: PackOrder = { ...draft, expected: expectedOf(draft, (i) => i.qty - i.packed, ctx) };
    const left = items.reduce((n, i) => n + i.qty - i.packed, 0);
    const m = msg('pack.bagPassed', { bag: order.bag, grams: Math.round(grams), sscc, left, next: order.bag + 1, ...(supervisor ? { supervisor } : {}), ...waits });
    const s: PackState = { ...state, phase: 'scanning', order: next, passedBagOnScale: Math.round(grams) };
    effects.push(feedback(state, 'ok', m), screen(s, m));
    return { state: s, effects };
  }
  const ssccs = [...order.passed.map((b) => b.sscc), sscc];
  const m = severalBags
    ? msg('pack.passedBags', { bag: order.bag, bags: ssccs.length, grams: Math.round(grams), sscc, orderId: order.orderId, ...(supervisor ? { supervisor } : {}), ...waits })
    : supervisor
      ? msg(waits ? 'pack.overriddenLabelWaits' : 'pack.overridden', { supervisor, sscc, ...waits })
      : msg(waits ? 'pack.passedLabelWaits' : 'pack.passed', { grams: Math.round(grams), sscc, ...waits });
  // The bag may stay on the scale while the next order is loaded (at once, trusting the pick): its weight is not the next bag's.
  const s: PackState = { ...state, phase: 'idle', order: undefined, lastPacked: { orderId: order.orderId, ssccs, units: unitsOf(order) }, passedBagOnScale: Math.round(grams) };
  effects.push(feedback(state, 'ok', m), screen(s, m));
  return { state: s, effects };
}

/**
 * The bags of an order weighed together (a station that trusts the pick) passed: one label and
 * SSCC per bag, numbered "bag 2 of 3", each with the order's weight and units, of all its bags
 * (what each bag holds was never scanned; bags that passed before are counted in). No
 * `bag.packed`: `order.packed` records them all.
 */
function passTogether(state: PackState, order: PackOrder, grams: number, ctx: PackContext, audit: Effect | undefined, supervisor?: string): Decision<PackState> {
  const bags = order.together!;
  const src = source(state, order.orderId);
  const numbers = Array.from({ length: bags }, (_, k) => order.bag + k);
  const ssccs = numbers.map(() => ctx.nextSscc());
  const last = order.bag + bags - 1;
  const total = order.passed.reduce((g, b) => g + b.weightGrams, 0) + Math.round(grams);
  const effects: Effect[] = audit ? [audit] : [];
  effects.push({ type: 'append', event: { type: 'order.packed', data: { orderId: order.orderId, bags: last, weightGrams: total }, source: src } });
  numbers.forEach((bag, k) => {
    effects.push({ type: 'append', event: { type: 'label.printed', data: { orderId: order.orderId, sscc: ssccs[k]!, printer: state.printer ?? '-', station: state.station, bag }, source: src } });
  });
  if (state.printer) {
    const printer = state.printer;
    const packed = { bags: last, weightGrams: total };
    numbers.forEach((bag, k) => {
      const fields = bagLabelFields({ sscc: ssccs[k]!, bag, packed, passed: order.passed, orderUnits: unitsOf(order) });
      effects.push({ type: 'command', device: printer, command: { kind: 'print', format: 'zpl', document: bagLabel(order, ssccs[k]!, fields, ctx) } });
    });
  }
  const waits = state.printer && ctx.printerFault ? { printer: state.printer, reason: ctx.printerFault } : undefined;
  const all = [...order.passed.map((b) => b.sscc), ...ssccs];
  const m = msg('pack.passedTogether', { bags, total: last, grams: Math.round(grams), sscc: ssccList(ssccs), orderId: order.orderId, ...(supervisor ? { supervisor } : {}), ...waits });
  const s: PackState = { ...state, phase: 'idle', order: undefined, lastPacked: { orderId: order.orderId, ssccs: all, units: unitsOf(order) }, passedBagOnScale: Math.round(grams) };
  effects.push(feedback(state, 'ok', m), screen(s, m));
  return { state: s, effects };
}

/** The bag label from the store's template; the built-in label if the template cannot be filled (a bag must never go unlabelled). */
function bagLabel(order: PackOrder, sscc: string, fields: BagLabelFields, ctx: PackContext): string {
  return bagLabelDocument({ orderId: order.orderId, ...(order.shortCode ? { shortCode: order.shortCode } : {}), sscc, ...fields }, ctx);
}

export interface BagLabelFields {
  grams: number;
  itemCount: number;
  bag?: number;
  /** Bags weighed together: how many; `grams` and `itemCount` are then the order's. */
  of?: number;
}

/**
 * What a bag's label shows, from what the log records of its order's packing: a bag with its own
 * `bag.packed`, its weight and units; bags weighed together (several labels, no `bag.packed`),
 * the order's weight and units and "of N"; the last (or only) bag, what `order.packed` leaves
 * after the bags before it. The pass prints from this and lost-label recovery reprints from the
 * log through it, so a reprint is the same document (and prints once).
 *
 * @example
 *   bagLabelFields({ sscc, bag: 2, packed: { bags: 2, weightGrams: 2310 }, passed: [bag1], orderUnits: 3 }); // { grams: 1230, itemCount: 2, bag: 2 }
 */
export function bagLabelFields(input: { sscc: string; bag?: number; packed?: { bags?: number; weightGrams?: number }; passed: readonly PassedBag[]; orderUnits: number }): BagLabelFields {
  const units = (items: ReadonlyArray<{ qty: number }>) => items.reduce((n, i) => n + i.qty, 0);
  const which = input.bag !== undefined ? { bag: input.bag } : {};
  const own = input.passed.find((b) => b.sscc === input.sscc);
  if (own) return { grams: own.weightGrams, itemCount: units(own.items), ...which };
  const bags = input.packed?.bags ?? 1;
  const total = input.packed?.weightGrams ?? 0;
  if (input.bag !== undefined && bags > input.passed.length + 1) return { grams: total, itemCount: input.orderUnits, ...which, of: bags };
  const before = input.passed;
  return { grams: total - before.reduce((g, b) => g + b.weightGrams, 0), itemCount: input.orderUnits - before.reduce((n, b) => n + units(b.items), 0), ...which };
}

/**
 * The bag label's ZPL: the store's template when it has one, else the built-in label (a bag
 * must never go unlabelled, so a template that cannot be filled falls back too).
 */
export function bagLabelDocument(bag: { orderId: string; shortCode?: string; itemCount: number; sscc: string; grams: number; bag?: number; of?: number }, ctx: Pick<PackContext, 'storeName' | 'bagLabelTemplate'>): string {
  const builtIn = () => bagLabelZpl({ sscc: bag.sscc, orderId: bag.orderId, ...(bag.shortCode ? { shortCode: bag.shortCode } : {}), store: ctx.storeName, weightGrams: bag.grams, ...(bag.bag ? { bag: bag.bag } : {}), ...(bag.of ? { of: bag.of } : {}) });
  if (!ctx.bagLabelTemplate) return builtIn();
  try {
    // `bag`: the bag's number in an order of several ("bag 2 of 3" when weighed together), empty for a one-bag order.
    const which = bag.bag ? `bag ${bag.bag}${bag.of ? ` of ${bag.of}` : ''}` : '';
    return renderLabel(ctx.bagLabelTemplate, { store: ctx.storeName, shortCode: bag.shortCode ?? bag.orderId, orderId: bag.orderId, itemCount: bag.itemCount, sscc: bag.sscc, weightKg: (bag.grams / 1000).toFixed(2), bag: which }, 'bag.zpl');
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
