/**
 * Plans a batch for a batch pick station: which waiting orders go together (the same order as
 * single-order picking, `compareOrders`), which put wall slot each takes, the walk (every bin of
 * the batch once, in bin id order), which order line a scanned unit goes to, and the batch to
 * resume after a restart, from the log.
 *
 * @example
 *   const plan = planBatch({ batchId, waiting, maxOrders: 3, slots: [1, 2, 3, 4], planLines });
 *   chooseLine(linesAtStop(plan.orders), scannedItem(barcode)!, catalog); // { order, line }
 */
import type { LoggedEvent } from '../log/eventCatalogue.ts';
import { compareOrders, type ReleasedOrder } from './pickPlanner.ts';
import type { PickLine } from './pickWorkflow.ts';
import type { ScannedItem } from './scannedItem.ts';
import type { CatalogView } from './types.ts';

export interface LightTarget {
  device: string;
  address: number | string;
}

export interface BatchOrder {
  orderId: string;
  slot: number;
  tote?: string;
  /** open: being picked; picked: all lines done (order.picked recorded); cancelled by the OMS. */
  status: 'open' | 'picked' | 'cancelled';
  lines: PickLine[];
}

export interface BatchPlan {
  batchId: string;
  orders: BatchOrder[];
  /** Resumed from the log after a restart: its batch.started is already recorded. */
  resumed?: boolean;
  /** Resumed with units picked whose put into the tote was not confirmed yet. */
  put?: PendingPut;
}

/** Units recorded as picked for an order and waiting to be put into its tote. */
export interface PendingPut {
  orderId: string;
  slot: number;
  sku: string;
  name: string;
  qty: number;
}

export interface BatchLine {
  order: BatchOrder;
  line: PickLine;
}

export const remaining = (l: PickLine) => l.qty - l.picked - l.short;

// Orders arrays are never changed in place (each decision makes new ones), so a walk computed for
// one can be reused: a decision asks for it several times (stop, lights, screen).
const walks = new WeakMap<readonly BatchOrder[], BatchLine[]>();

/** Lines still to pick of the open orders, in walking order: bin id, lines without stock last; then slot, then line. */
export function openLines(orders: readonly BatchOrder[]): BatchLine[] {
  const cached = walks.get(orders);
  if (cached) return cached;
  const lines: BatchLine[] = [];
  for (const order of [...orders].sort((a, b) => a.slot - b.slot)) {
    if (order.status !== 'open') continue;
    for (const line of [...order.lines].sort((a, b) => a.line - b.line)) if (remaining(line) > 0) lines.push({ order, line });
  }
  lines.sort((a, b) => compareBins(a.line.bin, b.line.bin));
  walks.set(orders, lines);
  return lines;
}

/** The lines at the current stop: the first bin of the walk that still has something to pick. */
export function linesAtStop(orders: readonly BatchOrder[]): BatchLine[] {
  const lines = openLines(orders);
  const first = lines[0];
  return first ? lines.filter((l) => l.line.bin === first.line.bin) : [];
}

/** The current stop's bin; undefined when nothing is left or the stop is the lines without stock. */
export const stopBin = (orders: readonly BatchOrder[]) => linesAtStop(orders)[0]?.line.bin;

/**
 * The order line a scanned unit goes to: the first order (by slot) at this stop that still needs
 * the scanned SKU and has room for the scan's count, else the first that needs it at all (the
 * verifier then refuses "too many"); then the same for lines that allow it as a substitute; else
 * the stop's first line, so the verifier names what was expected.
 */
export function chooseLine(atStop: readonly BatchLine[], item: ScannedItem, catalog: CatalogView): BatchLine | undefined {
  const sku = catalog.skuOfGtin(item.gtin);
  if (sku !== undefined) {
    const exact = atStop.filter((l) => l.line.sku === sku);
    const substitutes = atStop.filter((l) => l.line.sku !== sku && l.line.substitutes.includes(sku));
    for (const group of [exact, substitutes]) {
      const fits = group.find((l) => remaining(l.line) >= item.count);
      if (fits ?? group[0]) return fits ?? group[0];
    }
  }
  return atStop[0];
}

/** How a batch station chooses the orders of its next batch (config `batch.groupBy`). */
export interface BatchGrouping {
  /** `urgency`: the most urgent orders. `bins`: the most urgent order, then those that add the fewest bins to the walk. */
  groupBy: 'urgency' | 'bins';
  /** With `bins`: how many of the most urgent waiting orders it chooses among. */
  lookAhead: number;
}

/**
 * The next batch: up to maxOrders waiting orders into the wall's slots in order. By urgency: the
 * most urgent. By shared bins: the most urgent order always goes first (nothing waits behind a
 * batch that skips it), then, among the `lookAhead` most urgent, one at a time the order that adds
 * the fewest bins not yet in the walk (ties: the more urgent), so the picker stops at fewer bins.
 */
export function planBatch(input: {
  batchId: string;
  waiting: readonly ReleasedOrder[];
  maxOrders: number;
  slots: readonly number[];
  planLines(order: ReleasedOrder): PickLine[];
  grouping?: BatchGrouping;
}): BatchPlan | undefined {
  const size = Math.min(input.maxOrders, input.slots.length);
  const ranked = [...input.waiting].sort(compareOrders);
  const chosen = input.grouping?.groupBy === 'bins' ? groupBySharedBins(ranked, size, input.grouping.lookAhead, input.planLines) : ranked.slice(0, size).map((order) => ({ order, lines: input.planLines(order) }));
  if (chosen.length === 0) return undefined;
  const slots = [...input.slots].sort((a, b) => a - b);
  return { batchId: input.batchId, orders: chosen.map(({ order, lines }, i) => ({ orderId: order.orderId, slot: slots[i]!, status: 'open', lines })) };
}

/** Stops of a walk: each planned bin once; lines without stock are one stop at the end. */
const stopsOf = (lines: readonly PickLine[]) => new Set(lines.filter((l) => remaining(l) > 0).map((l) => l.bin ?? ''));

function groupBySharedBins(ranked: readonly ReleasedOrder[], size: number, lookAhead: number, planLines: (order: ReleasedOrder) => PickLine[]): Array<{ order: ReleasedOrder; lines: PickLine[] }> {
  const candidates = ranked.slice(0, Math.max(size, lookAhead)).map((order) => ({ order, lines: planLines(order) }));
  const chosen = candidates.splice(0, 1);
  const walk = new Set(chosen.flatMap((c) => [...stopsOf(c.lines)]));
  while (chosen.length < size && candidates.length > 0) {
    let best = 0;
    let fewest = Infinity;
    candidates.forEach((c, i) => {
      const added = [...stopsOf(c.lines)].filter((bin) => !walk.has(bin)).length;
      if (added < fewest) [best, fewest] = [i, added];
    });
    const [next] = candidates.splice(best, 1);
    chosen.push(next!);
    for (const bin of stopsOf(next!.lines)) walk.add(bin);
  }
  return chosen;
}

/**
 * The batch a station was working on when the gateway stopped: its last `batch.started`, with
 * the totes scanned since and the orders of it still to pick (their `picked`/`short` come from
 * the order projection, so units already picked stay picked). A unit picked whose put was not
 * confirmed (its `stock.picked` has no `batch.put` after it) is asked for again, also when it
 * was its order's last. Undefined when the batch was finished.
 */
export function resumeBatch(input: {
  station: string;
  /**
   * batch.started and batch.toteAssigned events, and the latest batch.put and stock.picked of
   * this station since (the last pick is the only one that can wait for its put), oldest first.
   */
  events: readonly LoggedEvent[];
  toPick: readonly ReleasedOrder[];
  slots: readonly number[];
  planLines(order: ReleasedOrder): PickLine[];
  /** An order's status in the projection (picked, cancelled, ...). */
  orderStatus(orderId: string): string | undefined;
  /** An order no longer to pick (picked before the restart, maybe packed since), with its lines. */
  releasedOrder(orderId: string): ReleasedOrder | undefined;
  itemName(sku: string): string;
}): BatchPlan | undefined {
  const started = [...input.events].reverse().find((e) => e.type === 'batch.started' && (e.data as { station: string }).station === input.station);
  if (!started) return undefined;
  const data = started.data as { batchId: string; orders: Array<{ orderId: string; slot: number }>; recordsPuts?: boolean };
  const slotOf = new Map(data.orders.map((o) => [o.orderId, o.slot]));
  const totes = new Map<string, string>();
  // Picking waits for each put: only the batch's last pick can be waiting for one. A batch started
  // before puts were recorded has no batch.put at all: nothing can be told of its puts.
  let unput: { orderId: string; sku: string; qty: number } | undefined;
  for (const e of input.events) {
    if (e.seq <= started.seq) continue;
    const d = e.data as { batchId?: string; orderId?: string; tote?: string; sku?: string; qty?: number };
    if (e.type === 'batch.toteAssigned' && d.batchId === data.batchId && d.orderId && d.tote) totes.set(d.orderId, d.tote);
    if (!data.recordsPuts) continue;
    if (e.type === 'stock.picked' && e.source.station === input.station && d.orderId && slotOf.has(d.orderId)) unput = { orderId: d.orderId, sku: d.sku!, qty: d.qty! };
    if (e.type === 'batch.put' && d.batchId === data.batchId) unput = undefined;
  }
  const byId = new Map(input.toPick.map((o) => [o.orderId, o]));
  const orders: BatchOrder[] = [];
  for (const { orderId, slot } of data.orders) {
    // A slot that is no longer on the wall (the config changed) cannot be resumed: the order goes back to the queue.
    if (!input.slots.includes(slot)) continue;
    const tote = totes.get(orderId);
    const order = byId.get(orderId);
    if (order && order.lines.some((l) => l.qty - (l.picked ?? 0) - (l.short ?? 0) > 0)) {
      orders.push({ orderId, slot, ...(tote ? { tote } : {}), status: 'open', lines: input.planLines(order) });
      continue;
    }
    // Orders of the batch finished before the restart stay on the wall as they were, until the
    // batch is done: a picked order's tote with its lines (a cancellation still reaches it, and
    // "batch done" counts it), a cancelled order's slot as cancelled. An order packed or gone
    // since its picking stays as picked too: the batch never learns of packing without a restart.
    const status = input.orderStatus(orderId);
    const done = status === 'picked' || status === 'packed' || status === 'dispatched' ? input.releasedOrder(orderId) : undefined;
    if (done) orders.push({ orderId, slot, ...(tote ? { tote } : {}), status: 'picked', lines: input.planLines(done) });
    else if (status === 'cancelled') orders.push({ orderId, slot, ...(tote ? { tote } : {}), status: 'cancelled', lines: [] });
  }
  // The unit of an order cancelled meanwhile is not put: it goes to the returns.
  const putOrder = unput && orders.find((o) => o.orderId === unput.orderId && o.status !== 'cancelled');
  const put = unput && putOrder ? { orderId: unput.orderId, slot: putOrder.slot, sku: unput.sku, name: input.itemName(unput.sku), qty: unput.qty } : undefined;
  // Nothing left to pick or put: the batch ended with the restart.
  return put || orders.some((o) => o.status === 'open') ? { batchId: data.batchId, orders, resumed: true, ...(put ? { put } : {}) } : undefined;
}

function compareBins(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}
