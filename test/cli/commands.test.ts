import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifySecret } from '../../gateway/broker/deviceSecrets.ts';
import { EventLog } from '../../gateway/log/eventLog.ts';
import { runCli } from '../helpers/runCli.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();

describe('darkstore-gateway CLI', () => {
  it('lists its commands with --help, and each command has its own --help', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const name of ['start', 'check-config', 'log', 'rebuild', 'hash-secret', 'barcode']) expect(help.stdout).toContain(`  ${name}`);
    const logHelp = await runCli(['log', '--help']);
    expect(logHelp.stdout).toContain('Usage: darkstore-gateway log');
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });

  it('check-config accepts the example store and points at the line of a mistake in a broken copy', async () => {
    const ok = await runCli(['check-config', 'config/examples/store.yaml']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/OK\. Store "ams-west-01": 11 devices, 5 stations, 40 bins/);

    const broken = join(tempDir(), 'store.yaml');
    writeFileSync(broken, readFileSync('config/examples/store.yaml', 'utf8').replace('baudRate: 19200', 'baudRate: "192OO"'));
    const bad = await runCli(['check-config', broken]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(new RegExp(`${broken.replace(/[/.]/g, '\\$&')}:\\d+:\\d+ devices\\[3\\]\\.transport\\.baudRate: expected a number, found "192OO"`));
  });

  it('log shows the newest events, filters by type prefix and device, and prints JSON', async () => {
    const dir = tempDir();
    const log = EventLog.open({ file: join(dir, 'gateway.db') });
    await log.append({ type: 'stock.received', data: { sku: 'MILK', bin: 'A-01', qty: 6 }, source: { device: 'scanner-recv-1' } });
    await log.append({ type: 'device.online', data: { deviceId: 'scale-1' }, source: { device: 'scale-1' } });
    await log.append({ type: 'stock.picked', data: { sku: 'MILK', bin: 'A-01', qty: 1 }, source: { device: 'scanner-pick-1' } });
    log.close();

    const all = await runCli(['log', '--data', dir]);
    expect(all.code).toBe(0);
    expect(all.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/)[2])).toEqual(['stock.received', 'device.online', 'stock.picked']);
    const stock = await runCli(['log', '--data', dir, '--type', 'stock.', '--json']);
    expect(stock.stdout.trim().split('\n').map((l) => JSON.parse(l).type)).toEqual(['stock.received', 'stock.picked']);
    const byDevice = await runCli(['log', '--data', dir, '--device', 'scale-1']);
    expect(byDevice.stdout).toContain('device.online');
    expect(byDevice.stdout).not.toContain('stock.');
    const missing = await runCli(['log', '--data', join(dir, 'nowhere')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no event log at .*nowhere\/gateway.db/);
  });

  it('rebuild reports no difference on a healthy log and finds a tampered projection', async () => {
    const dir = tempDir();
    const log = EventLog.open({ file: join(dir, 'gateway.db') });
    await log.append({ type: 'stock.received', data: { sku: 'OAT', bin: 'B-02', qty: 4 } });
    log.close();
    const healthy = await runCli(['rebuild', '--data', dir]);
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toContain('no differences');

    const tamper = EventLog.open({ file: join(dir, 'gateway.db') });
    tamper.db.prepare('UPDATE stock SET qty = 40').run();
    tamper.close();
    const found = await runCli(['rebuild', '--data', dir]);
    expect(found.code).toBe(1);
    expect(found.stdout).toMatch(/stock OAT\|B-02\|: live .*"qty":40.* != rebuilt .*"qty":4/);
    const repaired = await runCli(['rebuild', '--data', dir, '--apply']);
    expect(repaired.code).toBe(0);
    expect((await runCli(['rebuild', '--data', dir])).stdout).toContain('no differences');
  });

  it('barcode decodes through the darkstore-gateway command and exits 1 on a wrong check digit', async () => {
    const ok = await runCli(['barcode', ']C101095011015300031726123110LOT42']);
    expect(ok.code).toBe(0);
    const result = JSON.parse(ok.stdout);
    expect(result.gtin).toBe('09501101530003');
    expect(result.elements.map((e: { ai: string; value: unknown }) => [e.ai, e.value])).toEqual([['01', '09501101530003'], ['17', '2026-12-31'], ['10', 'LOT42']]);
    const bad = await runCli(['barcode', ']C101095011015300041726123110LOT42']);
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toMatch(/GTIN check digit is 4, expected 3/);
  });

  it('hash-secret prints a hash the broker accepts for that secret', async () => {
    const result = await runCli(['hash-secret'], { input: 'correct-horse-battery\n' });
    expect(result.code).toBe(0);
    const hash = result.stdout.trim();
    expect(hash).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(await verifySecret('correct-horse-battery', hash)).toBe(true);
    expect(await verifySecret('wrong-horse-battery', hash)).toBe(false);
  });
});
