/** A bounded set of recently seen message ids: drops a redelivered duplicate, forgets the oldest. */
export class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity: number) {}

  /** true when `id` was seen before; otherwise remembers it. */
  seen(id: string): boolean {
    if (this.ids.has(id)) return true;
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
    return false;
  }
}
