/**
 * The simulated staff: pickers, a packer, a receiver and a dispatcher. Each works through its
 * station's devices on their transports (a serial or MQTT scanner, lights, a serial or MQTT
 * scale, the TCP label printer, a photo-eye: floorDevices.ts), reads its station screen like a
 * person would, and makes mistakes at the configured rates. Whether the gateway caught a
 * mistake is judged from the answer the person got.
 */
import type { CatalogItem } from '../cloud-oms/groceryCatalog.ts';
import type { Answer, FloorEye, FloorLights, FloorPrinter, FloorScale, FloorScanner } from './floorDevices.ts';
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
  signal: AbortSignal;
  /** Another item than `item`, for a wrong-item mistake. */
  otherItem: (item: CatalogItem) => CatalogItem;
  /** How long a packer waits for the bag label to come out of the printer (wall clock). */
  labelWaitMs?: number;
}

const ok = (r: { feedback?: { result: string } }) => r.feedback?.result === 'ok';
const refused = (r: { feedback?: { result: string } }) => r.feedback?.result === 'error';

export async function runPicker(ctx: StaffContext, station: string, scanner: FloorScanner, lights: FloorLights): Promise<void> {
  const { world, stats, rates, pace, random, signal } = ctx;
  let current: { orderId: string; tote: string; units: CatalogItem[] } | undefined;
  const finish = () => {
    if (current && current.units.length > 0) world.totesToPack.push({ tote: current.tote, orderId: current.orderId, units: current.units });
    else if (current) stats.emptyOrders += 1;
    current = undefined;
  };
  while (!signal.aborted) {
    const screen = await ctx.screen(station).catch(() => undefined);
    if (!screen?.orderId) {
      finish();
      await pace.idle(signal);
      continue;
    }
    if (current?.orderId !== screen.orderId) {
      finish();
      current = { orderId: screen.orderId, tote: world.nextTote(), units: [] };
      await pace.wait(2000, signal);
      const r = await scanner.scan(current.tote);
      stats.scanned(r.ms);
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
      continue;
    }
    const dice = random();
    if (dice < rates.shortPick) {
      // A damaged unit: the picker reports it short with the light's button (a good-read beep: recorded).
      const r = await lights.press('short', scanner);
      stats.mistake('shortPick', ok(r), `order ${current.orderId}`);
      continue;
    }
    if (dice < rates.shortPick + rates.wrongItem) {
      const r = await scanner.scan(unitBarcode(ctx.otherItem(slot.item)));
      stats.scanned(r.ms);
      stats.mistake('wrongItem', refused(r), `order ${current.orderId} line ${line.sku}`);
      continue;
    }
    if (dice < rates.shortPick + rates.wrongItem + rates.expiredLot && slot.item.lotTracked) {
      const r = await scanner.scan(unitBarcode(slot.item, { lot: 'XP1', expiry: isoDay(-2) }));
      stats.scanned(r.ms);
      stats.mistake('expiredLot', refused(r), `order ${current.orderId} ${slot.item.sku}`);
      continue;
    }
    const r = await scanner.scan(unitBarcode(slot.item, slot));
    stats.scanned(r.ms);
    // No beep (the gateway restarting): look at the screen, as a person would, to see if it counted.
    const counted = ok(r) || (!r.feedback && (await countedOnScreen(ctx, station, screen.orderId, line)));
    if (counted) {
      slot.qty -= 1;
      current.units.push(slot.item);
    } else if (r.feedback) {
      stats.problems.push(`picker at ${station}: "${r.feedback.message}" for a correct unit of ${slot.item.sku}`);
      await pace.idle(signal);
    }
  }
}

/** Whether the station screen shows one more unit done on `line` than before the scan. */
async function countedOnScreen(ctx: StaffContext, station: string, orderId: string, line: ScreenLine): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    const now = await ctx.screen(station).catch(() => undefined);
    if (now && now.orderId === orderId) {
      const same = now.lines?.find((l) => l.sku === line.sku && l.line === line.line);
      if (same) return same.done > line.done;
    }
    if (now && now.orderId !== orderId) return true; // the order finished: the unit was the last one
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

export async function runPacker(ctx: StaffContext, scanner: FloorScanner, scale: FloorScale, printer: FloorPrinter, packagingGrams: number): Promise<void> {
  const { world, pace, signal } = ctx;
  while (!signal.aborted) {
    const tote = world.totesToPack.shift();
    if (!tote) {
      await pace.idle(signal);
      continue;
    }
    // A packer whose station lost track (a gateway restart mid-bag) starts the bag over.
    let sscc: string | undefined;
    for (let attempt = 1; attempt <= 3 && !sscc && !signal.aborted; attempt++) sscc = await packTote(ctx, tote, scanner, scale, printer, packagingGrams);
    if (sscc) {
      world.bagsToDispatch.push({ orderId: tote.orderId, sscc });
      world.bagsPacked.push({ orderId: tote.orderId, sscc });
    }
    else ctx.stats.problems.push(`packer: gave up on order ${tote.orderId} after 3 attempts`);
  }
}

async function packTote(ctx: StaffContext, tote: { tote: string; orderId: string; units: CatalogItem[] }, scanner: FloorScanner, scale: FloorScale, printer: FloorPrinter, packagingGrams: number): Promise<string | undefined> {
  const { stats, rates, pace, random, signal } = ctx;
  await pace.wait(3000, signal);
  let r = await scanner.scan(tote.tote);
  stats.scanned(r.ms);
  if (!ok(r)) {
    // The tote label was not linked (e.g. picked across a restart): read the order number instead.
    r = await scanner.scan(tote.orderId);
    stats.scanned(r.ms);
  }
  if (!ok(r)) {
    stats.problems.push(`packer: order ${tote.orderId} refused: ${r.feedback?.message ?? 'no answer'}`);
    if (r.feedback?.message?.includes('finish order')) await scanner.scan('CMD-CANCEL');
    return undefined;
  }
  for (const unit of tote.units) {
    await pace.wait(1500, signal);
    r = await scanner.scan(unitBarcode(unit));
    stats.scanned(r.ms);
  }
  const trueGrams = tote.units.reduce((g, u) => g + u.unitGrams, packagingGrams);
  const labelsBefore = printer.labels().length;
  await pace.wait(2000, signal);
  if (random() < rates.bagWeight) {
    // A unit too many went in: the scale shows it.
    const heavy = trueGrams + Math.max(250, trueGrams * 0.15);
    const wrong = await scale.weigh(Math.round(heavy), scanner);
    stats.mistake('bagWeight', refused(wrong), `order ${tote.orderId}`);
    await pace.wait(2000, signal);
  }
  let weighed: Answer | undefined;
  for (let i = 0; i < 3 && !weighed?.feedback; i++) {
    const noise = (random() - 0.5) * 20;
    weighed = await scale.weigh(Math.round(trueGrams + noise), scanner);
  }
  await scale.clear();
  if (!weighed || !ok(weighed)) {
    stats.problems.push(`packer: order ${tote.orderId} weighed ${Math.round(trueGrams)} g and was refused: ${weighed?.feedback?.message ?? 'no answer'}`);
    return undefined;
  }
  // The label comes out of the printer; one out of paper keeps the packer waiting until it is reloaded.
  const told = /SSCC (\d{18})/.exec(weighed.feedback?.message ?? '')?.[1];
  const labelWaitMs = ctx.labelWaitMs ?? 60_000;
  const label = await printer.readLabel(told, labelWaitMs, labelsBefore);
  const sscc = told ?? label?.sscc;
  if (!label) stats.problems.push(`packer: no label came out of ${printer.id} for order ${tote.orderId}${told ? ` (SSCC ${told})` : ''} within ${labelWaitMs / 1000} s`);
  return label ? sscc : undefined;
}

export async function runDispatcher(ctx: StaffContext, scanner: FloorScanner, eye: FloorEye): Promise<void> {
  const { world, stats, pace, signal } = ctx;
  const noAnswer = new Map<string, number>();
  while (!signal.aborted) {
    const bag = world.bagsToDispatch.shift();
    if (!bag) {
      await pace.idle(signal);
      continue;
    }
    await pace.wait(2500, signal);
    const r = await scanner.scan(`]C100${bag.sscc}`);
    stats.scanned(r.ms);
    // No beep at all (the gateway restarting): scan the bag again, as a person would.
    const tries = (noAnswer.get(bag.sscc) ?? 0) + 1;
    if (!r.feedback && tries < 4) {
      noAnswer.set(bag.sscc, tries);
      world.bagsToDispatch.unshift(bag);
      await pace.idle(signal);
      continue;
    }
    noAnswer.delete(bag.sscc);
    if (!ok(r)) {
      stats.problems.push(`dispatcher: bag ${bag.sscc} refused: ${r.feedback?.message ?? 'no answer'}`);
      continue;
    }
    await pace.wait(1500, signal);
    await eye.block(scanner);
    await eye.clear();
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
    const suggested = /put away to bin (\S+)$/.exec(r.feedback?.message ?? '')?.[1];
    const leftAtDock = /leave it at (\S+) and tell the admin$/.exec(r.feedback?.message ?? '')?.[1];
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
      stats.mistake('wrongPutawayBin', refused(r), `${low.item.sku} to ${other.id} instead of ${suggested}`);
      await pace.wait(2000, signal);
    }
    r = await scanner.scan(`BIN-${suggested}`);
    stats.scanned(r.ms);
    if (ok(r)) {
      const zone = bins.find((b) => b.id === suggested)?.zone ?? '?';
      world.putAway(suggested, zone, low.item, low.item.lotTracked ? lot : '', low.item.lotTracked ? expiry : isoDay(365), 12);
    } else stats.problems.push(`receiver: bin ${suggested} refused: ${r.feedback?.message ?? 'no answer'}`);
  }
}
