/**
 * What happened during a simulated shift: orders through each stage (read from the gateway's
 * committed events), scans, mistakes made by the simulated staff and whether the gateway caught
 * them, and verdict latency (scan published -> feedback received).
 */
export const mistakeKinds = ['wrongItem', 'expiredLot', 'shortPick', 'bagWeight', 'wrongPutawayBin', 'wrongTote'] as const;
export type MistakeKind = (typeof mistakeKinds)[number];

export interface MistakeRates {
  wrongItem: number;
  expiredLot: number;
  shortPick: number;
  bagWeight: number;
  wrongPutawayBin: number;
  /** At a batch station: the unit is about to go into another slot's tote (its label scanned, or its light pressed). */
  wrongTote: number;
}

export const defaultMistakeRates: MistakeRates = { wrongItem: 0.02, expiredLot: 0.005, shortPick: 0.01, bagWeight: 0.01, wrongPutawayBin: 0.01, wrongTote: 0.02 };

/** Where a cancelled order was when the staff learnt of it: what they had to put back. */
export const cancelledWhere = ['released', 'picking', 'picked', 'packing', 'packed', 'dispatched'] as const;
export type CancelledWhere = (typeof cancelledWhere)[number];
export const cancelledWhereText: Record<CancelledWhere, string> = {
  released: 'before picking',
  picking: 'mid-pick',
  picked: 'picked, waiting for packing',
  packing: 'on the pack station',
  packed: 'packed, waiting for dispatch',
  dispatched: 'after dispatch (too late, gone with the courier)',
};

export class ShiftStats {
  readonly startedAt = Date.now();
  /** Orders through each stage; `dispatched` leaves out orders cancelled after all. */
  readonly orders = { released: 0, picked: 0, packed: 0, dispatched: 0, cancelled: 0 };
  scans = 0;
  private readonly dispatchedIds = new Set<string>();
  private readonly cancelledIds = new Set<string>();
  /** Orders whose every line was short: nothing to pack. */
  private readonly emptyIds = new Set<string>();
  /** Where each cancelled order was when a member of staff dealt with it, and the first message heard there. */
  private readonly cancelledAt = new Map<string, CancelledWhere>();
  readonly toldAt: Partial<Record<CancelledWhere, string>> = {};
  private readonly scanTimes: number[] = [];
  readonly mistakes = Object.fromEntries(mistakeKinds.map((k) => [k, { made: 0, caught: 0, missed: 0 }])) as Record<MistakeKind, { made: number; caught: number; missed: number }>;
  private readonly latencies: number[] = [];
  /** Verdict latency over time, for the plot: [seconds since start, ms]. */
  readonly latencyTimeline: Array<[number, number]> = [];
  /** When each order was dispatched, seconds since the start, for the plot. */
  readonly dispatchTimes: number[] = [];
  readonly problems: string[] = [];
  /** The batch station's work: batches started, orders on its wall, puts confirmed (by the slot's button or a tote scan). */
  readonly batch: { batches: Set<string>; orders: Set<string>; biggest: number; putsByButton: number; putsByTote: number; cancelledOnWall: number; told?: string } = {
    batches: new Set(),
    orders: new Set(),
    biggest: 0,
    putsByButton: 0,
    putsByTote: 0,
    cancelledOnWall: 0,
  };
  /** The pack station that trusts the pick: orders packed there, those in several bags weighed together, and their bags. */
  readonly trustPick = { orders: 0, weighedTogether: 0, bagsTogether: 0 };

  scanned(ms?: number): void {
    this.scans += 1;
    this.scanTimes.push(Date.now());
    if (ms !== undefined) {
      this.latencies.push(ms);
      this.latencyTimeline.push([(Date.now() - this.startedAt) / 1000, ms]);
    }
  }

  mistake(kind: MistakeKind, caught: boolean, detail?: string): void {
    const m = this.mistakes[kind];
    m.made += 1;
    if (caught) m.caught += 1;
    else {
      m.missed += 1;
      this.problems.push(`${kind} not caught${detail ? `: ${detail}` : ''}`);
    }
  }

  orderEvent(type: string, orderId: string): void {
    if (type === 'order.released') this.orders.released += 1;
    else if (type === 'order.picked') this.orders.picked += 1;
    else if (type === 'order.packed') this.orders.packed += 1;
    else if (type === 'order.cancelled') this.cancelledIds.add(orderId);
    else if (type === 'order.dispatched') {
      this.dispatchedIds.add(orderId);
      this.dispatchTimes.push((Date.now() - this.startedAt) / 1000);
    }
    this.orders.cancelled = this.cancelledIds.size;
    this.orders.dispatched = [...this.dispatchedIds].filter((id) => !this.cancelledIds.has(id)).length;
  }

  /** The picker found nothing for any line of the order. */
  orderEmptied(orderId: string): void {
    this.emptyIds.add(orderId);
  }

  /** Orders emptied by short picks (and not cancelled). */
  get emptyOrders(): number {
    return [...this.emptyIds].filter((id) => !this.cancelledIds.has(id)).length;
  }

  /** Orders at their end: dispatched, cancelled, or emptied by short picks. */
  finishedOrders(): number {
    return new Set([...this.dispatchedIds, ...this.cancelledIds, ...this.emptyIds]).size;
  }

  /** A member of staff dealt with a cancelled order (stopped it, took its tote or bags back), having heard `message`. */
  cancellationHandled(orderId: string, where: CancelledWhere, message?: string): void {
    if (this.cancelledAt.has(orderId)) return;
    this.cancelledAt.set(orderId, where);
    if (message && !this.toldAt[where]) this.toldAt[where] = message;
  }

  /** Cancelled orders by where they were: what the staff dealt with, else before picking or after dispatch. */
  cancelledByWhere(): Record<CancelledWhere, number> {
    const counts = Object.fromEntries(cancelledWhere.map((w) => [w, 0])) as Record<CancelledWhere, number>;
    for (const id of this.cancelledIds) counts[this.cancelledAt.get(id) ?? (this.dispatchedIds.has(id) ? 'dispatched' : 'released')] += 1;
    return counts;
  }

  scansPerMinute(): number {
    const since = Date.now() - 60_000;
    while (this.scanTimes.length > 0 && this.scanTimes[0]! < since) this.scanTimes.shift();
    const window = Math.min(60, (Date.now() - this.startedAt) / 1000);
    return window > 0 ? (this.scanTimes.length * 60) / Math.max(window, 1) : 0;
  }

  latency(p: number): number {
    if (this.latencies.length === 0) return 0;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  }

  allCaught(): boolean {
    return mistakeKinds.every((k) => this.mistakes[k].missed === 0);
  }
}
