/**
 * Pull: the OMS feed from a persisted cursor, each item applied as a log event whose id derives
 * from the feed item id, so a redelivered item (a crash before the cursor was saved, an OMS that
 * repeats itself) changes nothing. An item that does not validate is parked with its reason and
 * the feed goes on.
 *
 * @example
 *   const puller = new FeedPuller({ state, transport, applier, pageSize: 200, logger });
 *   await puller.pullOnce(); // { items: 12, applied: 11, duplicates: 0, parked: 1, more: false }
 */
import { feedItemSchema, type FeedItem } from './omsApi.ts';
import type { OmsTransport } from './omsTransport.ts';
import { ParkedItems } from './parkedItems.ts';
import { syncKeys, type FeedApplier, type SyncLogger, type SyncStateStore } from './syncPorts.ts';
import { z } from 'zod';

export interface FeedPullerOptions {
  state: SyncStateStore;
  transport: OmsTransport;
  applier: FeedApplier;
  pageSize: number;
  logger: SyncLogger;
}

export interface PullOutcome {
  items: number;
  applied: number;
  duplicates: number;
  parked: number;
  /** A full page came back: pull again without waiting. */
  more: boolean;
}

export class FeedPuller {
  readonly parked: ParkedItems;

  constructor(private readonly options: FeedPullerOptions) {
    this.parked = new ParkedItems(options.state, syncKeys.parkedFeed);
  }

  get cursor(): string | undefined {
    return this.options.state.get(syncKeys.feedCursor);
  }

  async pullOnce(): Promise<PullOutcome> {
    const { transport, state, pageSize } = this.options;
    const page = await transport.fetchFeed(this.cursor, pageSize);
    const outcome: PullOutcome = { items: page.items.length, applied: 0, duplicates: 0, parked: 0, more: page.items.length >= pageSize };
    let cursor = this.cursor;
    for (const raw of page.items) {
      const parsed = feedItemSchema.safeParse(raw);
      if (!parsed.success) {
        const envelope = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
        const key = typeof envelope.id === 'string' ? envelope.id : `cursor-${String(envelope.cursor ?? cursor)}`;
        this.park(key, `not a feed item: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`, raw);
        outcome.parked++;
        if (typeof envelope.cursor === 'string') cursor = envelope.cursor;
        continue;
      }
      const applied = await this.options.applier.apply(parsed.data);
      if (applied.applied) {
        if (applied.duplicate) outcome.duplicates++;
        else outcome.applied++;
      } else {
        this.park(parsed.data.id, applied.reason, parsed.data);
        outcome.parked++;
      }
      cursor = parsed.data.cursor;
    }
    if (page.nextCursor !== null) cursor = page.nextCursor;
    if (cursor !== undefined && cursor !== this.cursor) state.set(syncKeys.feedCursor, cursor);
    return outcome;
  }

  /** Applies parked feed items again (e.g. after an upgrade that knows their shape). */
  async retryParked(): Promise<{ retried: number; stillParked: number }> {
    const items = this.parked.list();
    const done: string[] = [];
    for (const item of items) {
      const parsed = feedItemSchema.safeParse(item.detail.item);
      if (!parsed.success) continue;
      const applied = await this.options.applier.apply(parsed.data);
      if (applied.applied) done.push(item.key);
      else this.park(item.key, applied.reason, parsed.data);
    }
    this.parked.remove(done);
    return { retried: items.length, stillParked: this.parked.count };
  }

  private park(key: string, reason: string, item: unknown): void {
    this.options.logger.warn({ component: 'cloud-sync', feedItem: key, reason }, 'feed item parked: it could not be applied; the feed goes on');
    this.parked.park({ key, reason, detail: { item: item as FeedItem } });
  }
}
