import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.ts';
import { Gateway } from '../../gateway/core/gateway.ts';
import { runCli } from '../helpers/runCli.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/testGateway.ts';
import { colorBulb, StandInRadio } from './standInRadio.ts';

const bulbIeee = '0x00124b0000000b01';
const admin = 'zigbee-admin-token-0123456789';
const viewer = 'zigbee-viewer-token-0123456789';

describe('Zigbee in the gateway', () => {
  const tempDir = useTempDir();
  const running: Gateway[] = [];
  afterEach(async () => {
    for (const g of running.splice(0)) await g.stop();
  });

  async function start(radio: StandInRadio): Promise<Gateway> {
    const config = configSchema.parse({
      store: { id: 'zigbee-store' },
      dataDir: tempDir(),
      broker: { mode: 'embedded', host: '127.0.0.1', port: 0 },
      http: { host: '127.0.0.1', port: 0, tokens: [{ name: 'ana', role: 'admin', token: admin }, { name: 'vic', role: 'viewer', token: viewer }] },
      devices: [{ id: 'light-a1', class: 'light', transport: { type: 'zigbee', ieee: bulbIeee } }],
      zigbee: { adapter: 'ember', serial: { path: '/dev/stand-in' }, channel: 20, reconnect: { initialMs: 50, maxMs: 200 } },
    });
    const gateway = new Gateway({ config, logger: pino({ level: process.env.DSGW_TEST_LOG ?? 'silent' }), zigbeeAdapter: radio.factory });
    await gateway.start();
    running.push(gateway);
    return gateway;
  }

  async function api(gateway: Gateway, method: string, path: string, token: string, body?: unknown) {
    const res = await fetch(`${gateway.http.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('pairs through the admin API and the CLI: permit join, the interview shown, the bound device online, zigbee.joined in the log', async () => {
    const radio = new StandInRadio();
    const gateway = await start(radio);
    expect((await api(gateway, 'POST', '/api/v1/zigbee/permit-join', viewer, { seconds: 120 })).status).toBe(403);
    const opened = await api(gateway, 'POST', '/api/v1/zigbee/permit-join', admin, { seconds: 120 });
    expect(opened).toMatchObject({ status: 200, body: { seconds: 120, until: expect.any(String) } });
    expect(radio.permitJoins).toEqual([120]);

    radio.join(colorBulb(bulbIeee, 0x1a01));
    await waitFor('light-a1 online', () => gateway.deviceStatus.isOnline('light-a1'), 5000);
    const joined = await waitFor('zigbee.joined in the log', () => gateway.log.query({}).find((e) => e.type === 'zigbee.joined'));
    expect(joined.data).toEqual({ ieee: bulbIeee, deviceId: 'light-a1', interview: 'successful', model: 'BinLight-RGB', manufacturer: 'StandIn', classes: ['light'] });

    const status = await runCli(['zigbee', 'status', '--url', gateway.http.url, '--token', viewer]);
    expect(status.stderr).toBe('');
    expect(status.stdout).toContain('coordinator  ember on /dev/stand-in: online');
    expect(status.stdout).toMatch(new RegExp(`${bulbIeee} light-a1 +StandIn BinLight-RGB, mains, interview successful`));

    const join = await runCli(['zigbee', 'permit-join', '1', '--url', gateway.http.url], { env: { DSGW_TOKEN: admin } });
    expect(join.code).toBe(0);
    expect(join.stdout).toContain('Zigbee network open for pairing for 1 s');
    expect(join.stdout).toContain('pairing window closed');
  });

  it('lights a Zigbee bin light through the gateway\'s command router, as a workflow would', async () => {
    const radio = new StandInRadio();
    const gateway = await start(radio);
    await api(gateway, 'POST', '/api/v1/zigbee/permit-join', admin, { seconds: 60 });
    radio.join(colorBulb(bulbIeee, 0x1a01));
    await waitFor('light-a1 online', () => gateway.deviceStatus.isOnline('light-a1'), 5000);
    await gateway.commands.sendCommand('light-a1', { kind: 'light', color: 'green', blink: false });
    await waitFor('the bulb switched on', () => radio.framesTo(bulbIeee).some((f) => f.cluster === 'genLevelCtrl' || (f.cluster === 'genOnOff' && f.command === 'on')), 5000);
    expect(radio.framesTo(bulbIeee).map((f) => f.cluster)).toContain('lightingColorCtrl');
  });

  it('starts without its dongle and keeps working; /healthz says why Zigbee is degraded, and the dongle is picked up when plugged in', async () => {
    const radio = new StandInRadio();
    radio.unplug();
    const gateway = await start(radio);
    const health = (await (await fetch(`${gateway.http.url}/healthz`)).json()) as { status: string };
    expect(health.status).toMatch(/^degraded: Zigbee coordinator ember on \/dev\/stand-in is offline: cannot start: .*No such file or directory/);
    const refused = await api(gateway, 'POST', '/api/v1/zigbee/permit-join', admin, { seconds: 60 });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toContain('check the dongle and the zigbee section of the config');

    radio.plugIn();
    await waitFor('coordinator online', () => gateway.zigbee?.status().state === 'online', 5000);
    expect(((await (await fetch(`${gateway.http.url}/healthz`)).json()) as { status: string }).status).toBe('ok');
  });

  it('without a zigbee section the route says how to turn Zigbee on', async () => {
    const gateway = new Gateway({
      config: configSchema.parse({ store: { id: 's' }, dataDir: tempDir(), broker: { mode: 'embedded', host: '127.0.0.1', port: 0 }, http: { host: '127.0.0.1', port: 0, tokens: [{ name: 'ana', role: 'admin', token: admin }] } }),
      logger: pino({ level: 'silent' }),
    });
    await gateway.start();
    running.push(gateway);
    const res = await api(gateway, 'GET', '/api/v1/zigbee', admin);
    expect(res).toMatchObject({ status: 409, body: { error: expect.stringContaining('add a zigbee section') } });
  });
});
