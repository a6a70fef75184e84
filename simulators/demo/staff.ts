/**
 * The simulated staff: pickers, a packer, a receiver and a dispatcher. Each works through its
 * station's devices on their transports (a serial or MQTT scanner, lights, a serial or MQTT
 * scale, the TCP label printer, a photo-eye: floorDevices.ts), reads its station screen like a
 * person would, and makes mistakes at the configured rates. Whether the gateway caught a
 * mistake is judged from the answer the person got.
 */
import type { CatalogItem } from '../cloud-oms/groceryCatalog.ts';
import type { CancelMoment } from './customerCancellations.ts';
import type { Answer, FloorEye, FloorLights, FloorPrinter, FloorScale, FloorScanner, Verdict } from './floorDevices.ts';
import { isoDay, unitBarcode, type Bag, type FloorWorld, type PickedUnit, type ShelfSlot, type Tote } from './floorWorld.ts';
import type { Pace } from './pace.ts';
import type { MistakeRates, ShiftStats } from './shiftStats.ts';

export interface ScreenLine {
  line?: number;
  sku: string;
  name: string;
  bin?: string;
  qty: number;
  done: number;
  short?: number;
}
/** A slot of a batch station's put wall on its screen: the order in it, its tote, and `put` when a unit waits to go in. */
export interface ScreenSlot {
  slot: number;
  orderId?: string;
  tote?: string;
  status: string;
  put?: number;
  lines: ScreenLine[];
}
export interface Screen {
  station: string;
  orderId?: string;
  phase?: string;
  text?: string;
  lines?: ScreenLine[];
  /** A batch station's batch and its put wall. */
  batchId?: string;
  slots?: ScreenSlot[];
}

export interface StaffContext {
  world: FloorWorld;
  stats: ShiftStats;
  rates: MistakeRates;
  pace: Pace;
  random: () => number;
  screen: (stationId: string) => Promise<Screen>;
  /** What the gateway's admin API says about an order: what a person sees on the console. */
  order: (orderId: string) => Promise<OrderView>;
  /** The newest events of one type for an order (the console's order history). */
  orderEvents: (orderId: string, type: string) => Promise<Array<{ type: string; data: Record<string, unknown> }>>;
  signal: AbortSignal;
  /** Another item than `item`, for a wrong-item mistake. */
  otherItem: (item: CatalogItem) => CatalogItem;
  /** Whether the gateway's device health shows a device online (a person sees the scanner's status light). */
  deviceOnline: (deviceId: string) => Promise<boolean>;
  /** How long a packer waits for the bag label to come out of the printer (wall clock). */
  labelWaitMs?: number;
  /** An order reached a moment of its life on the floor (its customer may cancel it then: customerCancellations.ts). */
  orderReached?: (orderId: string, moment: CancelMoment) => void;
}

export interface OrderView {
  orderId: string;
  status: string;
  lineItems: Array<{ line: number; sku: string; qty: number; picked: number; short: number }>;
}

/**
 * No answer at all (the gateway was killed mid-scan): a person waits until the screen works and
 * the scanner is back online, then a moment more for a scan the scanner sends again, and only
 * then looks at what was counted. Mistakes made into silence are not judged: nobody saw a verdict.
 */
export async function waitForGateway(ctx: StaffContext, station: string, device: FloorScanner): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!ctx.signal.aborted && Date.now() < deadline) {
    const screen = await ctx.screen(station).catch(() => undefined);
    if (screen && (await ctx.deviceOnline(device.id).catch(() => false))) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 1000));
}

export const ok = (r: { feedback?: { result: string } }) => r.feedback?.result === 'ok';
export const refused = (r: { feedback?: { result: string } }) => r.feedback?.result === 'error';

/** The order a floor message says was cancelled ("order O-1 was cancelled: ...", "order O-2 in slot 3 (43) was cancelled: ..."), in any station's wording. */
export function cancelledOrderIn(message: string | undefined): string | undefined {
  return /^order (\S+)(?: in slot \d+(?: \(\S+\))?)? was cancelled\b/.exec(message ?? '')?.[1];
}

/**
 * A message the gateway sends on its own when the OMS cancels an order (the picker's "stop, put
 * the 2 picked units in the returns tote", the packer's "take its bag back"), as opposed to the
 * answer to a scan ("do not pack it", "do not ship it").
 */
const isCancelNotice = (v: Verdict | undefined) => /^order \S+(?: in slot \d+(?: \(\S+\))?)? was cancelled(: stop,| just after picking| after packing|: take the tote out)/.test(v?.message ?? '');

/** The beeps after an answer: those heard already (nobody waited for them), else the next one within `timeoutMs`. */
export async function nextBeeps(scanner: FloorScanner, timeoutMs: number): Promise<Verdict[]> {
  const already = scanner.takeNotices();
  if (already.length > 0) return already;
  const next = await scanner.nextVerdict(timeoutMs);
  return next ? [next] : [];
}

/**
 * An action's answer as a person tells it apart: a cancellation message that came in the same
 * moment is not the answer, the next beep is. Returns that answer, and the cancellation
 * messages heard with it (`before`: ahead of the answer) and after it.
 */
export async function heardAnswer(scanner: FloorScanner, r: Answer): Promise<Answer & { before: Verdict[]; after: Verdict[] }> {
  const before: Verdict[] = [];
  const after: Verdict[] = [];
  let answer = r.feedback;
  while (answer && isCancelNotice(answer)) {
    before.push(answer);
    const beeps = await nextBeeps(scanner, 2000);
    answer = beeps.shift();
    after.push(...beeps);
  }
  return { ...(answer ? { feedback: answer } : {}), ms: r.ms, before, after };
}

/** Whether the console shows the order cancelled. */
export async function isCancelled(ctx: StaffContext, orderId: string): Promise<boolean> {
  return (await ctx.order(orderId).catch(() => undefined))?.status === 'cancelled';
}

export async function runPicker(ctx: StaffContext, station: string, scanner: FloorScanner, lights: FloorLights): Promise<void> {
  const { world, stats, rates, pace, random, signal } = ctx;
  type OnCart = Tote & { shorted: number };
  let current: OnCart | undefined;
  /** Totes whose order the station took away unfinished (a restart): kept until it comes back. */
  const held = new Map<string, OnCart>();
  /**
   * Around a cancellation a unit's answer can belong to another order than the picker thinks:
   * `carried` was counted for the order after the cancelled one; `unsettled` got an error as
   * answer and may have counted all the same. The console and the next screen settle them.
   */
  let carried: PickedUnit | undefined;
  let unsettled: ShelfSlot | undefined;
  /** The cancellation message the picker heard for an order, to report what they were told. */
  const told = new Map<string, string>();
  const listen = (verdicts: Verdict[]) => {
    for (const v of verdicts) {
      const orderId = cancelledOrderIn(v.message);
      if (!orderId) continue;
      told.set(orderId, v.message!);
      // "Cancelled just after picking: take tote 9 back": it is on the cart to packing, unless the packer has it.
      if (orderId !== current?.orderId && world.takeBack(orderId) > 0) stats.cancellationHandled(orderId, 'picked', v.message);
    }
  };
  /** The order was cancelled with the tote on this cart: what the console says it counted goes into the returns tote. */
  const returnTote = async (tote: OnCart) => {
    // The answer of a scan in flight comes a moment after the cancellation: let it land first.
    await new Promise((r) => setTimeout(r, 250));
    const view = await ctx.order(tote.orderId).catch(() => undefined);
    for (const sku of new Set([...(view?.lineItems ?? []).map((l) => l.sku), ...tote.units.map((u) => u.item.sku)])) {
      const counted = view?.lineItems.filter((l) => l.sku === sku).reduce((n, l) => n + l.picked, 0) ?? 0;
      const inTote = tote.units.filter((u) => u.item.sku === sku).length;
      if (counted === inTote + 1 && unsettled?.item.sku === sku && unsettled.qty > 0) {
        tote.units.push(world.take(unsettled));
        unsettled = undefined;
      } else if (counted === inTote - 1 && !carried) {
        carried = tote.units.splice(tote.units.map((u) => u.item.sku).lastIndexOf(sku), 1)[0];
      } else if (view && counted !== inTote) stats.problems.push(`picker at ${station}: cancelled order ${tote.orderId} counted ${counted} x ${sku}, the tote holds ${inTote}`);
    }
    world.toReturns(tote.orderId, tote.units);
    const allDone = view?.lineItems.every((l) => l.picked + l.short >= l.qty) ?? false;
    stats.cancellationHandled(tote.orderId, allDone ? 'picked' : 'picking', told.get(tote.orderId));
  };
  const finish = async () => {
    if (!current) return;
    const done = current;
    current = undefined;
    // A station that moves on has finished the order, unless the gateway restarted and handed it
    // elsewhere, or the OMS cancelled it: the console says which.
    const status = (await ctx.order(done.orderId).catch(() => undefined))?.status;
    if (status === 'released' || status === 'picking') {
      if (done.units.length > 0 || done.shorted > 0) held.set(done.orderId, done);
      return;
    }
    if (status === 'cancelled') return returnTote(done);
    if (done.units.length > 0) {
      world.totesToPack.push({ tote: done.tote, orderId: done.orderId, units: done.units });
      ctx.orderReached?.(done.orderId, 'picked');
    } else if (done.shorted > 0) stats.orderEmptied(done.orderId);
  };
  /** A new order on the screen with units counted already: the unit scanned as the last one was cancelled. */
  const settleNewOrder = (tote: OnCart, screen: Screen) => {
    for (const line of screen.lines ?? []) {
      for (let missing = line.done - tote.units.filter((u) => u.item.sku === line.sku).length; missing > 0; missing--) {
        if (carried?.item.sku === line.sku) {
          tote.units.push(carried);
          carried = undefined;
        } else if (unsettled?.item.sku === line.sku && unsettled.qty > 0) {
          tote.units.push(world.take(unsettled));
          unsettled = undefined;
        } else {
          stats.problems.push(`picker at ${station}: order ${tote.orderId} shows ${line.done} x ${line.sku} picked before any was scanned for it`);
          break;
        }
      }
    }
    // A carried unit no order counted goes back to its shelf.
    if (carried) world.putAway(carried.bin, carried.zone, carried.item, carried.lot, carried.expiry, 1);
    carried = undefined;
    unsettled = undefined;
  };
  while (!signal.aborted) {
    listen(scanner.takeNotices());
    // Told the order is cancelled: stop working it.
    if (current && told.has(current.orderId)) await finish();
    const screen = await ctx.screen(station).catch(() => undefined);
    if (!screen) {
      // The screen is dark (the gateway restarting): wait, the tote stays on the cart.
      await pace.idle(signal);
      continue;
    }
    if (!screen.orderId || told.has(screen.orderId)) {
      await finish();
      await pace.idle(signal);
      continue;
    }
    if (current?.orderId !== screen.orderId) {
      await finish();
      current = held.get(screen.orderId);
      held.delete(screen.orderId);
      if (!current) {
        current = { orderId: screen.orderId, tote: world.nextTote(), units: [], shorted: 0 };
        settleNewOrder(current, screen);
        await pace.wait(2000, signal);
        const r = await heardAnswer(scanner, await scanner.scan(current.tote));
        stats.scanned(r.ms);
        listen([...r.before, ...r.after]);
      }
    }
    const line = screen.lines?.find((l) => l.done + (l.short ?? 0) < l.qty);
    if (!line) {
      await pace.idle(signal);
      continue;
    }
    await pace.wait(3000, signal);
    const slot = line.bin ? world.takeFrom(line.bin, line.sku) : undefined;
    if (!slot) {
      // Nothing in the bin: say so with the command barcode.
      const r = await heardAnswer(scanner, await scanner.scan('CMD-SHORT'));
      stats.scanned(r.ms);
      listen([...r.before, ...r.after]);
      if (ok(r) || (!r.feedback && (await countedAfterSilence(ctx, station, scanner, current.orderId, line, 'short')))) {
        current.shorted += 1;
        await screenShows(ctx, station, current.orderId, line);
      }
      continue;
    }
    const dice = random();
    if (dice < rates.shortPick) {
      // A damaged unit: the picker reports it short with the light's button.
      const r = await heardAnswer(scanner, await lights.press('short', scanner));
      listen([...r.before, ...r.after]);
      // A good-read beep on the short button: recorded (a serial scanner's message is its screen's text).
      // Said to an order cancelled that moment, it is not judged: the order is gone.
      const gone = told.has(current.orderId) || (refused(r) && (await isCancelled(ctx, current.orderId)));
      if (r.feedback && !gone) stats.mistake('shortPick', ok(r), `order ${current.orderId}`);
      if (ok(r) || (!r.feedback && (await countedAfterSilence(ctx, station, scanner, current.orderId, line, 'short')))) {
        current.shorted += 1;
        await screenShows(ctx, station, current.orderId, line);
      }
      continue;
    }
    if (dice < rates.shortPick + rates.wrongItem) {
      const r = await heardAnswer(scanner, await scanner.scan(unitBarcode(ctx.otherItem(slot.item))));
      stats.scanned(r.ms);
      listen([...r.before, ...r.after]);
      if (r.feedback) stats.mistake('wrongItem', refused(r), `order ${current.orderId} line ${line.sku}`);
      else await waitForGateway(ctx, station, scanner);
      continue;
    }
    if (dice < rates.shortPick + rates.wrongItem + rates.expiredLot && slot.item.lotTracked) {
      const r = await heardAnswer(scanner, await scanner.scan(unitBarcode(slot.item, { lot: 'XP1', expiry: isoDay(-2) })));
      stats.scanned(r.ms);
      listen([...r.before, ...r.after]);
      if (r.feedback) stats.mistake('expiredLot', refused(r), `order ${current.orderId} ${slot.item.sku}`);
      else await waitForGateway(ctx, station, scanner);
      continue;
    }
    const r = await heardAnswer(scanner, await scanner.scan(unitBarcode(slot.item, slot)));
    stats.scanned(r.ms);
    listen(r.before);
    if (refused(r)) {
      // An error for a good unit: a serial scanner's beep for a cancellation sounds the same; the scan's own beep follows it.
      const beeps = await nextBeeps(scanner, 300);
      if (beeps[0]) {
        listen([r.feedback!]);
        r.feedback = beeps[0];
      }
      r.after.push(...beeps.slice(1));
    }
    // Counted after this order's cancellation was said: it went to the order after it.
    const afterCancel = told.has(current.orderId);
    listen(r.after);
    // No beep (the gateway restarting): look at the order, as a person would, to see if it counted.
    const counted = ok(r) || (!r.feedback && (await countedAfterSilence(ctx, station, scanner, current.orderId, line, 'picked')));
    if (counted && afterCancel) carried = world.take(slot);
    else if (counted) {
      current.units.push(world.take(slot));
      if (current.units.length === 1) ctx.orderReached?.(current.orderId, 'picking');
      // The screen follows the beep (it may lag it by a moment): look up before the next unit.
      await screenShows(ctx, station, current.orderId, line);
    } else if (r.feedback && (afterCancel || told.has(current.orderId) || (await isCancelled(ctx, current.orderId)))) {
      // The order was cancelled under the picker's hands; whether this unit counted, the console says.
      unsettled = slot;
    } else if (r.feedback) {
      stats.problems.push(`picker at ${station}: "${r.feedback.message}" for a correct unit of ${slot.item.sku}`);
      await pace.idle(signal);
    }
  }
}

/** Waits (up to 3 s) until the station screen shows the unit just picked or shorted on `line`, or another order. */
async function screenShows(ctx: StaffContext, station: string, orderId: string, line: ScreenLine): Promise<void> {
  for (let i = 0; i < 60 && !ctx.signal.aborted; i++) {
    const now = await ctx.screen(station).catch(() => undefined);
    const same = now?.orderId === orderId ? now.lines?.find((l) => l.line === line.line) : undefined;
    if (now && (now.orderId !== orderId || (same && same.done + (same.short ?? 0) > line.done + (line.short ?? 0)))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** After a scan or button with no answer: whether the gateway counted it (one more unit picked or short on the line). */
async function countedAfterSilence(ctx: StaffContext, station: string, scanner: FloorScanner, orderId: string, line: ScreenLine, what: 'picked' | 'short'): Promise<boolean> {
  await waitForGateway(ctx, station, scanner);
  const order = await ctx.order(orderId).catch(() => undefined);
  const now = order?.lineItems.find((l) => l.line === line.line);
  if (!now) return false;
  return what === 'picked' ? now.picked > line.done : now.short > (line.short ?? 0);
}

/** A cancellation heard about an order whose tote or bags wait in a queue (not in this person's hands): take them back. */
function takeBackCancelled(ctx: StaffContext, verdicts: Verdict[], inHand: string | undefined): void {
  for (const v of verdicts) {
    const orderId = cancelledOrderIn(v.message);
    if (orderId && orderId !== inHand && ctx.world.takeBack(orderId) > 0) ctx.stats.cancellationHandled(orderId, 'packed', v.message);
  }
}

/**
 * The packer. At a station that trusts the pick (`trustPick`) nothing is scanned into a bag: an
 * order of more than 4 units goes into several bags, one CMD-NEXTBAG per extra bag, and they are
 * weighed together.
 */
export async function runPacker(ctx: StaffContext, station: string, scanner: FloorScanner, scale: FloorScale, printer: FloorPrinter, packagingGrams: number, trustPick = false): Promise<void> {
  const { world, stats, pace, signal } = ctx;
  while (!signal.aborted) {
    // "Order O-1 was cancelled after packing: take its bag back": it waits for dispatch, unless the dispatcher has it.
    takeBackCancelled(ctx, scanner.takeNotices(), undefined);
    const tote = world.totesToPack.shift();
    if (!tote) {
      await pace.idle(signal);
      continue;
    }
    // A bag the gateway lost track of (killed mid-bag) is started over: scanning the order again does that.
    let outcome: PackOutcome = { kind: 'silence' };
    const packing = { started: false };
    for (let attempt = 1; attempt <= 5 && outcome.kind === 'silence' && !signal.aborted; attempt++) {
      outcome = await packTote(ctx, station, tote, packing, scanner, scale, printer, packagingGrams, trustPick);
      if (outcome.kind === 'silence') await waitForGateway(ctx, station, scanner);
    }
    if (outcome.kind === 'packed') {
      for (const bag of bagsOf(tote, outcome)) {
        world.bagsToDispatch.push(bag);
        world.bagsPacked.push(bag);
      }
      ctx.orderReached?.(tote.orderId, 'packed');
    } else if (outcome.kind === 'cancelled') {
      // The tote and any bag of it packed so far are still here: every unit goes into the returns tote.
      world.toReturns(tote.orderId, tote.units);
      stats.cancellationHandled(tote.orderId, outcome.where, outcome.message);
    } else if (outcome.kind === 'silence' && !signal.aborted) stats.problems.push(`packer: gave up on order ${tote.orderId}: no answer after 5 attempts`);
  }
}

type PackOutcome =
  | { kind: 'packed'; ssccs: string[]; bags?: PickedUnit[][] }
  | { kind: 'silence' }
  | { kind: 'refused' }
  | { kind: 'cancelled'; where: 'picked' | 'packing' | 'packed'; message?: string };

/**
 * The bags of a packed order with what is in each: the bags this packer closed, in order, are
 * the last ones; any bag that passed before a restart holds the rest of the tote.
 */
function bagsOf(tote: Tote, outcome: Extract<PackOutcome, { kind: 'packed' }>): Bag[] {
  const closed = (outcome.bags ?? []).slice(-outcome.ssccs.length);
  const earlier = outcome.ssccs.length - closed.length;
  const rest = [...tote.units];
  for (const unit of closed.flat()) rest.splice(rest.indexOf(unit), 1);
  return outcome.ssccs.map((sscc, i) => ({ orderId: tote.orderId, sscc, units: i < earlier ? (i === 0 ? rest : []) : closed[i - earlier]! }));
}

/** A bag holds this many units at most: an order with more is packed in several (CMD-NEXTBAG). */
const maxUnitsPerBag = 4;

/** The units a pack screen still asks for: each line's quantity less what is packed already. */
function unitsLeft(units: PickedUnit[], lines: ScreenLine[]): PickedUnit[] {
  const left: PickedUnit[] = [];
  for (const line of lines) {
    const n = line.qty - line.done;
    left.push(...units.filter((u) => u.item.sku === line.sku).slice(0, Math.max(0, n)));
  }
  return left;
}

/** Hears an action's answer at the pack station; cancellations heard on the way are noted. */
type Hear = (action: Promise<Answer>) => Promise<Answer>;

/** Stops the packer when the order was cancelled; a refusal may be the only sign of it, on a screen that moved on. */
type Stop = (r?: Answer) => Promise<PackOutcome | undefined>;

async function packTote(ctx: StaffContext, station: string, tote: Tote, packing: { started: boolean }, scanner: FloorScanner, scale: FloorScale, printer: FloorPrinter, packagingGrams: number, trustPick: boolean): Promise<PackOutcome> {
  const { stats, rates, pace, random, signal } = ctx;
  const silence = { kind: 'silence' } as const;
  /** What the packer was told about this order's cancellation. */
  let cancelled: string | undefined;
  const note = (verdicts: Verdict[]) => {
    for (const v of verdicts) if (cancelledOrderIn(v.message) === tote.orderId) cancelled ??= v.message;
    takeBackCancelled(ctx, verdicts, tote.orderId);
  };
  const hear: Hear = async (action) => {
    const r = await heardAnswer(scanner, await action);
    note([...r.before, ...(r.feedback ? [r.feedback] : []), ...r.after]);
    return r;
  };
  const stop: Stop = async (r) => {
    note(scanner.takeNotices());
    if (cancelled === undefined && !(r && refused(r) && (await isCancelled(ctx, tote.orderId)))) return undefined;
    return { kind: 'cancelled', where: packing.started ? 'packing' : 'picked', ...(cancelled ? { message: cancelled } : {}) };
  };
  await pace.wait(3000, signal);
  let r = await hear(scanner.scan(tote.tote));
  stats.scanned(r.ms);
  if (!r.feedback) return (await stop()) ?? silence;
  if (cancelled) return (await stop(r))!;
  if (!ok(r)) {
    // The tote label was not linked (e.g. picked across a restart): read the order number instead.
    r = await hear(scanner.scan(tote.orderId));
    stats.scanned(r.ms);
    if (!r.feedback) return silence;
  }
  if (!ok(r) && r.feedback?.message?.includes('or scan CMD-CANCEL')) {
    // The station still holds a bag the packer gave up on: set it aside, then start this one.
    await hear(scanner.scan('CMD-CANCEL'));
    r = await hear(scanner.scan(tote.orderId));
    stats.scanned(r.ms);
    if (!r.feedback) return silence;
  }
  if (!ok(r)) {
    const gone = await stop(r);
    if (gone) return gone;
    // Packed already: the bag passed just before the gateway was killed and the answer was lost.
    if (r.feedback?.message?.includes(' is packed,')) return bagLabelsOf(ctx, tote.orderId);
    stats.problems.push(`packer: order ${tote.orderId} refused: ${r.feedback?.message ?? 'no answer'}`);
    return { kind: 'refused' };
  }
  packing.started = true;
  if (trustPick) return packTrusted(ctx, tote, { hear, stop, note: () => note(scanner.takeNotices()), cancelled: () => cancelled }, scanner, scale, printer, packagingGrams);
  // Bags that passed before a restart stay passed: the screen shows what is still to pack.
  let left = tote.units;
  if (/packed already/.test(r.feedback?.message ?? '')) left = unitsLeft(tote.units, (await ctx.screen(station).catch(() => undefined))?.lines ?? []);
  const closed: PickedUnit[][] = [];
  let inBag: PickedUnit[] = [];
  for (const [i, unit] of left.entries()) {
    await pace.wait(1500, signal);
    r = await hear(scanner.scan(unitBarcode(unit.item)));
    stats.scanned(r.ms);
    const gone = await stop(r);
    if (gone) return gone;
    if (!r.feedback) return silence;
    if (inBag.length === 0 && closed.length === 0) ctx.orderReached?.(tote.orderId, 'packing');
    inBag.push(unit);
    if (inBag.length < maxUnitsPerBag || i === left.length - 1) continue;
    // The bag is full and units are left: close it, weigh it, label it, fill the next.
    await pace.wait(1000, signal);
    r = await hear(scanner.scan('CMD-NEXTBAG'));
    stats.scanned(r.ms);
    const stopped = await stop(r);
    if (stopped) return stopped;
    if (!r.feedback) return silence;
    const passed = await weighAndLabel(ctx, tote.orderId, inBag, hear, scanner, scale, printer, packagingGrams, false, stop);
    if (passed.kind !== 'packed') return passed;
    closed.push(inBag);
    inBag = [];
  }
  const last = await weighAndLabel(ctx, tote.orderId, inBag, hear, scanner, scale, printer, packagingGrams, random() < rates.bagWeight, stop);
  note(scanner.takeNotices());
  // Cancelled as its last bag passed: the bags have not left the pack station yet.
  if (last.kind === 'packed' && cancelled !== undefined) return { kind: 'cancelled', where: 'packed', message: cancelled };
  return last.kind === 'packed' ? { ...last, bags: [...closed, inBag] } : last;
}

/**
 * At a station that trusts the pick the tote's units go straight into bags of at most 4, with
 * no unit scans: one CMD-NEXTBAG per extra bag, then all bags on the scale together; a label per
 * bag comes out ("bag 2 of 3").
 */
async function packTrusted(
  ctx: StaffContext,
  tote: Tote,
  heard: { hear: Hear; stop: Stop; note: () => void; cancelled: () => string | undefined },
  scanner: FloorScanner,
  scale: FloorScale,
  printer: FloorPrinter,
  packagingGrams: number,
): Promise<PackOutcome> {
  const { stats, rates, pace, random, signal } = ctx;
  const { hear, stop } = heard;
  const bags: PickedUnit[][] = [];
  for (let i = 0; i < tote.units.length; i += maxUnitsPerBag) bags.push(tote.units.slice(i, i + maxUnitsPerBag));
  ctx.orderReached?.(tote.orderId, 'packing');
  for (let bag = 2; bag <= bags.length; bag++) {
    await pace.wait(1000, signal);
    const r = await hear(scanner.scan('CMD-NEXTBAG'));
    stats.scanned(r.ms);
    const stopped = await stop(r);
    if (stopped) return stopped;
    if (!r.feedback) return { kind: 'silence' };
    if (!ok(r) || !new RegExp(`^order \\S+ in ${bag} bags: put all ${bag} on the scale together`).test(r.feedback.message ?? '')) {
      stats.problems.push(`packer: CMD-NEXTBAG for bag ${bag} of order ${tote.orderId} answered "${r.feedback.message}"`);
      return { kind: 'refused' };
    }
  }
  const passed = await weighAndLabel(ctx, tote.orderId, tote.units, hear, scanner, scale, printer, packagingGrams * bags.length, random() < rates.bagWeight, stop);
  heard.note();
  const cancelled = heard.cancelled();
  if (passed.kind === 'packed' && cancelled !== undefined) return { kind: 'cancelled', where: 'packed', message: cancelled };
  if (passed.kind !== 'packed') return passed;
  stats.trustPick.orders += 1;
  if (bags.length > 1) {
    stats.trustPick.weighedTogether += 1;
    stats.trustPick.bagsTogether += bags.length;
  }
  return { ...passed, bags };
}

/**
 * A bag on the scale, its verdict and its label out of the printer. The last bag of the order
 * answers with every bag's SSCC (the console's order history has them all, also those of bags
 * that passed before a restart); another bag with an empty list.
 */
async function weighAndLabel(
  ctx: StaffContext,
  orderId: string,
  units: PickedUnit[],
  hear: Hear,
  scanner: FloorScanner,
  scale: FloorScale,
  printer: FloorPrinter,
  packagingGrams: number,
  tooHeavyFirst: boolean,
  stop: Stop,
): Promise<PackOutcome> {
  const { stats, pace, random, signal } = ctx;
  const trueGrams = units.reduce((g, u) => g + u.item.unitGrams, packagingGrams);
  const labelsBefore = printer.labels().length;
  await pace.wait(2000, signal);
  // Told of the cancellation while closing the bag: it does not go on the scale.
  const before = await stop();
  if (before) return before;
  if (tooHeavyFirst) {
    // A unit too many went in: the scale shows it.
    const heavy = trueGrams + Math.max(250, trueGrams * 0.15);
    const wrong = await hear(scale.weigh(Math.round(heavy), scanner));
    const gone = await stop();
    if (gone || !wrong.feedback) {
      await scale.clear();
      return gone ?? { kind: 'silence' };
    }
    stats.mistake('bagWeight', refused(wrong), `order ${orderId}`);
    await pace.wait(2000, signal);
  }
  const noise = (random() - 0.5) * 20;
  const weighed = await hear(scale.weigh(Math.round(trueGrams + noise), scanner));
  await scale.clear();
  const gone = await stop(weighed);
  if (gone) return gone;
  if (!weighed.feedback) return { kind: 'silence' };
  if (!ok(weighed)) {
    stats.problems.push(`packer: a bag of order ${orderId} weighed ${Math.round(trueGrams)} g and was refused: ${weighed.feedback.message}`);
    return { kind: 'refused' };
  }
  // The label comes out of the printer; one out of paper keeps the packer waiting until it is reloaded.
  // Bags weighed together get a label each: "labels printed (SSCC 1..., 2...)".
  const ssccs = /SSCC ([\d, ]+)\)/.exec(weighed.feedback.message ?? '')?.[1]?.split(', ') ?? [];
  const labelWaitMs = ctx.labelWaitMs ?? 60_000;
  for (const told of ssccs.length > 0 ? ssccs : [undefined]) {
    const label = await printer.readLabel(told, labelWaitMs, labelsBefore);
    if (!label) {
      stats.problems.push(`packer: no label came out of ${printer.id} for order ${orderId}${told ? ` (SSCC ${told})` : ''} within ${labelWaitMs / 1000} s`);
      return { kind: 'refused' };
    }
  }
  // A bag before the last is answered with what goes into the next one.
  if (/scan the other \d+ units into bag \d+$/.test(weighed.feedback.message ?? '')) return { kind: 'packed', ssccs: [] };
  return bagLabelsOf(ctx, orderId);
}

/** The SSCCs of an order's bag labels, the latest per bag, as the console shows them (a packer reprints a label that never came out). */
async function bagLabelsOf(ctx: StaffContext, orderId: string): Promise<PackOutcome> {
  const printed = await ctx.orderEvents(orderId, 'label.printed').catch(() => []);
  const byBag = new Map<number, string>();
  // Newest first: the first label of each bag is its latest.
  for (const e of printed) {
    const bag = typeof e.data.bag === 'number' ? e.data.bag : 1;
    if (!byBag.has(bag) && typeof e.data.sscc === 'string') byBag.set(bag, e.data.sscc);
  }
  if (byBag.size > 0) return { kind: 'packed', ssccs: [...byBag.entries()].sort((a, b) => a[0] - b[0]).map(([, sscc]) => sscc) };
  ctx.stats.problems.push(`packer: no label for order ${orderId}`);
  return { kind: 'refused' };
}

export async function runDispatcher(ctx: StaffContext, station: string, scanner: FloorScanner, eye: FloorEye): Promise<void> {
  const { world, stats, pace, signal } = ctx;
  while (!signal.aborted) {
    takeBackCancelled(ctx, scanner.takeNotices(), undefined);
    const bag = world.bagsToDispatch.shift();
    if (!bag) {
      await pace.idle(signal);
      continue;
    }
    /** "Order O-9 was cancelled: do not ship it": this bag and the order's others still waiting go to the returns tote. */
    const keepBack = (message?: string) => {
      world.toReturns(bag.orderId, bag.units);
      world.takeBack(bag.orderId);
      stats.cancellationHandled(bag.orderId, 'packed', message);
    };
    const hear = async (action: Promise<Answer>) => {
      const r = await heardAnswer(scanner, await action);
      takeBackCancelled(ctx, [...r.before, ...r.after], bag.orderId);
      return { ...r, told: [...r.before, ...(r.feedback ? [r.feedback] : []), ...r.after].find((v) => cancelledOrderIn(v.message) === bag.orderId)?.message };
    };
    // No answer (the gateway killed): once it is back, the console says whether the bag went.
    for (let attempt = 1; attempt <= 5 && !signal.aborted; attempt++) {
      await pace.wait(2500, signal);
      const r = await hear(scanner.scan(`]C100${bag.sscc}`));
      stats.scanned(r.ms);
      if (r.told) {
        keepBack(r.told);
        break;
      }
      if (r.feedback && !ok(r)) {
        // Gone already (the answer was lost to a restart): the order, or this bag of several.
        if (!/ is dispatched,| is dispatched already/.test(r.feedback.message ?? '')) stats.problems.push(`dispatcher: bag ${bag.sscc} refused: ${r.feedback.message}`);
        break;
      }
      if (r.feedback) {
        await pace.wait(1500, signal);
        // Cancelled while the bag was on its way to the belt: the point says so, and the bag stays.
        const heard = scanner.takeNotices().find((v) => cancelledOrderIn(v.message) === bag.orderId);
        if (heard) {
          keepBack(heard.message);
          break;
        }
        const passed = await hear(eye.block(scanner));
        await eye.clear();
        if (passed.told) {
          keepBack(passed.told);
          break;
        }
        if (passed.feedback) break;
      }
      await waitForGateway(ctx, station, scanner);
      const status = (await ctx.order(bag.orderId).catch(() => undefined))?.status;
      if (status === 'dispatched') break;
      if (status === 'cancelled') {
        // Cancelled after all: unless the console shows this bag went out before, it is still here.
        const left = await ctx.orderEvents(bag.orderId, 'order.dispatched').catch(() => []);
        const bagLeft = await ctx.orderEvents(bag.orderId, 'bag.dispatched').catch(() => []);
        if (![...left, ...bagLeft].some((e) => e.data.sscc === bag.sscc || e.data.sscc === undefined)) keepBack();
        break;
      }
      if (attempt === 5) stats.problems.push(`dispatcher: gave up on bag ${bag.sscc}: no answer after 5 attempts`);
    }
  }
}

/**
 * The returns tote's units back on their shelves, as the receiving station directs: scan the
 * tote, an item from it (the station names the order, the quantity and the bin), then the bin.
 */
async function putBackReturns(ctx: StaffContext, station: string, scanner: FloorScanner): Promise<void> {
  const { world, stats, pace, signal } = ctx;
  await pace.wait(3000, signal);
  let r = await scanner.scan('TOTE-RET-1');
  stats.scanned(r.ms);
  if (!r.feedback) return waitForGateway(ctx, station, scanner);
  // "No units of cancelled orders to put back": the return tasks come a moment after the cancellation.
  if (!ok(r)) return pace.idle(signal);
  let inReturns = true;
  while (inReturns && !signal.aborted && world.returnsTote.length > 0) {
    const unit = world.returnsTote[0]!;
    await pace.wait(1500, signal);
    r = await scanner.scan(unitBarcode(unit.item, unit));
    stats.scanned(r.ms);
    if (!r.feedback) return waitForGateway(ctx, station, scanner);
    const asked = /^put (\d+) x .+ \(order (\S+)\) back in bin (\S+), then scan bin/.exec(r.feedback.message ?? '');
    let task = asked ? { qty: Number(asked[1]), orderId: asked[2]!, bin: asked[3]! } : undefined;
    // A task that counts units (some left in bags nobody scanned into): scan each one here, then the bin.
    const counting = /^1 of up to (\d+) x .+ \(order (\S+)\): scan each unit you have, then bin (\S+)/.exec(r.feedback.message ?? '');
    if (ok(r) && counting) {
      const [, upTo = '0', orderId = '', bin = ''] = counting;
      const here = Math.min(Number(upTo), world.returnsTote.filter((u) => u.orderId === orderId && u.item.sku === unit.item.sku && u.bin === bin).length);
      for (let n = 1; n < here && !signal.aborted; n++) {
        await pace.wait(800, signal);
        r = await scanner.scan(unitBarcode(unit.item, unit));
        stats.scanned(r.ms);
        if (!r.feedback) return waitForGateway(ctx, station, scanner);
      }
      task = { qty: Math.max(1, here), orderId, bin };
    }
    if (!ok(r) || !task) {
      // No return task for it yet: leave it in the tote for the next round.
      if (world.returnsTote.length > 0) world.returnsTote.push(world.returnsTote.shift()!);
      break;
    }
    const { qty, orderId, bin } = task;
    const units = world.fromReturns(orderId, unit.item.sku, bin, qty, unit.lot);
    if (units.length === 0) {
      // The units the station asks for are not all in the tote yet (a tote or bag still on its way): later.
      world.returnsTote.push(world.returnsTote.shift()!);
      break;
    }
    await pace.wait(3000, signal);
    r = await scanner.scan(`BIN-${bin}`);
    stats.scanned(r.ms);
    if (!r.feedback) {
      // No answer: once the gateway is back, the order's history says whether they went back.
      await waitForGateway(ctx, station, scanner);
      const returned = await ctx.orderEvents(orderId, 'stock.returned').catch(() => []);
      if (returned.some((e) => e.data.bin === bin && e.data.sku === unit.item.sku)) world.putBack(bin, units);
      else world.returnsTote.push(...units);
      return;
    }
    if (!ok(r)) {
      world.returnsTote.push(...units);
      stats.problems.push(`returns: bin ${bin} refused for ${unit.item.sku} of order ${orderId}: ${r.feedback.message}`);
      break;
    }
    world.putBack(bin, units);
    // "...: all returns done" leaves returns; "...: 3 units left to put back" stays in them.
    inReturns = /left to put back$/.test(r.feedback.message ?? '');
  }
  if (inReturns) {
    // Step out of returns, so the next case scanned is a receipt.
    r = await scanner.scan('CMD-CANCEL');
    stats.scanned(r.ms);
  }
}

export async function runReceiver(ctx: StaffContext, station: string, scanner: FloorScanner, bins: Array<{ id: string; zone: string }>): Promise<void> {
  const { world, stats, rates, pace, random, signal } = ctx;
  while (!signal.aborted) {
    // Units of cancelled orders in the returns tote go back first: the shelves need them.
    if (world.returnsTote.length > 0) await putBackReturns(ctx, station, scanner);
    await pace.wait(8000, signal);
    // Restock the item that runs lowest, a case of 12.
    const low = [...new Map(world.slots.map((s) => [s.item.sku, s.item])).values()].map((item) => ({ item, qty: world.onHand(item.sku) })).sort((a, b) => a.qty - b.qty)[0];
    // Pick faces hold up to 24: a case of 12 fits once 12 or fewer are left.
    if (!low || low.qty > 12) {
      await pace.idle(signal);
      continue;
    }
    const lot = `R${Math.floor(random() * 1e6).toString(36).toUpperCase()}`;
    const expiry = isoDay(Math.max(low.item.minShelfLifeDays + 20, 45));
    const gtin = low.item.gtins[0]!;
    const caseCode = `]C102${gtin}3712${low.item.lotTracked ? `\u001d17${expiry.slice(2).replace(/-/g, '')}10${lot}` : ''}`;
    let r = await scanner.scan(caseCode);
    stats.scanned(r.ms);
    let answer = r.feedback?.message;
    if (!r.feedback) {
      // No answer: once the gateway is back, its screen asks for a bin if the case was received.
      await waitForGateway(ctx, station, scanner);
      const screen = await ctx.screen(station).catch(() => undefined);
      if (screen?.phase !== 'putaway') continue;
      answer = screen.text;
      r = { ...r, feedback: { result: 'ok', message: answer ?? '' } };
    }
    const suggested = /put away to bin (\S+)$/.exec(answer ?? '')?.[1];
    const leftAtDock = /leave it at (\S+) and tell the admin$/.exec(answer ?? '')?.[1];
    if (ok(r) && leftAtDock) {
      // Received, but no bin has room: the case stays on the dock.
      world.putAway(leftAtDock, 'dock', low.item, low.item.lotTracked ? lot : '', low.item.lotTracked ? expiry : isoDay(365), 12);
      continue;
    }
    if (!ok(r) || !suggested) {
      if (r.feedback) stats.problems.push(`receiver: case of ${low.item.sku} answered "${r.feedback.message}"`);
      continue;
    }
    await pace.wait(4000, signal);
    if (random() < rates.wrongPutawayBin) {
      const other = bins.find((b) => b.id !== suggested)!;
      r = await scanner.scan(`BIN-${other.id}`);
      stats.scanned(r.ms);
      if (r.feedback) stats.mistake('wrongPutawayBin', refused(r), `${low.item.sku} to ${other.id} instead of ${suggested}`);
      else await waitForGateway(ctx, station, scanner);
      await pace.wait(2000, signal);
    }
    let target = suggested;
    r = await scanner.scan(`BIN-${target}`);
    stats.scanned(r.ms);
    if (!r.feedback) {
      // No answer: the case is put away if the gateway recorded it; else the screen asks again.
      await waitForGateway(ctx, station, scanner);
      const screen = await ctx.screen(station).catch(() => undefined);
      if (screen?.phase === 'putaway') {
        target = /put away to bin (\S+)$/.exec(screen.text ?? '')?.[1] ?? suggested;
        r = await scanner.scan(`BIN-${target}`);
        stats.scanned(r.ms);
      } else r = { ...r, feedback: { result: 'ok', message: '' } };
    }
    if (ok(r)) {
      const zone = bins.find((b) => b.id === target)?.zone ?? '?';
      world.putAway(target, zone, low.item, low.item.lotTracked ? lot : '', low.item.lotTracked ? expiry : isoDay(365), 12);
    } else stats.problems.push(`receiver: bin ${target} refused: ${r.feedback?.message ?? 'no answer'}`);
  }
}
