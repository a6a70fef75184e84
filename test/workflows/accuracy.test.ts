import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../gateway/log/eventCatalogue.ts';
import { EventLog } from '../../gateway/log/eventLog.ts';
import { accuracyFigures } from '../../gateway/workflows/accuracy.ts';
import { runCli } from '../helpers/runCli.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
let seq = 0;
const ev = (type: string, at: string, station: string | undefined, data: Record<string, unknown> = {}): LoggedEvent =>
  ({ seq: ++seq, id: String(seq), type, at, source: station ? { station } : {}, data }) as LoggedEvent;

const events = [
  ev('stock.picked', '2026-12-03T08:10:00Z', 'pick-1', { sku: 'MILK', bin: 'A', qty: 1 }),
  ev('stock.picked', '2026-12-03T08:20:00Z', 'pick-1', { sku: 'MILK', bin: 'A', qty: 1 }),
  ev('stock.picked', '2026-12-03T09:05:00Z', 'pick-1', { sku: 'MILK', bin: 'A', qty: 1 }),
  ev('verification.failed', '2026-12-03T08:15:00Z', 'pick-1', { station: 'pick-1', reason: 'pick.wrongItem' }),
  ev('stock.short', '2026-12-03T09:10:00Z', 'pick-1', { sku: 'YOG', bin: 'B', qty: 2 }),
  ev('verification.failed', '2026-12-03T08:30:00Z', 'pack-1', { station: 'pack-1', reason: 'pack.weightOutOfTolerance' }),
  ev('verification.overridden', '2026-12-03T08:31:00Z', 'pack-1', { station: 'pack-1', supervisor: 'S' }),
  ev('order.packed', '2026-12-03T08:31:00Z', 'pack-1', { orderId: 'O-1' }),
  ev('catalog.upserted', '2026-12-03T07:00:00Z', undefined, {}),
];

describe('accuracyFigures', () => {
  it('counts verified actions, failures by reason, short units, overrides and weights out of tolerance per station', () => {
    expect(accuracyFigures(events)).toEqual([
      { station: 'pack-1', verified: 1, failed: 1, failures: { 'pack.weightOutOfTolerance': 1 }, shortUnits: 0, overrides: 1, outOfTolerance: 1, accuracy: 0.5 },
      { station: 'pick-1', verified: 3, failed: 1, failures: { 'pick.wrongItem': 1 }, shortUnits: 2, overrides: 0, outOfTolerance: 0, accuracy: 0.75 },
    ]);
  });
  it('splits by hour when asked', () => {
    const pick = accuracyFigures(events, { byHour: true }).filter((r) => r.station === 'pick-1');
    expect(pick.map((r) => [r.hour, r.verified, r.failed, r.shortUnits])).toEqual([['2026-12-03T08:00Z', 2, 1, 0], ['2026-12-03T09:00Z', 1, 0, 2]]);
  });
  it('has nothing to say about an empty log', () => {
    expect(accuracyFigures([])).toEqual([]);
  });
});

describe('darkstore-gateway accuracy', () => {
  it('prints the figures per station from a log on disk, as a table or JSON', async () => {
    const dir = tempDir();
    const log = EventLog.open({ file: join(dir, 'gateway.db') });
    await log.appendAll([
      { type: 'stock.picked', data: { sku: 'MILK', bin: 'A-01', qty: 1 }, source: { station: 'pick-1' } },
      { type: 'verification.failed', data: { station: 'pick-1', reason: 'pick.expired' }, source: { station: 'pick-1' } },
      { type: 'stock.short', data: { sku: 'MILK', bin: 'A-01', qty: 1, orderId: 'O-1', line: 1 }, source: { station: 'pick-1' } },
    ]);
    log.close();
    const text = await runCli(['accuracy', '--data', dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^station\s+hour\s+verified\s+failed\s+accuracy\s+short\s+overrides\s+out-of-tol\npick-1\s+all\s+1\s+1\s+50\.0%\s+1\s+0\s+0\n {2}pick\.expired {2}1\n$/);
    const json = await runCli(['accuracy', '--data', dir, '--json']);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ station: 'pick-1', verified: 1, failed: 1, shortUnits: 1 })]);
    const bad = await runCli(['accuracy', '--data', dir, '--since', 'yesterday']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--since expects a time like 2026-12-03T08:00:00Z, found "yesterday"');
  });
});
