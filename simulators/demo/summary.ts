/** The one-screen summary of a running demo store, refreshed in place on a terminal. */
import type { DemoStore } from './demoStore.ts';
import { mistakeKinds } from './shiftStats.ts';

export function renderSummary(store: DemoStore): string {
  const { stats, gateway, config, watcher } = store;
  const o = stats.orders;
  const { sync, devices, reachable } = watcher.status;
  const health = devices.map((d) => ({ deviceId: d.id, state: d.health?.state ?? 'unknown' }));
  const online = health.filter((h) => h.state === 'online').length;
  const minutes = ((Date.now() - stats.startedAt) / 60_000).toFixed(1);
  const admin = config.http.tokens.find((t) => t.role === 'admin')?.token;
  const viewer = config.http.tokens.find((t) => t.role === 'viewer')?.token ?? admin;
  const url = gateway.httpUrl;
  const lines = [
    `darkstore-gateway demo store "${config.store.id}": a simulated shift, ${minutes} min${reachable ? '' : '   (gateway not answering: starting or restarting)'}`,
    '',
    `orders     released ${o.released}   picked ${o.picked}   packed ${o.packed}   dispatched ${o.dispatched}${o.cancelled ? `   cancelled ${o.cancelled}` : ''}`,
    `returns    ${store.world.unitsReturned} units of cancelled orders into the returns tote, ${store.world.unitsPutBack} put back on the shelves (the OMS cancels ${store.cancelRate * 100} % of the orders)`,
    `scans      ${stats.scans} in all, ${stats.scansPerMinute().toFixed(0)} per minute`,
    `verdicts   p50 ${stats.latency(50).toFixed(1)} ms   p99 ${stats.latency(99).toFixed(1)} ms (scan published -> feedback received)`,
    'mistakes   ' + mistakeKinds.map((k) => `${k} ${stats.mistakes[k].caught}/${stats.mistakes[k].made}`).join('   ') + '   (caught/made)',
    `sync       ${!config.cloud?.enabled ? 'off' : sync ? `backlog ${sync.backlog} events, cursor ${sync.pushCursor} of ${sync.lastSeq}${sync.parkedEvents ? `, ${sync.parkedEvents} parked` : ''}${sync.lastSuccessAt ? `, last success ${sync.lastSuccessAt.slice(11, 19)}` : ''}` : 'waiting for the gateway'}`,
    `devices    ${online} of ${health.length} online`,
    ...deviceLines(store, new Map(health.map((h) => [h.deviceId, h.state]))),
    '',
    `console    ${url}/console?token=${admin ?? ''}`,
    `stations   ${config.stations.map((s) => `${url}/station/${s.id}?token=${viewer ?? ''}`).join('\n           ')}`,
    `cloud OMS  ${store.oms.url} (simulated)   MQTT broker ${store.brokerUrl}   gateway pid ${gateway.pid ?? '-'}`,
  ];
  if (stats.problems.length > 0) lines.push('', `problems   ${stats.problems.slice(-3).join('\n           ')}`);
  lines.push('', 'Ctrl-C stops everything.');
  return lines.join('\n');
}

/** One line per device: its transport (where the simulator runs) and its health, e.g. "scanner-pick-1  serial /dev/pts/5  online". */
function deviceLines(store: DemoStore, states: Map<string, string>): string[] {
  const devices = store.floor.transports();
  const idWidth = Math.max(...devices.map((d) => d.id.length));
  const transportWidth = Math.max(...devices.map((d) => d.transport.length));
  return [
    ...devices.map((d) => `           ${d.id.padEnd(idWidth)}  ${d.transport.padEnd(transportWidth)}  ${states.get(d.id) ?? 'not running'}`),
    ...store.floor.notices.map((n) => `           ${n}`),
  ];
}
