/**
 * `darkstore-gateway sync status|retry-parked|snapshot`: the admin's view of cloud sync. It reads
 * the sync state beside the event log, so it works while the gateway runs (and when it does not).
 * `retry-parked` and `snapshot` leave a request in that state; the running gateway handles it
 * within a second and the command prints the outcome.
 *
 * @example
 *   npx darkstore-gateway sync status --config config/examples/store.yaml
 *   npx darkstore-gateway sync snapshot --data ./data
 */
import Database from 'better-sqlite3';
import { readSyncStatus, type SyncStatus } from '../../cloud-sync/cloudSync.ts';
import { formatDuration } from '../../cloud-sync/syncHealth.ts';
import type { ParkedItem } from '../../cloud-sync/parkedItems.ts';
import { syncKeys } from '../../cloud-sync/syncPorts.ts';
import { EventLog } from '../log/eventLog.ts';
import { syncPortsFor } from '../sync/syncAdapters.ts';
import { eventLogFileFor, eventLogOptions } from './configSource.ts';
import type { CliCommand } from './main.ts';
import { parseOptions } from './parseOptions.ts';

const usage = 'sync status|retry-parked|snapshot [--config FILE | --data DIR] [--json] [--timeout SECONDS]';

export const syncCommand: CliCommand = {
  name: 'sync',
  summary: 'Cloud sync: status (cursor, backlog, last success, parked), retry-parked, snapshot',
  usage,
  async run(argv) {
    const { values, positionals } = parseOptions(
      argv,
      { ...eventLogOptions, json: { type: 'boolean' }, timeout: { type: 'string' } },
      usage,
    );
    const action = positionals[0] ?? 'status';
    const file = eventLogFileFor(values);
    const timeoutMs = Number(values.timeout ?? 15) * 1000;
    if (action === 'status') {
      const status = withLog(file, (log) => ({ ...readSyncStatus(syncPortsFor(log).state, syncPortsFor(log).reader), parked: parkedOf(log) }));
      console.log(values.json ? JSON.stringify(status, null, 2) : formatStatus(status, Date.now()));
      return 0;
    }
    if (action === 'retry-parked' || action === 'snapshot') {
      const key = action === 'snapshot' ? syncKeys.snapshotRequest : syncKeys.retryParkedRequest;
      const token = new Date().toISOString();
      writeKv(file, key, token);
      const done = await waitForKv(file, `${key}.done`, token, timeoutMs);
      if (!done) {
        console.error(
          `the gateway did not handle the ${action} request within ${timeoutMs / 1000} s: is it running with cloud.enabled, and is the OMS reachable (sync status)? ` +
            'The request stays and is handled when it can be.',
        );
        return 1;
      }
      if (action === 'retry-parked') {
        const result = withLog(file, (log) => log.getKv(`${key}.result`));
        console.log(values.json ? result : formatRetry(JSON.parse(result ?? '{}')));
      } else {
        const status = withLog(file, (log) => readSyncStatus(syncPortsFor(log).state, syncPortsFor(log).reader));
        console.log(values.json ? JSON.stringify(status.lastSnapshot, null, 2) : formatSnapshot(status));
      }
      return 0;
    }
    throw new Error(`unknown sync action "${action}"; use status, retry-parked or snapshot\nUsage: darkstore-gateway ${usage}`);
  },
};

function withLog<T>(file: string, read: (log: EventLog) => T): T {
  const log = EventLog.open({ file, readonly: true });
  try {
    return read(log);
  } finally {
    log.close();
  }
}

function parkedOf(log: EventLog): { events: ParkedItem[]; feed: ParkedItem[] } {
  const list = (key: string) => JSON.parse(log.getKv(key) ?? '[]') as ParkedItem[];
  return { events: list(syncKeys.parkedEvents), feed: list(syncKeys.parkedFeed) };
}

/** One small write beside a running gateway: a plain connection, no migrations, no projections. */
function writeKv(file: string, key: string, value: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  } finally {
    db.close();
  }
}

async function waitForKv(file: string, key: string, value: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (withLog(file, (log) => log.getKv(key)) === value) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

function ago(iso: string | undefined, now: number): string {
  return iso ? `${iso} (${formatDuration(now - Date.parse(iso))} ago)` : 'never';
}

export function formatStatus(s: SyncStatus & { parked: { events: ParkedItem[]; feed: ParkedItem[] } }, now: number): string {
  const lines = [
    `transport     ${s.transport ?? 'unknown (sync has not run yet)'}`,
    `push cursor   ${s.pushCursor} of ${s.lastSeq} (backlog ${s.backlog} event${s.backlog === 1 ? '' : 's'})`,
    `oldest unsent ${s.oldestUnsentAt ? ago(s.oldestUnsentAt, now) : 'none'}`,
    `last success  ${ago(s.lastSuccessAt, now)}`,
  ];
  if (s.unreachableSince) lines.push(`unreachable   for ${formatDuration(now - Date.parse(s.unreachableSince))}: ${s.lastError ?? ''}`);
  lines.push(`feed cursor   ${s.feedCursor ?? 'start'}`);
  lines.push(`parked        ${s.parkedEvents} event(s), ${s.parkedFeedItems} feed item(s)${s.parkedEvents + s.parkedFeedItems > 0 ? ' (darkstore-gateway sync retry-parked)' : ''}`);
  for (const p of s.parked.events.slice(0, 10)) lines.push(`  event seq ${p.key} (${String(p.detail.type ?? '')}): ${p.reason}`);
  for (const p of s.parked.feed.slice(0, 10)) lines.push(`  feed item ${p.key}: ${p.reason}`);
  if (s.lastSnapshot) lines.push(`last snapshot ${formatSnapshot(s)}`);
  if (s.clockSkewMs !== undefined && Math.abs(s.clockSkewMs) > 1000) lines.push(`clock skew    the OMS clock is ${formatDuration(Math.abs(s.clockSkewMs))} ${s.clockSkewMs > 0 ? 'ahead' : 'behind'} (seq orders events, not time)`);
  return lines.join('\n');
}

function formatSnapshot(s: SyncStatus): string {
  const snap = s.lastSnapshot;
  if (!snap) return 'no snapshot yet';
  const head = `${snap.takenAt} as of seq ${snap.asOfSeq}: ${snap.rows} rows, ${snap.drift.length === 0 ? 'no drift' : `${snap.drift.length} drift`}`;
  return [head, ...snap.drift.slice(0, 20).map((d) => `  ${d.sku} ${d.bin} ${d.lot || '-'}: store ${d.store}, OMS ${d.oms} (${d.delta > 0 ? '+' : ''}${d.delta})`)].join('\n');
}

function formatRetry(r: { events?: { retried: number; stillParked: number }; feed?: { retried: number; stillParked: number } }): string {
  return `retried ${r.events?.retried ?? 0} event(s) (${r.events?.stillParked ?? 0} still parked), ${r.feed?.retried ?? 0} feed item(s) (${r.feed?.stillParked ?? 0} still parked)`;
}
