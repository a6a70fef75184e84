import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/runCli.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();

describe('darkstore-gateway simulate', () => {
  it('runs a short shift at full speed on serial, TCP and MQTT devices through every fault (printer out of paper, cloud down, scanner unplugged, gateway SIGKILLed): every order dispatched, every mistake caught, no label lost, stock equal in gateway, OMS and shelf', async () => {
    const reportDir = tempDir();
    const result = await runCli(['simulate', '--orders', '24', '--stations', '2', '--speed', 'max', '--faults', '--json', '--report-dir', reportDir]);
    expect(result.stdout, `no report; stderr: ${result.stderr}`).toMatch(/^\{/);
    const report = JSON.parse(result.stdout);
    expect(report.problems).toEqual([]);
    // The OMS cancels about 2 % of the orders by default: those count as finished, not dispatched.
    expect(report.orders.dispatched + report.orders.cancelled + report.orders.emptyAfterShorts).toBe(24);
    expect(report.cancellations.units).toMatchObject({ leftInTote: 0, openReturnTasks: 0 });
    for (const m of Object.values(report.mistakes) as Array<{ made: number; missed: number }>) expect(m.missed).toBe(0);
    // Every unit a picker or receiver got an "ok" for is on the gateway's books: none was lost to the kill.
    expect(report.stock).toEqual({ gatewayVsOms: 'equal', gatewayVsShelf: 'equal' });
    expect(report.faults).toEqual(['printer out of paper', 'cloud down', 'scanner unplugged', 'gateway killed (SIGKILL) and restarted']);
    expect(report.gatewayStarts).toBe(2);
    const transport = (id: string) => (report.devices as Array<{ id: string; transport: string }>).find((d) => d.id === id)?.transport;
    expect(transport('scanner-pick-1')).toMatch(/^serial \/dev\/pts\/\d+$/);
    expect(transport('scale-pack-1')).toMatch(/^serial \/dev\/pts\/\d+ \(MT-SICS\)$/);
    expect(transport('printer-pack-1')).toMatch(/^tcp 127\.0\.0\.1:\d+$/);
    expect(transport('scanner-pick-2')).toBe('mqtt');
    // What the store admin saw, and that the held label printed after the reload.
    expect(report.incidents).toEqual([expect.stringMatching(/^printer-pack-1 out of paper for [\d.]+ s: device health said "paper out; fix it at the printer"; \d+ labels? held \((\d+ in the print queue)?(, )?(\d+ in the printer's buffer)?\), printed after the reload; the packer's screen said "bag (\d+ )?[\d.]+ kg ok.*"$/)]);
    // Every bag's label came out of the TCP label printer; an order of more than 4 units is packed in several bags.
    expect(report.labels).toEqual({ bagsPacked: expect.any(Number), printed: report.labels.bagsPacked, missing: [] });
    expect(report.labels.bagsPacked).toBeGreaterThanOrEqual(report.orders.packed);
    expect(report.eventsSynced).toBeGreaterThan(400);
    expect(JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8'))).toEqual(report);
    expect(readFileSync(join(reportDir, 'shift.svg'), 'utf8')).toContain('<svg');
    expect(result.code).toBe(0);
  }, 300_000);

  it('runs a short shift in which the OMS cancels many orders: the staff stop them, the units go back to the shelves, and the stocks still agree', async () => {
    const result = await runCli(['simulate', '--orders', '24', '--stations', '2', '--speed', 'max', '--cancel-rate', '0.4', '--json']);
    expect(result.stdout, `no report; stderr: ${result.stderr}`).toMatch(/^\{/);
    const report = JSON.parse(result.stdout);
    expect(report.problems).toEqual([]);
    // About 10 of 24 cancelled (the same orders every run: their own random source); none of them counts as dispatched.
    expect(report.orders.cancelled).toBeGreaterThanOrEqual(5);
    expect(report.orders.dispatched + report.orders.cancelled + report.orders.emptyAfterShorts).toBe(24);
    const byWhere = report.cancellations.byWhere as Record<string, number>;
    expect(Object.values(byWhere).reduce((a, b) => a + b, 0)).toBe(report.orders.cancelled);
    // Some were cancelled with units picked, so units went into the returns tote, and all of them back on the shelves.
    expect(report.cancellations.units.toReturnsTote).toBeGreaterThan(0);
    expect(report.cancellations.units).toEqual({ toReturnsTote: report.cancellations.units.toReturnsTote, putBack: report.cancellations.units.toReturnsTote, leftInTote: 0, openReturnTasks: 0 });
    // What the staff were told is the gateway's wording.
    for (const message of Object.values(report.cancellations.told) as string[]) expect(message).toMatch(/^order \S+ was cancelled/);
    expect(report.stock).toEqual({ gatewayVsOms: 'equal', gatewayVsShelf: 'equal' });
    expect(report.ok).toBe(true);
    expect(result.code).toBe(0);
  }, 120_000);

  it('runs a short shift with a batch station (put wall, totes per slot) and a pack station that trusts the pick (bags weighed together): the shift is OK and the stocks agree', async () => {
    const result = await runCli(['simulate', '--orders', '30', '--stations', '2', '--speed', 'max', '--batch', '--trust-pick', '--cancel-rate', '0.2', '--json']);
    expect(result.stdout, `no report; stderr: ${result.stderr}`).toMatch(/^\{/);
    const report = JSON.parse(result.stdout);
    expect(report.problems).toEqual([]);
    expect(report.orders.dispatched + report.orders.cancelled + report.orders.emptyAfterShorts).toBe(30);
    // The batch station took several orders at once onto its put wall, and the picker confirmed puts both ways.
    expect(report.batch.station).toBe('pick-2');
    expect(report.batch.orders).toBeGreaterThanOrEqual(5);
    expect(report.batch.mostOrdersOnWall).toBeGreaterThan(1);
    expect(report.batch.putsByButton).toBeGreaterThan(0);
    expect(report.batch.putsByTote).toBeGreaterThan(0);
    // Orders of more than 4 units at the station that trusts the pick went on the scale in several bags at once, a label each.
    expect(report.trustPick.station).toBe('pack-2');
    expect(report.trustPick.weighedTogether).toBeGreaterThan(0);
    expect(report.trustPick.bags).toBeGreaterThanOrEqual(2 * report.trustPick.weighedTogether);
    expect(report.labels).toEqual({ bagsPacked: expect.any(Number), printed: expect.any(Number), missing: [] });
    for (const m of Object.values(report.mistakes) as Array<{ made: number; missed: number }>) expect(m.missed).toBe(0);
    expect(report.cancellations.units).toEqual({ toReturnsTote: report.cancellations.units.toReturnsTote, putBack: report.cancellations.units.toReturnsTote, leftInTote: 0, openReturnTasks: 0 });
    expect(report.stock).toEqual({ gatewayVsOms: 'equal', gatewayVsShelf: 'equal' });
    expect(report.ok).toBe(true);
    expect(result.code).toBe(0);
  }, 60_000);

  it('refuses bad options with the usage line', async () => {
    const result = await runCli(['simulate', '--orders', 'lots']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--orders expects a whole number of at least 1, found "lots"');
    expect(result.stderr).toContain('Usage: darkstore-gateway simulate');
    const rate = await runCli(['simulate', '--cancel-rate', '5']);
    expect(rate.code).toBe(2);
    expect(rate.stderr).toContain('--cancel-rate expects a share of the orders from 0 to 1 (0.05 cancels 5 %), found "5"');
  });
});
