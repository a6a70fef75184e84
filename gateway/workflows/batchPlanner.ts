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

/** The next batch: up to maxOrders waiting orders, most urgent first, in the wall's slots in order. */
export function planBatch(input: {
  batchId: string;
  waiting: readonly ReleasedOrder[];
  maxOrders: number;
  slots: readonly number[];
  planLines(order: ReleasedOrder): PickLine[];
}): BatchPlan | undefined {
  const chosen = [...input.waiting].sort(compareOrders).slice(0, Math.min(input.maxOrders, input.slots.length));
  if (chosen.length === 0) return undefined;
  const slots = [...input.slots].sort((a, b) => a - b);
  return { batchId: input.batchId, orders: chosen.map((o, i) => ({ orderId: o.orderId, slot: slots[i]!, status: 'open', lines: input.planLines(o) })) };
}

/**
 * The batch a station was working on when the gateway stopped: its last `batch.started`, with
 * the totes scanned since and the orders of it still to pick (their `picked`/`short` come from
 * the order projection, so units already picked stay picked). Undefined when it was finished.
 */
export function resumeBatch(input: {
  station: string;
  /** batch.started and batch.toteAssigned events, oldest first. */
  events: readonly LoggedEvent[];
  toPick: readonly ReleasedOrder[];
  slots: readonly number[];
  planLines(order: ReleasedOrder): PickLine[];
}): BatchPlan | undefined {
  const started = [...input.events].reverse().find((e) => e.type === 'batch.started' && (e.data as { station: string }).station === input.station);
  if (!started) return undefined;
  const data = started.data as { batchId: string; orders: Array<{ orderId: string; slot: number }> };
  const totes = new Map<string, string>();
  for (const e of input.events) {
    const d = e.data as { batchId?: string; orderId?: string; tote?: string };
    if (e.type === 'batch.toteAssigned' && d.batchId === data.batchId && d.orderId && d.tote) totes.set(d.orderId, d.tote);
  }
  const byId = new Map(input.toPick.map((o) => [o.orderId, o]));
  const orders: BatchOrder[] = [];
  for (const { orderId, slot } of data.orders) {
    const order = byId.get(orderId);
    // A slot that is no longer on the wall (the config changed) cannot be resumed: the order goes back to the queue.
    if (!order || !input.slots.includes(slot)) continue;
    if (!order.lines.some((l) => l.qty - (l.picked ?? 0) - (l.short ?? 0) > 0)) continue;
    const tote = totes.get(orderId);
    orders.push({ orderId, slot, ...(tote ? { tote } : {}), status: 'open', lines: input.planLines(order) });
  }
  return orders.length > 0 ? { batchId: data.batchId, orders, resumed: true } : undefined;
}

function compareBins(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}
