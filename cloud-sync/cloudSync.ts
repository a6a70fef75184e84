/**
 * Cloud sync as one gateway component: a push loop, a feed loop and a snapshot loop over one OMS
 * transport, sharing a health record. It starts when `cloud.enabled`; the floor never waits for
 * it. Admin requests (`sync retry-parked`, `sync snapshot`) arrive through the state store, so the
 * CLI works from another process.
 *
 * @example
 *   const sync = new CloudSync({ config: config.cloud, storeId: 'ams-1', reader, applier, state, stock, logger, registry });
 *   await sync.start();
 *   sync.notifyCommitted(); // new events: push without waiting for the interval
 *   console.log(sync.status());
 *   await sync.stop();
 */
import type { Registry } from 'prom-client';
import type { CloudConfig } from '../config/schema.ts';
import { Backoff } from './backoff.ts';
import { OmsRequestError } from './errors.ts';
import { EventPusher } from './eventPusher.ts';
import { FeedPuller } from './feedPuller.ts';
import { HttpTransport } from './httpTransport.ts';
import { InventorySnapshotter, type SnapshotRecord } from './inventorySnapshotter.ts';
import { MqttTransport } from './mqttTransport.ts';
import type { OmsTransport } from './omsTransport.ts';
import { Sleeper } from './sleeper.ts';
import { formatDuration, SyncHealth, type SyncStatusRecord } from './syncHealth.ts';
import { SyncMetrics } from './syncMetrics.ts';
import { syncKeys, type FeedApplier, type LogReader, type StockSnapshotSource, type SyncLogger, type SyncStateStore } from './syncPorts.ts';

export interface CloudSyncOptions {
  config: CloudConfig;
  storeId: string;
  reader: LogReader;
  applier: FeedApplier;
  state: SyncStateStore;
  stock: StockSnapshotSource;
  logger: SyncLogger;
  registry?: Registry;
  /** Replaces the transport built from config (tests, adapters for other OMS APIs). */
  transport?: OmsTransport;
}

export interface SyncStatus extends SyncStatusRecord {
  pushCursor: number;
  lastSeq: number;
  backlog: number;
  oldestUnsentAt?: string;
  feedCursor?: string;
  parkedEvents: number;
  parkedFeedItems: number;
  lastSnapshot?: SnapshotRecord;
}

export function buildTransport(config: CloudConfig, storeId: string): OmsTransport {
  if (config.transport === 'mqtt') {
    return new MqttTransport({ url: config.url, store: storeId, caFile: config.caFile, timeoutMs: config.requestTimeoutMs, ...config.mqtt });
  }
  return new HttpTransport({ url: config.url, store: storeId, token: config.token, caFile: config.caFile, timeoutMs: config.requestTimeoutMs });
}

export class CloudSync {
  readonly name = 'cloud-sync';
  readonly transport: OmsTransport;
  readonly pusher: EventPusher;
  readonly puller: FeedPuller;
  readonly snapshotter: InventorySnapshotter;
  readonly health: SyncHealth;
  private readonly log: SyncLogger;
  private readonly sleepers = { push: new Sleeper(), pull: new Sleeper(), snapshot: new Sleeper(), admin: new Sleeper() };
  private loops: Promise<void>[] = [];
  private running = false;
  private metrics?: SyncMetrics;
  private backlogWarned = false;
  private skewWarned = false;
  private snapshotDue = false;

  constructor(private readonly options: CloudSyncOptions) {
    const { config, storeId, reader, state, applier, stock } = options;
    this.log = options.logger;
    this.transport = options.transport ?? buildTransport(config, storeId);
    this.pusher = new EventPusher({ reader, state, transport: this.transport, batchSize: config.batchSize, batchMaxAgeMs: config.batchMaxAgeMs });
    this.puller = new FeedPuller({ state, transport: this.transport, applier, pageSize: config.feedPageSize, logger: this.log });
    this.snapshotter = new InventorySnapshotter({ source: stock, transport: this.transport, state, logger: this.log });
    this.health = new SyncHealth(state, this.transport.kind);
  }

  async start(): Promise<void> {
    const { registry } = this.options;
    if (registry && !this.metrics) this.metrics = new SyncMetrics(registry, () => this.gaugeValues());
    await this.transport.start();
    this.running = true;
    this.loops = [
      this.loop('push', () => this.pushStep()),
      this.loop('pull', () => this.pullStep()),
      this.loop('snapshot', () => this.snapshotStep()),
      this.loop('admin', () => this.adminStep()),
    ];
    this.log.info({ component: 'cloud-sync', url: this.options.config.url, transport: this.transport.kind, pushCursor: this.pusher.cursor }, 'cloud sync started');
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const s of Object.values(this.sleepers)) s.wake();
    await this.transport.close();
    await Promise.all(this.loops);
  }

  /** New events were committed: push now instead of at the next interval. */
  notifyCommitted(): void {
    this.sleepers.push.wake();
  }

  /** Asks for a snapshot now (the snapshot loop takes it). */
  requestSnapshot(): void {
    this.snapshotDue = true;
    this.sleepers.snapshot.wake();
  }

  async retryParked(): Promise<{ events: { retried: number; stillParked: number }; feed: { retried: number; stillParked: number } }> {
    const events = await this.pusher.retryParked();
    const feed = await this.puller.retryParked();
    this.log.info({ component: 'cloud-sync', events, feed }, 'parked items retried');
    return { events, feed };
  }

  status(): SyncStatus {
    return readSyncStatus(this.options.state, this.options.reader);
  }

  /** "cloud unreachable for 3h12m" once past cloud.degradedAfterMs, else undefined. */
  degradedReason(): string | undefined {
    const ms = this.health.unreachableForMs();
    if (ms === undefined || ms < this.options.config.degradedAfterMs) return undefined;
    return `cloud unreachable for ${formatDuration(ms)}`;
  }

  private async loop(name: keyof CloudSync['sleepers'], step: () => Promise<number>): Promise<void> {
    const backoff = new Backoff(this.options.config.backoff);
    while (this.running) {
      let waitMs: number;
      try {
        waitMs = await step();
        backoff.reset();
      } catch (err) {
        if (!this.running) break;
        const e = err as Error;
        this.health.failed(e);
        this.metrics?.failures.inc({ activity: name });
        // Log the first failure of a streak loudly, then every tenth: an outage of days must not flood the disk.
        const streak = backoff.consecutiveFailures;
        if (streak % 10 === 0) this.log.warn({ component: 'cloud-sync', activity: name, failures: streak + 1, err: e.message }, `cloud sync ${name} failed; retrying`);
        waitMs = backoff.next(e instanceof OmsRequestError ? e.retryAfterMs : undefined);
      }
      if (waitMs > 0 && this.running) await this.sleepers[name].sleep(waitMs);
    }
  }

  private succeeded(): void {
    this.health.succeeded(this.transport.lastServerDate);
    const skew = this.health.record.clockSkewMs;
    if (skew !== undefined && Math.abs(skew) > this.options.config.clockSkewWarnMs && !this.skewWarned) {
      this.skewWarned = true;
      this.log.warn(
        { component: 'cloud-sync', clockSkewMs: skew },
        `the OMS clock differs from ours by ${formatDuration(Math.abs(skew))}; check NTP on the gateway. Events are ordered by seq, never by time`,
      );
    }
  }

  /** @returns how long to wait before the next step */
  private async pushStep(): Promise<number> {
    const { config } = this.options;
    // Before the push: during an outage every push fails, and that is when the backlog grows.
    this.checkBacklog();
    const outcome = await this.pusher.pushOnce();
    if (outcome === 'idle') return config.intervals.pushMs;
    if (outcome === 'waiting') return config.batchMaxAgeMs;
    this.succeeded();
    this.metrics?.pushedEvents.inc(outcome.sent);
    if (outcome.rejected > 0) this.log.warn({ component: 'cloud-sync', rejected: outcome.rejected }, 'the OMS rejected events; they are parked (sync status, sync retry-parked)');
    return outcome.sent >= config.batchSize ? 0 : config.intervals.pushMs;
  }

  private async pullStep(): Promise<number> {
    const outcome = await this.puller.pullOnce();
    this.succeeded();
    if (this.metrics) {
      this.metrics.feedItems.inc({ outcome: 'applied' }, outcome.applied);
      this.metrics.feedItems.inc({ outcome: 'duplicate' }, outcome.duplicates);
      this.metrics.feedItems.inc({ outcome: 'parked' }, outcome.parked);
    }
    if (outcome.applied > 0) this.sleepers.push.wake();
    return outcome.more ? 0 : this.options.config.intervals.pullMs;
  }

  private async snapshotStep(): Promise<number> {
    const { config } = this.options;
    if (!this.snapshotDue) {
      this.snapshotDue = true;
      // The first snapshot comes one interval after start, not at boot.
      return config.intervals.snapshotMs;
    }
    try {
      await this.snapshotter.takeSnapshot('interval');
    } catch (err) {
      // The OMS has not yet received every event the snapshot reflects: try again after a push.
      if (err instanceof OmsRequestError && err.status === 409) return config.intervals.pushMs;
      throw err;
    }
    this.succeeded();
    this.snapshotDue = false;
    return 0;
  }

  private async adminStep(): Promise<number> {
    const { state } = this.options;
    const retry = state.get(syncKeys.retryParkedRequest);
    if (retry && state.get(`${syncKeys.retryParkedRequest}.done`) !== retry) {
      const result = await this.retryParked();
      state.set(`${syncKeys.retryParkedRequest}.result`, JSON.stringify(result));
      state.set(`${syncKeys.retryParkedRequest}.done`, retry);
    }
    const snap = state.get(syncKeys.snapshotRequest);
    if (snap && state.get(`${syncKeys.snapshotRequest}.done`) !== snap) {
      try {
        await this.snapshotter.takeSnapshot('admin');
      } catch (err) {
        if (err instanceof OmsRequestError && err.status === 409) return this.options.config.intervals.pushMs;
        throw err;
      }
      state.set(`${syncKeys.snapshotRequest}.done`, snap);
    }
    return 500;
  }

  private checkBacklog(): void {
    const backlog = this.pusher.backlog();
    const limit = this.options.config.backlogWarnEvents;
    if (backlog >= limit && !this.backlogWarned) {
      this.backlogWarned = true;
      this.log.warn({ component: 'cloud-sync', backlog, limit }, `${backlog} events wait for the OMS (warning threshold cloud.backlogWarnEvents=${limit}); the floor keeps working, the backlog is bounded only by disk`);
    } else if (backlog < limit / 2) this.backlogWarned = false;
  }

  private gaugeValues() {
    const s = this.status();
    return {
      backlog: s.backlog,
      oldestUnsentAgeSeconds: s.oldestUnsentAt ? Math.max(0, (Date.now() - Date.parse(s.oldestUnsentAt)) / 1000) : 0,
      lastSuccessSeconds: s.lastSuccessAt ? Date.parse(s.lastSuccessAt) / 1000 : 0,
      parkedEvents: s.parkedEvents,
      parkedFeedItems: s.parkedFeedItems,
      driftRows: s.lastSnapshot?.drift.length ?? 0,
      clockSkewSeconds: (s.clockSkewMs ?? 0) / 1000,
    };
  }
}

/** Sync status from the state store alone: what `sync status` prints from another process. */
export function readSyncStatus(state: SyncStateStore, reader: LogReader): SyncStatus {
  const json = <T>(key: string): T | undefined => {
    const raw = state.get(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  };
  const pushCursor = Number(state.get(syncKeys.pushCursor) ?? 0);
  const lastSeq = reader.lastSeq();
  return {
    ...(json<SyncStatusRecord>(syncKeys.status) ?? { updatedAt: '' }),
    pushCursor,
    lastSeq,
    backlog: Math.max(0, lastSeq - pushCursor),
    oldestUnsentAt: reader.readAfter(pushCursor, 1)[0]?.at,
    feedCursor: state.get(syncKeys.feedCursor),
    parkedEvents: json<unknown[]>(syncKeys.parkedEvents)?.length ?? 0,
    parkedFeedItems: json<unknown[]>(syncKeys.parkedFeed)?.length ?? 0,
    lastSnapshot: json<SnapshotRecord>(syncKeys.lastSnapshot),
  };
}
