/**
 * Whether the OMS answers: the last success, since when it has not, and the last error. This is
 * what `/healthz` turns into "degraded: cloud unreachable for 3h12m" and what `sync status` prints.
 * The floor does not depend on it: readiness never does.
 *
 * @example
 *   health.failed(err); health.describe(Date.now()) // "cloud unreachable for 4m (since ...)"
 */
import type { SyncStateStore } from './syncPorts.ts';
import { syncKeys } from './syncPorts.ts';

export interface SyncStatusRecord {
  lastSuccessAt?: string;
  unreachableSince?: string;
  lastError?: string;
  /** OMS clock minus ours, from the last reply's Date header. */
  clockSkewMs?: number;
  transport?: string;
  updatedAt: string;
}

/** "3h12m", "4m", "12s": short enough for a health line. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d${h}h`;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m`;
  return `${s}s`;
}

export class SyncHealth {
  record: SyncStatusRecord;

  constructor(
    private readonly state: SyncStateStore,
    transport: string,
    private readonly now: () => number = Date.now,
  ) {
    const stored = state.get(syncKeys.status);
    const previous = stored ? (JSON.parse(stored) as SyncStatusRecord) : undefined;
    this.record = { ...previous, transport, updatedAt: new Date(this.now()).toISOString() };
  }

  succeeded(serverDate?: number): void {
    const at = this.now();
    this.record.lastSuccessAt = new Date(at).toISOString();
    this.record.unreachableSince = undefined;
    this.record.lastError = undefined;
    if (serverDate !== undefined && Number.isFinite(serverDate)) this.record.clockSkewMs = serverDate - at;
    this.save();
  }

  failed(err: Error): void {
    const at = this.now();
    this.record.unreachableSince ??= new Date(at).toISOString();
    this.record.lastError = err.message;
    this.save();
  }

  /** How long the OMS has not answered, or undefined when it answers. */
  unreachableForMs(): number | undefined {
    return this.record.unreachableSince ? this.now() - Date.parse(this.record.unreachableSince) : undefined;
  }

  private save(): void {
    this.record.updatedAt = new Date(this.now()).toISOString();
    this.state.set(syncKeys.status, JSON.stringify(this.record));
  }
}
