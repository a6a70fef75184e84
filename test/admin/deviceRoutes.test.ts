import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../config/loadConfig.ts';
import { ConfigFile } from '../../gateway/admin/configFile.ts';
import { Gateway } from '../../gateway/core/gateway.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { useTestGateway } from '../helpers/testGateway.ts';

const tempDir = useTempDir();
const clients = useTestGateway();
const running: Gateway[] = [];
afterEach(async () => {
  for (const g of running.splice(0)) await g.stop();
});

const admin = 'admin-token-0123456789';
const viewer = 'viewer-token-0123456789';

async function startFromFile(): Promise<{ gateway: Gateway; file: string }> {
  const dir = tempDir();
  const file = join(dir, 'store.yaml');
  writeFileSync(
    file,
    `# Store under test: this comment must survive edits from the console
store: { id: console-test }
dataDir: ${join(dir, 'data')}
broker: { mode: embedded, host: 127.0.0.1, port: 0 }
http:
  host: 127.0.0.1
  port: 0
  tokens:
    - { name: ana, role: admin, token: ${admin} }
    - { name: vic, role: viewer, token: ${viewer} }
devices:
  - { id: scanner-1, class: scanner, transport: { type: mqtt }, secret: "\${SCANNER_1_SECRET:-scanner-1-secret}" }
stations:
  - { id: pick-1, kind: pick, devices: [scanner-1] }
`,
  );
  const gateway = new Gateway({ config: loadConfigFile(file), configFile: new ConfigFile(file), logger: pino({ level: 'silent' }) });
  await gateway.start();
  running.push(gateway);
  return { gateway, file };
}

async function call(gateway: Gateway, method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${gateway.http.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

describe('devices from the console', () => {
  it('adds an MQTT scanner: written to the file with a hashed secret, comments kept, a backup made, and the scanner can connect at once', async () => {
    const { gateway, file } = await startFromFile();
    const added = await call(gateway, 'POST', '/api/v1/devices', admin, { id: 'scanner-2', class: 'scanner', transport: { type: 'mqtt' }, secret: 'brand-new-secret-2' });
    expect(added.status).toBe(200);
    expect(added.body.device).toMatchObject({ id: 'scanner-2', hasSecret: true });
    expect(added.body.device.secretHash).toBeUndefined();

    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# Store under test: this comment must survive edits from the console');
    expect(text).toContain('${SCANNER_1_SECRET:-scanner-1-secret}');
    expect(text).toMatch(/id: scanner-2.*secretHash: scrypt\$/);
    expect(text).not.toContain('brand-new-secret-2');
    expect(existsSync(`${file}.bak`)).toBe(true);

    const scanner = await clients.connect(gateway.broker!.url, { username: 'scanner-2', password: 'brand-new-secret-2' });
    expect(scanner.connected).toBe(true);
    const audit = gateway.log.query({ type: 'config.changed' });
    expect(audit.map((e) => [e.source.actor, e.data])).toEqual([['ana', { by: 'ana', summary: 'device scanner-2 added' }]]);
  });

  it('refuses a change that would break the store, and writes nothing', async () => {
    const { gateway, file } = await startFromFile();
    const before = readFileSync(file, 'utf8');
    const removeUsed = await call(gateway, 'DELETE', '/api/v1/devices/scanner-1', admin);
    expect(removeUsed.status).toBe(400);
    expect(removeUsed.body.details).toEqual([{ field: 'stations[0].devices[0]', reason: 'no device "scanner-1" in devices; add it there or fix the id' }]);
    const badClass = await call(gateway, 'POST', '/api/v1/devices', admin, { id: 'x-1', class: 'toaster', transport: { type: 'mqtt' }, secret: 'abcdefghijk' });
    expect(badClass.status).toBe(400);
    expect(badClass.body.error).toMatch(/body.class/);
    const noSecret = await call(gateway, 'POST', '/api/v1/devices', admin, { id: 'x-2', class: 'scanner', transport: { type: 'mqtt' } });
    expect(noSecret.status).toBe(400);
    expect(noSecret.body.error).toMatch(/needs a secret or secretHash/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(gateway.log.query({ type: 'config.changed' })).toEqual([]);
  });

  it('lets only admins change devices, and removing a device drops its connection', async () => {
    const { gateway } = await startFromFile();
    expect((await call(gateway, 'POST', '/api/v1/devices', viewer, { id: 'x', class: 'scanner', transport: { type: 'mqtt' }, secret: 'abcdefghijk' })).status).toBe(403);
    await call(gateway, 'POST', '/api/v1/devices', admin, { id: 'scale-9', class: 'scale', transport: { type: 'mqtt' }, secret: 'scale-9-secret' });
    const scale = await clients.connect(gateway.broker!.url, { username: 'scale-9', password: 'scale-9-secret' });
    const closed = new Promise<void>((resolve) => scale.once('close', () => resolve()));
    expect((await call(gateway, 'DELETE', '/api/v1/devices/scale-9', admin)).status).toBe(200);
    await closed;
    await expect(clients.connect(gateway.broker!.url, { username: 'scale-9', password: 'scale-9-secret' })).rejects.toThrow(/Not authorized/);
    const list = await call(gateway, 'GET', '/api/v1/devices', viewer);
    expect(list.body.devices.map((d: { id: string }) => d.id)).toEqual(['scanner-1']);
  });
});
