/** A batch pick station's put wall: validated with its cross-checks, each problem at its line and column. */
import { describe, expect, it } from 'vitest';
import { ConfigError, formatProblem } from '../../config/configError.ts';
import { loadConfigFile, loadConfigText } from '../../config/loadConfig.ts';

const valid = `store:
  id: test-store
devices:
  - { id: scanner-w, class: scanner, transport: { type: mqtt }, secret: scanner-w-secret }
  - { id: lights-a, class: light, transport: { type: mqtt }, secret: lights-a-secret }
  - { id: wall-1, class: light, transport: { type: mqtt }, secret: wall-1-secret }
stations:
  - id: pick-w
    kind: pick
    zone: A
    devices: [scanner-w, lights-a]
    batch:
      maxOrders: 2
      putWall:
        - { slot: 1, light: { device: wall-1, address: 1 } }
        - { slot: 2, light: { device: wall-1, address: 2 } }
layout:
  bins:
    - { id: A-01, zone: A, light: { device: lights-a, address: 1 } }
`;

function problemsOf(text: string): string[] {
  try {
    loadConfigText(text, '/etc/dsgw/store.yaml', { env: {} });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map(formatProblem);
  }
  throw new Error('expected the config to be refused');
}

describe('batch pick station config', () => {
  it('accepts a put wall and fills in requireToteScan: true and groupBy: urgency', () => {
    const config = loadConfigText(valid, 'store.yaml', { env: {} });
    expect(config.stations[0]!.batch).toEqual({ maxOrders: 2, groupBy: 'urgency', requireToteScan: true, putWall: [{ slot: 1, light: { device: 'wall-1', address: 1 } }, { slot: 2, light: { device: 'wall-1', address: 2 } }] });
  });

  it('a pick station without batch picks one order at a time', () => {
    const config = loadConfigText(valid.replace(/ {4}batch:\n(.*\n){4}/, ''), 'store.yaml', { env: {} });
    expect(config.stations[0]!.batch).toBeUndefined();
  });

  it.each<[string, string, string]>([
    ['more orders than slots', valid.replace('maxOrders: 2', 'maxOrders: 3'), 'store.yaml:13:18 stations[0].batch.maxOrders: maxOrders 3 needs as many put wall slots, there are 2; add slots or lower maxOrders'],
    ['no orders at all', valid.replace('maxOrders: 2', 'maxOrders: 0'), 'store.yaml:13:18 stations[0].batch.maxOrders: expected at least 1, found 0'],
    ['a slot listed twice', valid.replace('{ slot: 2,', '{ slot: 1,'), 'store.yaml:16:19 stations[0].batch.putWall[1].slot: slot 1 is listed twice; each slot once'],
    ['a slot light on a device that does not exist', valid.replace('{ slot: 2, light: { device: wall-1', '{ slot: 2, light: { device: wall-9'), 'store.yaml:16:39 stations[0].batch.putWall[1].light.device: no device "wall-9" in devices; add the put wall light there or fix the id'],
    ['a slot light on a scanner', valid.replace('{ slot: 2, light: { device: wall-1', '{ slot: 2, light: { device: scanner-w'), 'store.yaml:16:39 stations[0].batch.putWall[1].light.device: device "scanner-w" is a scanner, not a light; a slot needs a light'],
    ['a slot on a bin\'s light', valid.replace('{ slot: 2, light: { device: wall-1, address: 2 }', '{ slot: 2, light: { device: lights-a, address: 1 }'), 'store.yaml:16:58 stations[0].batch.putWall[1].light.address: light lights-a address 1 is already bin "A-01"\'s; each slot needs its own light'],
    ['two slots on one light', valid.replace('{ slot: 2, light: { device: wall-1, address: 2 }', '{ slot: 2, light: { device: wall-1, address: 1 }'), 'store.yaml:16:56 stations[0].batch.putWall[1].light.address: light wall-1 address 1 is already slot 1 of station "pick-w"\'s; each slot needs its own light'],
    ['batch on a pack station', valid.replace('kind: pick', 'kind: pack'), 'store.yaml:13:7 stations[0].batch: station "pick-w" is a pack station; batch applies to pick stations only'],
    ['an empty put wall', valid.replace(/ {6}putWall:\n(.*\n){2}/, '      putWall: []\n'), 'store.yaml:14:16 stations[0].batch.putWall: expected at least 1'],
    ['a typo in a batch key', valid.replace('maxOrders: 2', 'maxOrders: 2\n      requireToteScans: false'), 'store.yaml:14:7 stations[0].batch.requireToteScans: unknown key "requireToteScans"; did you mean "requireToteScan"?'],
  ])('reports %s at its position', (_name, text, expected) => {
    const problems = problemsOf(text);
    expect(problems.some((p) => p.startsWith(expected)), `got:\n${problems.join('\n')}`).toBe(true);
  });

  it('accepts the batch pick example', () => {
    const config = loadConfigFile('config/examples/batch-pick.yaml', { env: {} });
    const station = config.stations.find((s) => s.batch)!;
    expect(station.batch!.maxOrders).toBeLessThanOrEqual(station.batch!.putWall.length);
  });
});
