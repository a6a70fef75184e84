/**
 * The simulated staff: pickers, a packer, a receiver and a dispatcher. Each works through its
 * station's devices on their transports (a serial or MQTT scanner, lights, a serial or MQTT
 * scale, the TCP label printer, a photo-eye: floorDevices.ts), reads its station screen like a
 * person would, and makes mistakes at the configured rates. Whether the gateway caught a
 * mistake is judged from the answer the person got.
 */
import type { CatalogItem } from '../cloud-oms/groceryCatalog.ts';
import type { FloorEye, FloorLights, FloorPrinter, FloorScale, FloorScanner } from './floorDevices.ts';
import { isoDay, unitBarcode, type FloorWorld } from './floorWorld.ts';
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
export interface Screen {
  station: string;
  orderId?: string;
  phase?: string;
  text?: string;
  lines?: ScreenLine[];
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
async function waitForGateway(ctx: StaffContext, station: string, device: FloorScanner): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!ctx.signal.aborted && Date.now() < deadline) {
    const screen = await ctx.screen(station).catch(() => undefined);
    if (screen && (await ctx.deviceOnline(device.id).catch(() => false))) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 1000));
}

const ok = (r: { feedback?: { result: string } }) => r.feedback?.result === 'ok';
const refused = (r: { feedback?: { result: string } }) => r.feedback?.result === 'error';

export async function runPicker(ctx: StaffContext, station: string, scanner: FloorScanner, lights: FloorLights): Promise<void> {
  const { world, stats, rates, pace, random, signal } = ctx;
  type Tote = { orderId: string; tote: string; units: CatalogItem[]; shorted: number };
  let current: Tote | undefined;
  /** Totes whose order the station took away unfinished (a restart): kept until it comes back. */
  const held = new Map<string, Tote>();
  const finish = async () => {
    if (!current) return;
    const done = current;
    current = undefined;
    // A station that moves on has finished the order, unless the gateway restarted and handed it
    // elsewhere: the console says which.
    const status = (await ctx.order(done.orderId).catch(() => undefined))?.status;
    if (status === 'released' || status === 'picking') {
      if (done.units.length > 0 || done.shorted > 0) held.set(done.orderId, done);
      return;
    }
    if (done.units.length > 0) world.totesToPack.push({ tote: done.tote, orderId: done.orderId, units: done.units });
    else if (done.shorted > 0) stats.emptyOrders += 1;
  };
  while (!signal.aborted) {
    const screen = await ctx.screen(station).catch(() => undefined);
    if (!screen) {
      // The screen is dark (the gateway restarting): wait, the tote stays on the cart.
      await pace.idle(signal);
      continue;
    }
    if (!screen.orderId) {
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
        await pace.wait(2000, signal);
        const r = await scanner.scan(current.tote);
        stats.scanned(r.ms);
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
      const r = await scanner.scan('CMD-SHORT');
      stats.scanned(r.ms);
      if (ok(r) || (!r.feedback && (await countedAfterSilence(ctx, station, scanner, current.orderId, line, 'short')))) {
        current.shorted += 1;
        await screenShows(ctx, station, current.orderId, line);
      }
      continue;
    }
    const dice = random();
    if (dice < rates.shortPick) {
      // A damaged unit: the picker reports it short with the light's button.
      const r = await lights.press('short', scanner);
      // A good-read beep on the short button: recorded (a serial scanner's message is its screen's text).
      if (r.feedback) stats.mistake('shortPick', ok(r), `order ${current.orderId}`);
      if (ok(r) || (!r.feedback && (await countedAfterSilence(ctx, station, scanner, current.orderId, line, 'short')))) {
        current.shorted += 1;
        await screenShows(ctx, station, current.orderId, line);
      }
      continue;
    }
    if (dice < rates.shortPick + rates.wrongItem) {
      const r = await scanner.scan(unitBarcode(ctx.otherItem(slot.item)));
      stats.scanned(r.ms);
      if (r.feedback) stats.mistake('wrongItem', refused(r), `order ${current.orderId} line ${line.sku}`);
      else await waitForGateway(ctx, station, scanner);
      continue;
    }
    if (dice < rates.shortPick + rates.wrongItem + rates.expiredLot && slot.item.lotTracked) {
      const r = await scanner.scan(unitBarcode(slot.item, { lot: 'XP1', expiry: isoDay(-2) }));
      stats.scanned(r.ms);
      if (r.feedback) stats.mistake('expiredLot', refused(r), `order ${current.orderId} ${slot.item.sku}`);
      else await waitForGateway(ctx, station, scanner);
      continue;
    }
    const r = await scanner.scan(unitBarcode(slot.item, slot));
    stats.scanned(r.ms);
    // No beep (the gateway restarting): look at the order, as a person would, to see if it counted.
    const counted = ok(r) || (!r.feedback && (await countedAfterSilence(ctx, station, scanner, current.orderId, line, 'picked')));
    if (counted) {
      slot.qty -= 1;
      current.units.push(slot.item);
      // The screen follows the beep (it may lag it by a moment): look up before the next unit.
      await screenShows(ctx, station, current.orderId, line);
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

export async function runPacker(ctx: StaffContext, station: string, scanner: FloorScanner, scale: FloorScale, printer: FloorPrinter, packagingGrams: number): Promise<void> {
  const { world, pace, signal } = ctx;
  while (!signal.aborted) {
    const tote = world.totesToPack.shift();
    if (!tote) {
      await pace.idle(signal);
      continue;
    }
    // A bag the gateway lost track of (killed mid-bag) is started over: scanning the order again does that.
    let outcome: PackOutcome = { kind: 'silence' };
    for (let attempt = 1; attempt <= 5 && outcome.kind === 'silence' && !signal.aborted; attempt++) {
      outcome = await packTote(ctx, station, tote, scanner, scale, printer, packagingGrams);
      if (outcome.kind === 'silence') await waitForGateway(ctx, station, scanner);
    }
    if (outcome.kind === 'packed') {
      for (const sscc of outcome.ssccs) {
        world.bagsToDispatch.push({ orderId: tote.orderId, sscc });
        world.bagsPacked.push({ orderId: tote.orderId, sscc });
      }
    }
    else if (outcome.kind === 'silence' && !signal.aborted) ctx.stats.problems.push(`packer: gave up on order ${tote.orderId}: no answer after 5 attempts`);
  }
}

type PackOutcome = { kind: 'packed'; ssccs: string[] } | { kind: 'silence' } | { kind: 'refused' };

/** A bag holds this many units at most: an order with more is packed in several (CMD-NEXTBAG). */
const maxUnitsPerBag = 4;

/** The units a pack screen still asks for: each line's quantity less what is packed already. */
function unitsLeft(units: CatalogItem[], lines: ScreenLine[]): CatalogItem[] {
  const left: CatalogItem[] = [];
  for (const line of lines) {
    const n = line.qty - line.done;
    left.push(...units.filter((u) => u.sku === line.sku).slice(0, Math.max(0, n)));
  }
  return left;
}

async function packTote(ctx: StaffContext, station: string, tote: { tote: string; orderId: string; units: CatalogItem[] }, scanner: FloorScanner, scale: FloorScale, printer: FloorPrinter, packagingGrams: number): Promise<PackOutcome> {
  const { stats, rates, pace, random, signal } = ctx;
  const silence = { kind: 'silence' } as const;
  await pace.wait(3000, signal);
  let r = await scanner.scan(tote.tote);
  stats.scanned(r.ms);
  if (!r.feedback) return silence;
  if (!ok(r)) {
    // The tote label was not linked (e.g. picked across a restart): read the order number instead.
    r = await scanner.scan(tote.orderId);
    stats.scanned(r.ms);
    if (!r.feedback) return silence;
  }
  if (!ok(r) && r.feedback?.message?.includes('or scan CMD-CANCEL')) {
    // The station still holds a bag the packer gave up on: set it aside, then start this one.
    await scanner.scan('CMD-CANCEL');
    r = await scanner.scan(tote.orderId);
    stats.scanned(r.ms);
    if (!r.feedback) return silence;
  }
  if (!ok(r)) {
    // Packed already: the bag passed just before the gateway was killed and the answer was lost.
    if (r.feedback?.message?.includes(' is packed,')) return bagLabelsOf(ctx, tote.orderId);
    stats.problems.push(`packer: order ${tote.orderId} refused: ${r.feedback?.message ?? 'no answer'}`);
    return { kind: 'refused' };
  }
  // Bags that passed before a restart stay passed: the screen shows what is still to pack.
  let left = tote.units;
  if (/packed already/.test(r.feedback?.message ?? '')) left = unitsLeft(tote.units, (await ctx.screen(station).catch(() => undefined))?.lines ?? []);
  let inBag: CatalogItem[] = [];
  for (const [i, unit] of left.entries()) {
    await pace.wait(1500, signal);
    r = await scanner.scan(unitBarcode(unit));
    stats.scanned(r.ms);
    if (!r.feedback) return silence;
    inBag.push(unit);
    if (inBag.length < maxUnitsPerBag || i === left.length - 1) continue;
    // The bag is full and units are left: close it, weigh it, label it, fill the next.
    await pace.wait(1000, signal);
    r = await scanner.scan('CMD-NEXTBAG');
    stats.scanned(r.ms);
    if (!r.feedback) return silence;
    const closed = await weighAndLabel(ctx, tote.orderId, inBag, scanner, scale, printer, packagingGrams, false);
    if (closed.kind !== 'packed') return closed;
    inBag = [];
  }
  return weighAndLabel(ctx, tote.orderId, inBag, scanner, scale, printer, packagingGrams, random() < rates.bagWeight);
}

/**
 * A bag on the scale, its verdict and its label out of the printer. The last bag of the order
 * answers with every bag's SSCC (the console's order history has them all, also those of bags
 * that passed before a restart); another bag with an empty list.
 */
async function weighAndLabel(ctx: StaffContext, orderId: string, units: CatalogItem[], scanner: FloorScanner, scale: FloorScale, printer: FloorPrinter, packagingGrams: number, tooHeavyFirst: boolean): Promise<PackOutcome> {
  const { stats, pace, random, signal } = ctx;
  const trueGrams = units.reduce((g, u) => g + u.unitGrams, packagingGrams);
  const labelsBefore = printer.labels().length;
  await pace.wait(2000, signal);
  if (tooHeavyFirst) {
    // A unit too many went in: the scale shows it.
    const heavy = trueGrams + Math.max(250, trueGrams * 0.15);
    const wrong = await scale.weigh(Math.round(heavy), scanner);
    if (!wrong.feedback) {
      await scale.clear();
      return { kind: 'silence' };
    }
    stats.mistake('bagWeight', refused(wrong), `order ${orderId}`);
    await pace.wait(2000, signal);
  }
  const noise = (random() - 0.5) * 20;
  const weighed = await scale.weigh(Math.round(trueGrams + noise), scanner);
  await scale.clear();
  if (!weighed.feedback) return { kind: 'silence' };
  if (!ok(weighed)) {
    stats.problems.push(`packer: a bag of order ${orderId} weighed ${Math.round(trueGrams)} g and was refused: ${weighed.feedback.message}`);
    return { kind: 'refused' };
  }
  // The label comes out of the printer; one out of paper keeps the packer waiting until it is reloaded.
  const told = /SSCC (\d{18})/.exec(weighed.feedback.message ?? '')?.[1];
  const labelWaitMs = ctx.labelWaitMs ?? 60_000;
  const label = await printer.readLabel(told, labelWaitMs, labelsBefore);
  if (!label) {
    stats.problems.push(`packer: no label came out of ${printer.id} for order ${orderId}${told ? ` (SSCC ${told})` : ''} within ${labelWaitMs / 1000} s`);
    return { kind: 'refused' };
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
    const bag = world.bagsToDispatch.shift();
    if (!bag) {
      await pace.idle(signal);
      continue;
    }
    // No answer (the gateway killed): once it is back, the console says whether the bag went.
    for (let attempt = 1; attempt <= 5 && !signal.aborted; attempt++) {
      await pace.wait(2500, signal);
      const r = await scanner.scan(`]C100${bag.sscc}`);
      stats.scanned(r.ms);
      if (r.feedback && !ok(r)) {
        // Gone already (the answer was lost to a restart): the order, or this bag of several.
        if (!/ is dispatched,| is dispatched already/.test(r.feedback.message ?? '')) stats.problems.push(`dispatcher: bag ${bag.sscc} refused: ${r.feedback.message}`);
        break;
      }
      if (r.feedback) {
        await pace.wait(1500, signal);
        const passed = await eye.block(scanner);
        await eye.clear();
        if (passed.feedback) break;
      }
      await waitForGateway(ctx, station, scanner);
      if ((await ctx.order(bag.orderId).catch(() => undefined))?.status === 'dispatched') break;
      if (attempt === 5) stats.problems.push(`dispatcher: gave up on bag ${bag.sscc}: no answer after 5 attempts`);
    }
  }
}

export async function runReceiver(ctx: StaffContext, station: string, scanner: FloorScanner, bins: Array<{ id: string; zone: string }>): Promise<void> {
  const { world, stats, rates, pace, random, signal } = ctx;
  while (!signal.aborted) {
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
