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
  constructor(
    private readonly state: SyncStateStore,
    private readonly stateKey: string,
  ) {}

  list(): ParkedItem[] {
    const raw = this.state.get(this.stateKey);
    return raw ? (JSON.parse(raw) as ParkedItem[]) : [];
  }

  get count(): number {
    return this.list().length;
  }

  /** Parks an item, or updates the reason of one parked before (a retry that failed again). */
  park(item: { key: string; reason: string; detail: Record<string, unknown> }): void {
    const items = this.list();
    const existing = items.find((i) => i.key === item.key);
    if (existing) {
      existing.reason = item.reason;
      existing.attempts++;
    } else items.push({ ...item, parkedAt: new Date().toISOString(), attempts: 1 });
    this.state.set(this.stateKey, JSON.stringify(items));
  }

  remove(keys: Iterable<string>): void {
    const gone = new Set(keys);
    if (gone.size === 0) return;
    this.state.set(this.stateKey, JSON.stringify(this.list().filter((i) => !gone.has(i.key))));
  }
}
