import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/runCli.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();

describe('darkstore-gateway simulate', () => {
  it('runs a short shift at full speed through faults (cloud down, scanner unplugged, gateway SIGKILLed): every order dispatched, every injected mistake caught, stock equal in gateway, OMS and shelf', async () => {
    const reportDir = tempDir();
    const result = await runCli(['simulate', '--orders', '24', '--stations', '2', '--speed', 'max', '--faults', '--json', '--report-dir', reportDir]);
    const report = JSON.parse(result.stdout);
    expect(report.problems).toEqual([]);
    expect(report.orders.dispatched + report.orders.emptyAfterShorts).toBe(24);
    for (const m of Object.values(report.mistakes) as Array<{ made: number; missed: number }>) expect(m.missed).toBe(0);
    // Every unit a picker or receiver got an "ok" for is on the gateway's books: none was lost to the kill.
    expect(report.stock).toEqual({ gatewayVsOms: 'equal', gatewayVsShelf: 'equal' });
    expect(report.faults).toEqual(['cloud down', 'scanner unplugged', 'gateway killed (SIGKILL) and restarted']);
    expect(report.gatewayStarts).toBe(2);
    expect(report.eventsSynced).toBeGreaterThan(400);
    expect(JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8'))).toEqual(report);
    expect(readFileSync(join(reportDir, 'shift.svg'), 'utf8')).toContain('<svg');
    expect(result.code).toBe(0);
  }, 240_000);

  it('refuses bad options with the usage line', async () => {
    const result = await runCli(['simulate', '--orders', 'lots']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--orders expects a whole number of at least 1, found "lots"');
    expect(result.stderr).toContain('Usage: darkstore-gateway simulate');
  });
});
