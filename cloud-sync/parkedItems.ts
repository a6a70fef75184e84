/**
 * Parked items: pushed events the OMS rejected and feed items that could not be applied. They are
 * kept (durably, beside the cursor), counted, shown by `sync status` and retried by
 * `sync retry-parked`; they never block what comes after them.
 *
 * @example
 *   const parked = new ParkedItems(state, syncKeys.parkedEvents);
 *   parked.park({ key: '42', reason: 'unknown sku X', detail: { seq: 42, id: 'e-42', type: 'stock.picked' } });
 */
import type { SyncStateStore } from './syncPorts.ts';

export interface ParkedItem {
  /** seq (events) or feed item id (feed): one entry per key. */
  key: string;
  reason: string;
  parkedAt: string;
  attempts: number;
  detail: Record<string, unknown>;
}

export class ParkedItems {
  /** The list, read from the state store once: sync is its only writer. */
  private items?: Map<string, ParkedItem>;

  constructor(
    private readonly state: SyncStateStore,
    private readonly stateKey: string,
  ) {}

  list(): ParkedItem[] {
    return [...this.loaded().values()];
  }

  get count(): number {
    return this.loaded().size;
  }

  /** Parks an item, or updates the reason of one parked before (a retry that failed again). */
  park(item: { key: string; reason: string; detail: Record<string, unknown> }): void {
    this.parkAll([item]);
  }

  /**
   * Parks several items with one write. An OMS that starts rejecting a kind of event rejects
   * hundreds per batch: one write per item would re-serialise the whole list each time.
   */
  parkAll(items: Array<{ key: string; reason: string; detail: Record<string, unknown> }>): void {
    if (items.length === 0) return;
    const parked = this.loaded();
    const at = new Date().toISOString();
    for (const item of items) {
      const existing = parked.get(item.key);
      if (existing) {
        existing.reason = item.reason;
        existing.attempts++;
      } else parked.set(item.key, { ...item, parkedAt: at, attempts: 1 });
    }
    this.save();
  }

  remove(keys: Iterable<string>): void {
    const parked = this.loaded();
    let removed = 0;
    for (const key of keys) if (parked.delete(key)) removed++;
    if (removed > 0) this.save();
  }

  private loaded(): Map<string, ParkedItem> {
    if (!this.items) {
      const raw = this.state.get(this.stateKey);
      this.items = new Map((raw ? (JSON.parse(raw) as ParkedItem[]) : []).map((i) => [i.key, i]));
    }
    return this.items;
  }

  private save(): void {
    this.state.set(this.stateKey, JSON.stringify([...this.items!.values()]));
  }
}
