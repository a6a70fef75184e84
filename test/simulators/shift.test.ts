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
    // Every bag's label came out of the TCP label printer.
    expect(report.labels).toEqual({ bagsPacked: report.orders.packed, printed: report.orders.packed, missing: [] });
    expect(result.code).toBe(0);
  }, 120_000);

  it('runs a shift on serial and TCP devices with every fault, the printer out of paper included: no label lost, every order finished', async () => {
    const result = await runCli(['simulate', '--orders', '12', '--stations', '2', '--speed', 'max', '--faults', '--json']);
    expect(result.stdout, `no report; stderr: ${result.stderr}`).toMatch(/^\{/);
    const report = JSON.parse(result.stdout);
    const transport = (id: string) => (report.devices as Array<{ id: string; transport: string }>).find((d) => d.id === id)?.transport;
    expect(transport('scanner-pick-1')).toMatch(/^serial \/dev\/pts\/\d+$/);
    expect(transport('scale-pack-1')).toMatch(/^serial \/dev\/pts\/\d+ \(MT-SICS\)$/);
    expect(transport('printer-pack-1')).toMatch(/^tcp 127\.0\.0\.1:\d+$/);
    expect(transport('scanner-pick-2')).toBe('mqtt');
    expect(report.faults).toEqual(['printer out of paper', 'cloud down', 'scanner unplugged', 'gateway restarted']);
    // What the store admin saw, and that the held label printed after the reload.
    expect(report.incidents).toEqual([expect.stringMatching(/^printer-pack-1 out of paper for [\d.]+ s: device health said "paper out; fix it at the printer"; \d+ labels? held \((\d+ in the print queue)?(, )?(\d+ in the printer's buffer)?\), printed after the reload; the packer's screen said "bag [\d.]+ kg ok.*"$/)]);
    expect(report.orders.dispatched + report.orders.emptyAfterShorts).toBe(12);
    expect(report.labels.missing).toEqual([]);
    expect(report.labels.printed).toBe(report.labels.bagsPacked);
    expect(report.labels.bagsPacked).toBe(report.orders.packed);
    for (const m of Object.values(report.mistakes) as Array<{ made: number; missed: number }>) expect(m.missed).toBe(0);
    expect(report.stock).toEqual({ gatewayVsOms: 'equal', gatewayVsShelf: 'equal' });
    expect(result.code).toBe(0);
  }, 300_000);

  it('refuses bad options with the usage line', async () => {
    const result = await runCli(['simulate', '--orders', 'lots']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--orders expects a whole number of at least 1, found "lots"');
    expect(result.stderr).toContain('Usage: darkstore-gateway simulate');
  });
});
