/**
 * Follows the gateway from outside, through its admin API: the order events it committed (read
 * after a cursor, so a gateway restart neither loses nor repeats one) feed the shift's counters,
 * and its sync status and device health are kept for the summary. While the gateway is down the
 * last reading stays and `reachable` says so.
 *
 * @example
 *   const watcher = new GatewayWatcher(gatewayProcess, stats);
 *   watcher.start();
 *   watcher.status.sync?.backlog;
 *   await watcher.stop();
 */
import type { GatewayProcess } from './gatewayProcess.ts';
import type { ShiftStats } from './shiftStats.ts';

export interface SyncStatus {
  backlog: number;
  pushCursor: number;
  lastSeq: number;
  parkedEvents?: number;
  lastSuccessAt?: string;
}

export interface DeviceHealth {
  id: string;
  class: string;
  transport: { type: string; path?: string; host?: string; port?: number };
  health?: { state: string };
}

export interface WatchedStatus {
  reachable: boolean;
  sync?: SyncStatus;
  devices: DeviceHealth[];
}

export class GatewayWatcher {
  status: WatchedStatus = { reachable: false, devices: [] };
  /** The last log sequence whose order events were counted. */
  private cursor = 0;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly gateway: GatewayProcess,
    private readonly stats: ShiftStats,
    private readonly everyMs = 200,
  ) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** Reads until the order events committed so far are counted (the final report calls it). */
  async catchUp(): Promise<void> {
    await this.poll();
  }

  private async loop(): Promise<void> {
    let statusDue = 0;
    while (!this.stopped) {
      await this.poll().catch(() => (this.status = { ...this.status, reachable: false }));
      if (Date.now() >= statusDue) {
        statusDue = Date.now() + 1000;
        await this.readStatus().catch(() => (this.status = { ...this.status, reachable: false }));
      }
      await new Promise((r) => setTimeout(r, this.everyMs));
    }
  }

  /** One read at a time: the loop and catchUp() must not count the same events twice. */
  private polling: Promise<void> = Promise.resolve();
  private poll(): Promise<void> {
    const next = this.polling.then(() => this.readOrderEvents());
    this.polling = next.catch(() => undefined);
    return next;
  }

  private async readOrderEvents(): Promise<void> {
    for (;;) {
      const page = await this.gateway.api<{ events: Array<{ seq: number; type: string; data: { orderId?: string } }> }>(`/api/v1/events?type=order.&after=${this.cursor}&limit=1000`);
      for (const e of page.events) {
        this.stats.orderEvent(e.type, e.data.orderId ?? '');
        this.cursor = e.seq;
      }
      if (page.events.length < 1000) return;
    }
  }

  private async readStatus(): Promise<void> {
    const [sync, devices] = await Promise.all([
      this.gateway.api<SyncStatus>('/api/v1/sync').catch(() => undefined),
      this.gateway.api<{ devices: DeviceHealth[] }>('/api/v1/devices'),
    ]);
    this.status = { reachable: true, ...(sync ? { sync } : {}), devices: devices.devices };
  }
}
