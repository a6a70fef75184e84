/**
 * The simulated picker at a batch station (docs/workflows.md, "Batch picking with put-to-light"):
 * reads the station screen's put wall (`slots`), scans an empty tote into each slot the screen
 * asks for, walks the bins in the screen's order, scans each unit, puts it into the tote the
 * answer names ("put 1 x Whole Milk 1L in tote slot 3 (43)") and confirms the put with that
 * slot's light button or a scan of its tote. At the end of the batch the totes go to packing.
 * Mistakes, at the configured rates: another item, an expired lot, a damaged unit reported short
 * with the bin light's button, and the wrong tote (another slot's label or light) for a put; the
 * gateway must refuse the wrong ones. A cancelled order's tote comes off the wall into the
 * returns tote, as the gateway says ("order O-2 in slot 3 (43) was cancelled: take the tote out").
 */
import type { FloorLights, FloorScanner, Verdict } from './floorDevices.ts';
import { isoDay, unitBarcode, type PickedUnit, type ShelfSlot } from './floorWorld.ts';
import { cancelledOrderIn, heardAnswer, ok, refused, waitForGateway, type Screen, type ScreenSlot, type StaffContext } from './staff.ts';

/** A tote on the wall, as the picker knows it: the order it is for and the units put in it. */
interface WallTote {
  slot: number;
  orderId: string;
  /** The tote's label (TOTE-...), once scanned into the slot. */
  tote?: string;
  units: PickedUnit[];
  /** The screen showed the order complete. */
  picked: boolean;
  /** Taken off the wall into the returns tote (cancelled). */
  returned: boolean;
}

export async function runBatchPicker(ctx: StaffContext, station: string, scanner: FloorScanner, binLights: FloorLights, putWall: FloorLights): Promise<void> {
  const { world, stats, rates, pace, random, signal } = ctx;
  let batchId: string | undefined;
  const wall = new Map<number, WallTote>();
  /** Totes of orders the station took away unfinished (a restart): kept until their order is on the wall again. */
  const held = new Map<string, WallTote>();
  /** The cancellation message the picker heard for an order, to report what they were told. */
  const told = new Map<string, string>();
  const listen = (verdicts: Verdict[]) => {
    for (const v of verdicts) {
      const orderId = cancelledOrderIn(v.message);
      if (orderId && !told.has(orderId)) told.set(orderId, v.message!);
    }
  };
  const hear = async (action: Promise<{ feedback?: Verdict; ms: number }>, counted = true) => {
    const r = await heardAnswer(scanner, await action);
    if (counted) stats.scanned(r.ms);
    listen([...r.before, ...(r.feedback ? [r.feedback] : []), ...r.after]);
    return r;
  };
  const serial = scanner.transport().startsWith('serial');
  const onWall = (orderId: string) => [...wall.values()].find((w) => w.orderId === orderId);

  /**
   * The tote of a cancelled order comes off the wall: what the console says was counted for it
   * goes into the returns tote. A unit scanned with no clear answer (`inHand`) counted for it
   * when the console shows one more than the tote holds.
   */
  const takeOut = async (w: WallTote, inHand?: ShelfSlot): Promise<boolean> => {
    if (w.returned) return false;
    w.returned = true;
    // The answer of a scan in flight comes a moment after the cancellation: let it land first.
    await new Promise((r) => setTimeout(r, 250));
    const view = await ctx.order(w.orderId).catch(() => undefined);
    let usedInHand = false;
    for (const sku of new Set([...(view?.lineItems ?? []).map((l) => l.sku), ...w.units.map((u) => u.item.sku)])) {
      const counted = view?.lineItems.filter((l) => l.sku === sku).reduce((n, l) => n + l.picked, 0) ?? 0;
      const inTote = w.units.filter((u) => u.item.sku === sku).length;
      if (counted === inTote + 1 && inHand?.item.sku === sku && inHand.qty > 0) {
        w.units.push(world.take(inHand));
        usedInHand = true;
      } else if (view && counted !== inTote) stats.problems.push(`batch picker at ${station}: cancelled order ${w.orderId} counted ${counted} x ${sku}, its tote holds ${inTote}`);
    }
    world.toReturns(w.orderId, w.units);
    w.units = [];
    const allDone = view?.lineItems.every((l) => l.picked + l.short >= l.qty) ?? w.picked;
    stats.cancellationHandled(w.orderId, allDone ? 'picked' : 'picking', told.get(w.orderId));
    stats.batch.cancelledOnWall += 1;
    stats.batch.told ??= told.get(w.orderId);
    return usedInHand;
  };

  /** The batch is done (or gone after a restart): its totes go to packing, a cancelled order's into the returns tote. */
  const finishBatch = async () => {
    for (const w of wall.values()) {
      if (w.returned) continue;
      const status = (await ctx.order(w.orderId).catch(() => undefined))?.status;
      if (status === 'cancelled') await takeOut(w);
      else if (status === 'released' || status === 'picking') held.set(w.orderId, w);
      else if (w.units.length > 0) {
        world.totesToPack.push({ tote: w.tote ?? w.orderId, orderId: w.orderId, units: w.units });
        if (!w.picked) ctx.orderReached?.(w.orderId, 'picked');
      } else stats.orderEmptied(w.orderId);
    }
    wall.clear();
    batchId = undefined;
  };

  const startBatch = (screen: Screen) => {
    batchId = screen.batchId;
    stats.batch.batches.add(batchId!);
    for (const s of screen.slots ?? []) {
      if (!s.orderId) continue;
      const w = held.get(s.orderId) ?? { slot: s.slot, orderId: s.orderId, units: [], picked: false, returned: false };
      held.delete(s.orderId);
      wall.set(s.slot, { ...w, slot: s.slot });
      stats.batch.orders.add(s.orderId);
    }
    stats.batch.biggest = Math.max(stats.batch.biggest, wall.size);
  };

  /** What the screen says about each slot: its tote, an order complete (its customer may cancel now), an order cancelled. */
  const followSlots = async (slots: ScreenSlot[]) => {
    for (const s of slots) {
      const w = wall.get(s.slot);
      if (!w || w.orderId !== s.orderId) continue;
      if (s.tote && !w.tote) w.tote = `TOTE-${s.tote}`;
      if (s.status === 'picked' && !w.picked) {
        w.picked = true;
        ctx.orderReached?.(w.orderId, 'picked');
      }
      if (s.status === 'cancelled' || told.has(w.orderId)) await takeOut(w);
    }
  };

  /**
   * A unit scanned with no answer (the gateway restarting, or a cancellation that left no order
   * at the stop needing it): once the gateway is back, the console says whether an order on the
   * wall counted it; if none did, it stays on the shelf.
   */
  const settle = async (unit: ShelfSlot, gatewayUp = false): Promise<boolean> => {
    if (!gatewayUp) await waitForGateway(ctx, station, scanner);
    for (const w of wall.values()) {
      if (w.returned) continue;
      const view = await ctx.order(w.orderId).catch(() => undefined);
      const counted = view?.lineItems.filter((l) => l.sku === unit.item.sku).reduce((n, l) => n + l.picked, 0) ?? 0;
      if (counted > w.units.filter((u) => u.item.sku === unit.item.sku).length) {
        if (view?.status === 'cancelled') return takeOut(w, unit);
        w.units.push(world.take(unit));
        return true;
      }
    }
    return false;
  };

  while (!signal.aborted) {
    listen(scanner.takeNotices());
    const screen = await ctx.screen(station).catch(() => undefined);
    if (!screen) {
      // The screen is dark (the gateway restarting): wait, the totes stay on the wall.
      await pace.idle(signal);
      continue;
    }
    // Told an order on the wall was cancelled: its tote comes out at once.
    for (const orderId of told.keys()) {
      const w = onWall(orderId);
      if (w) await takeOut(w);
    }
    if (screen.batchId !== batchId) {
      await finishBatch();
      if (screen.batchId) startBatch(screen);
    }
    if (!batchId || !screen.slots) {
      await pace.idle(signal);
      continue;
    }
    await followSlots(screen.slots);

    if (screen.phase === 'totes') {
      // The slot waiting for a tote: an empty one goes in, its label scanned.
      const slot = screen.slots.find((s) => s.status === 'open' && !s.tote);
      if (!slot) {
        await pace.idle(signal);
        continue;
      }
      await pace.wait(2000, signal);
      const r = await hear(scanner.scan(world.nextTote()));
      // The screen shows the tote in its slot (also when the answer was lost to a restart).
      if (!r.feedback) await waitForGateway(ctx, station, scanner);
      else if (!ok(r) && !(await batchMoved(ctx, station, batchId))) stats.problems.push(`batch picker at ${station}: a new tote for slot ${slot.slot} was refused: ${r.feedback.message}`);
      continue;
    }

    if (screen.phase === 'put') {
      const slot = screen.slots.find((s) => s.put !== undefined);
      const w = slot && wall.get(slot.slot);
      if (!slot || !w || w.orderId !== slot.orderId) {
        await pace.idle(signal);
        continue;
      }
      await pace.wait(1500, signal);
      if (random() < rates.wrongTote) {
        // About to put it into another slot's tote: the gateway must refuse that tote or light.
        const others = [...wall.values()].filter((o) => o.slot !== w.slot && !o.returned && o.tote);
        const other = others[Math.floor(random() * others.length)];
        if (other) {
          const r = random() < 0.5 ? await hear(scanner.scan(other.tote!)) : await hear(putWall.press('confirm', scanner, other.slot), false);
          if (r.feedback && !told.has(w.orderId)) stats.mistake('wrongTote', refused(r), `order ${w.orderId}: tote of slot ${other.slot} instead of slot ${w.slot}`);
          else if (!r.feedback) await waitForGateway(ctx, station, scanner);
          continue;
        }
      }
      const byButton = !w.tote || random() < 0.5;
      const r = byButton ? await hear(putWall.press('confirm', scanner, w.slot), false) : await hear(scanner.scan(w.tote!));
      if (ok(r)) {
        if (byButton) stats.batch.putsByButton += 1;
        else stats.batch.putsByTote += 1;
      } else if (!r.feedback) await waitForGateway(ctx, station, scanner);
      else if (!told.has(w.orderId) && !(await batchMoved(ctx, station, batchId))) stats.problems.push(`batch picker at ${station}: the put into slot ${w.slot} was refused: ${r.feedback.message}`);
      continue;
    }

    // Picking: the first stop of the walk with units still to pick.
    const line = screen.lines?.find((l) => l.done + (l.short ?? 0) < l.qty);
    if (!line) {
      await pace.idle(signal);
      continue;
    }
    await pace.wait(3000, signal);
    const unit = line.bin ? world.takeFrom(line.bin, line.sku) : undefined;
    if (!unit) {
      // Nothing in the bin (or no stock anywhere): short, for every order of the batch that needs it here.
      const r = await hear(scanner.scan('CMD-SHORT'));
      if (!r.feedback) await waitForGateway(ctx, station, scanner);
      continue;
    }
    const dice = random();
    if (dice < rates.shortPick) {
      // A damaged unit: the picker reports the stop short with the bin light's button.
      const r = await hear(binLights.press('short', scanner), false);
      // A batch that ended meanwhile (a cancellation) answers "no batch": not a verdict on the short.
      if (r.feedback && (ok(r) || !(await batchMoved(ctx, station, batchId)))) stats.mistake('shortPick', ok(r), `batch ${batchId} bin ${line.bin}`);
      else if (!r.feedback) await waitForGateway(ctx, station, scanner);
      continue;
    }
    if (dice < rates.shortPick + rates.wrongItem) {
      const r = await hear(scanner.scan(unitBarcode(ctx.otherItem(unit.item))));
      if (r.feedback) stats.mistake('wrongItem', refused(r), `batch ${batchId} bin ${line.bin} ${line.sku}`);
      else await waitForGateway(ctx, station, scanner);
      continue;
    }
    if (dice < rates.shortPick + rates.wrongItem + rates.expiredLot && unit.item.lotTracked) {
      const r = await hear(scanner.scan(unitBarcode(unit.item, { lot: 'XP1', expiry: isoDay(-2) })));
      if (r.feedback) stats.mistake('expiredLot', refused(r), `batch ${batchId} ${unit.item.sku}`);
      else await waitForGateway(ctx, station, scanner);
      continue;
    }
    const r = await hear(scanner.scan(unitBarcode(unit.item, unit)));
    if (!r.feedback) {
      await settle(unit);
      continue;
    }
    if (refused(r)) {
      // A good unit refused: the order that needed it was cancelled, or the batch ended, a moment
      // before the scan. A serial scanner's error beep may also have been the cancellation's,
      // with the scan's own beep after it: the console says whether the unit counted.
      if (!(await settle(unit, true)) && !(await cancelledOnWall(ctx, wall)) && !(await batchMoved(ctx, station, batchId))) stats.problems.push(`batch picker at ${station}: "${r.feedback.message}" for a correct unit of ${unit.item.sku}`);
      continue;
    }
    // "put 1 x Whole Milk 1L in tote slot 3 (43)": the answer names the slot. A serial scanner
    // only beeps, and the screen read after the beep may not show this unit's put yet: that
    // picker looks at the console for the order that counted it.
    const named = serial ? undefined : /\bin tote slot (\d+)\b/.exec(r.feedback.message ?? '')?.[1];
    const target = named ? wall.get(Number(named)) : undefined;
    if (!target) {
      await settle(unit, true);
      continue;
    }
    if (target.returned) {
      // Counted for an order whose tote came off the wall just now: it follows the tote.
      world.toReturns(target.orderId, [world.take(unit)]);
      continue;
    }
    if (target.units.length === 0) ctx.orderReached?.(target.orderId, 'picking');
    target.units.push(world.take(unit));
  }
}

/** Whether the station has moved on from `batchId` (a cancellation ended it): a refusal then is not about the batch the picker worked. */
async function batchMoved(ctx: StaffContext, station: string, batchId: string | undefined): Promise<boolean> {
  const screen = await ctx.screen(station).catch(() => undefined);
  return screen?.batchId !== batchId;
}

/** Whether the console shows an order on the wall cancelled. */
async function cancelledOnWall(ctx: StaffContext, wall: Map<number, WallTote>): Promise<boolean> {
  for (const w of wall.values()) if (w.returned || (await ctx.order(w.orderId).catch(() => undefined))?.status === 'cancelled') return true;
  return false;
}
