import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/runCli.ts';

describe('darkstore-gateway simulate', () => {
  it('runs a short shift at full speed: every order dispatched, every injected mistake caught, stock equal in gateway, OMS and shelf', async () => {
    const result = await runCli(['simulate', '--orders', '20', '--stations', '2', '--speed', 'max', '--json']);
    const report = JSON.parse(result.stdout);
    expect(report.problems).toEqual([]);
    expect(report.orders.dispatched + report.orders.emptyAfterShorts).toBe(20);
    for (const m of Object.values(report.mistakes) as Array<{ made: number; missed: number }>) expect(m.missed).toBe(0);
    expect(report.stock).toEqual({ gatewayVsOms: 'equal', gatewayVsShelf: 'equal' });
    expect(report.eventsSynced).toBeGreaterThan(400);
    expect(result.code).toBe(0);
  }, 120_000);

  it('refuses bad options with the usage line', async () => {
    const result = await runCli(['simulate', '--orders', 'lots']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--orders expects a whole number of at least 1, found "lots"');
    expect(result.stderr).toContain('Usage: darkstore-gateway simulate');
  });
});
