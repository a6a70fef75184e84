/**
 * `darkstore-gateway zigbee permit-join [SECONDS] | status`: pairing through the running
 * gateway's admin API (the coordinator's serial port belongs to that process). permit-join opens
 * the network, then prints each device's interview result as it arrives until the window closes.
 *
 * @example
 *   DSGW_TOKEN=... npx darkstore-gateway zigbee permit-join 120 --config /etc/darkstore/store.yaml
 *   npx darkstore-gateway zigbee status --url http://10.0.0.2:8080 --token $ADMIN_TOKEN
 */
import type { PairingEvent, ZigbeeStatus } from '../../devices/zigbee/zigbeeCoordinator.ts';
import { loadCliConfig } from './configSource.ts';
import type { CliCommand } from './main.ts';
import { parseOptions } from './parseOptions.ts';

const usage = 'zigbee permit-join [SECONDS] | status  [--url URL | --config FILE] [--token TOKEN] [--no-wait] [--json]';

export const zigbeeCommand: CliCommand = {
  name: 'zigbee',
  summary: 'Zigbee: permit-join N seconds (shows each interview result), status of the coordinator and paired devices',
  usage,
  async run(argv) {
    const { values, positionals } = parseOptions(
      argv,
      { url: { type: 'string' }, config: { type: 'string', short: 'c' }, token: { type: 'string' }, 'no-wait': { type: 'boolean' }, json: { type: 'boolean' } },
      usage,
    );
    const [action = 'status', secondsText] = positionals;
    const api = adminApi(values.url ?? gatewayUrl(values.config), values.token ?? process.env.DSGW_TOKEN);
    if (action === 'status') {
      const status = await api<ZigbeeStatus>('GET', '/api/v1/zigbee');
      console.log(values.json ? JSON.stringify(status, null, 2) : formatStatus(status));
      return 0;
    }
    if (action === 'permit-join') {
      const seconds = Number(secondsText ?? 120);
      if (!Number.isInteger(seconds) || seconds < 0 || seconds > 254) throw new Error(`permit-join takes 0 to 254 seconds (Zigbee allows no more), not "${secondsText}"`);
      const before = (await api<ZigbeeStatus>('GET', '/api/v1/zigbee')).pairing.length;
      const opened = await api<{ seconds: number; until?: string }>('POST', '/api/v1/zigbee/permit-join', { seconds });
      if (seconds === 0) {
        console.log('Zigbee network closed for pairing');
        return 0;
      }
      console.log(`Zigbee network open for pairing for ${seconds} s (until ${opened.until}); put each device in pairing mode now`);
      if (values['no-wait']) return 0;
      await followPairing(api, before, Date.parse(opened.until ?? '') || Date.now() + seconds * 1000);
      return 0;
    }
    throw new Error(`unknown zigbee action "${action}"; use permit-join or status\nUsage: darkstore-gateway ${usage}`);
  },
};

type Api = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/** The running gateway's admin URL from the config's http section (0.0.0.0 is reached on loopback). */
function gatewayUrl(configFlag: string | undefined): string {
  const { http } = loadCliConfig(configFlag).config;
  const host = http.host === '0.0.0.0' || http.host === '::' ? '127.0.0.1' : http.host;
  return `http://${host}:${http.port}`;
}

function adminApi(url: string, token: string | undefined): Api {
  if (!token) throw new Error('a token is needed: pass --token TOKEN or set DSGW_TOKEN (from http.tokens in the config; status needs the viewer role, permit-join admin)');
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch (err) {
      throw new Error(`cannot reach the gateway at ${url} (${(err as Error).cause ?? (err as Error).message}); is it running? pass --url or --config`);
    }
    const json = (await res.json().catch(() => ({}))) as T & { error?: string };
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${json.error ?? res.statusText}`);
    return json;
  };
}

/** Prints each join and interview result until the pairing window closes. */
async function followPairing(api: Api, seen: number, until: number): Promise<void> {
  let printed = seen;
  for (;;) {
    const { pairing } = await api<ZigbeeStatus>('GET', '/api/v1/zigbee');
    // The report keeps the last 50 events: if it rolled over, print from its start.
    for (const event of pairing.slice(Math.min(printed, pairing.length))) console.log(formatPairing(event));
    printed = pairing.length;
    if (Date.now() >= until) break;
    await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(0, until - Date.now()))));
  }
  console.log('pairing window closed');
}

function formatPairing(e: PairingEvent): string {
  return `${e.at.slice(11, 19)} ${e.kind.padEnd(16)} ${e.summary}`;
}

export function formatStatus(s: ZigbeeStatus): string {
  const lines = [
    `coordinator  ${s.address}: ${s.state}${s.lastError ? ` (${s.lastError})` : ''}`,
    `network      channel ${s.channel}, PAN id 0x${s.panId.toString(16).padStart(4, '0')}${s.permitJoinUntil ? `, open for pairing until ${s.permitJoinUntil}` : ''}`,
    `devices      ${s.devices.length} paired`,
  ];
  for (const d of s.devices) {
    const what = [d.manufacturer, d.model].filter(Boolean).join(' ') || 'unknown model';
    lines.push(`  ${d.ieee} ${(d.deviceId ?? '(not in config)').padEnd(16)} ${what}, ${d.mainsPowered ? 'mains' : 'battery'}, interview ${d.interview}, lqi ${d.linkQuality ?? '-'}, last seen ${d.lastSeen ?? 'never'}`);
  }
  return lines.join('\n');
}
