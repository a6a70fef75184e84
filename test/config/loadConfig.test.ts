import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatProblem } from '../../config/configError.ts';
import { configJsonSchema } from '../../config/jsonSchema.ts';
import { loadConfigFile, loadConfigText } from '../../config/loadConfig.ts';

const valid = `store:
  id: test-store
broker:
  mode: embedded
  port: 1884
devices:
  - id: scanner-1
    class: scanner
    transport: { type: mqtt }
    secret: scanner-1-secret
  - id: scale-1
    class: scale
    transport:
      type: serial
      path: /dev/ttyUSB0
      baudRate: 9600
stations:
  - id: pack-1
    kind: pack
    devices: [scanner-1, scale-1]
layout:
  bins:
    - { id: A-01, zone: A, pickFace: { min: 2, max: 10 } }
`;

function problemsOf(text: string, env: Record<string, string> = {}): string[] {
  try {
    loadConfigText(text, '/etc/dsgw/store.yaml', { env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map(formatProblem);
  }
  throw new Error('expected the config to be refused');
}

describe('config loader', () => {
  it('accepts a valid config and fills in defaults', () => {
    const config = loadConfigText(valid, 'store.yaml', { env: {} });
    expect(config.store.id).toBe('test-store');
    expect(config.durability).toBe('normal');
    expect(config.http.port).toBe(8080);
    expect(config.devices[1]!.transport).toMatchObject({ type: 'serial', parity: 'none', dataBits: 8 });
  });

  // Each broken config must be reported at the exact line and column of the mistake.
  const cases: Array<[string, string, string]> = [
    ['a baud rate that is not a number', valid.replace('baudRate: 9600', 'baudRate: "96OO"'), 'store.yaml:16:17 devices[1].transport.baudRate: expected a number, found "96OO"'],
    ['a typo in a key', valid.replace('    class: scale', '    clas: scale'), 'store.yaml:12:5 devices[1].clas: unknown key "clas"; did you mean "class"?'],
    ['an unknown top-level key', `${valid}colour: blue\n`, 'store.yaml:24:1 colour: unknown key "colour"'],
    ['a missing store id', valid.replace('  id: test-store', '  name: Test'), 'store.yaml:2:3 store.id: required, expected a string'],
    ['an unknown device class', valid.replace('class: scanner', 'class: laser'), 'store.yaml:8:12 devices[0].class: expected "scanner" or "scale" or "light" or "printer" or "sensor" or "button", found "laser"'],
    ['an unknown transport type', valid.replace('{ type: mqtt }', '{ type: bluetooth }'), 'store.yaml:9:24 devices[0].transport.type: unknown type "bluetooth", expected "serial", "hid", "mqtt", "tcp" or "zigbee"'],
    ['a port out of range', valid.replace('port: 1884', 'port: 70000'), 'store.yaml:5:9 broker.port: expected at most 65535, found 70000'],
    ['a durability that does not exist', `${valid}durability: fast\n`, 'store.yaml:24:13 durability: expected "normal" or "full", found "fast"'],
    ['a station naming a missing device', valid.replace('devices: [scanner-1, scale-1]', 'devices: [scanner-1, scale-9]'), 'store.yaml:20:26 stations[0].devices[1]: no device "scale-9" in devices; add it there or fix the id'],
    ['two devices with the same id', valid.replace('id: scale-1', 'id: scanner-1').replace('[scanner-1, scale-1]', '[scanner-1]'), 'store.yaml:11:9 devices[1].id: device id "scanner-1" is used twice; ids must be unique'],
    ['pick face min above max', valid.replace('min: 2, max: 10', 'min: 20, max: 10'), 'store.yaml:23:38 layout.bins[0].pickFace: pickFace.min must not exceed pickFace.max'],
    ['an MQTT device without a secret', valid.replace('    secret: scanner-1-secret\n', ''), 'store.yaml:7:5 devices[0]: MQTT device "scanner-1" needs a secret or secretHash to connect to the broker'],
    ['a secret from a missing environment variable', valid.replace('secret: scanner-1-secret', 'secret: ${DSGW_SCANNER_SECRET}'), 'store.yaml:10:13 devices[0].secret: environment variable DSGW_SCANNER_SECRET is not set; export it, or write ${DSGW_SCANNER_SECRET:-default}'],
    ['a serial transport without path or match', valid.replace('      path: /dev/ttyUSB0\n', ''), 'store.yaml:14:7 devices[1].transport: a serial transport needs a path or a match (vendorId/productId/serialNumber)'],
    ['a device id with a slash (it would escape its MQTT topic)', valid.replace('id: scanner-1\n', 'id: scanner/1\n').replace('[scanner-1, scale-1]', '[scale-1]'), 'store.yaml:7:9 devices[0].id: expected a device id: letters, digits, "_", "-" or "." (at most 64, no spaces or "/"), found "scanner/1"'],
    ['a YAML syntax error', valid.replace('  id: test-store', '  id: [test-store'), 'store.yaml:3:1 YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['a duplicated key', valid.replace('  port: 1884', '  port: 1884\n  port: 1885'), 'store.yaml:6:3 YAML syntax: Map keys must be unique'],
    ['a list where a mapping belongs', valid.replace('broker:\n  mode: embedded\n  port: 1884', 'broker: [embedded]'), 'store.yaml:3:9 broker: expected an object, found a list'],
    ['a negative pick face minimum', valid.replace('min: 2, max: 10', 'min: -1, max: 10'), 'store.yaml:23:45 layout.bins[0].pickFace.min: expected at least 0, found -1'],
    ['a station without a scanner', valid.replace('devices: [scanner-1, scale-1]', 'devices: [scale-1]'), 'store.yaml:20:14 stations[0].devices: station "pack-1" has no scanner; every station needs one to verify anything'],
    ['two bins on the same light address', valid.replace('    - { id: A-01, zone: A, pickFace: { min: 2, max: 10 } }', '    - { id: A-01, zone: A, light: { device: scanner-1, address: 4 } }\n    - { id: A-02, zone: A, light: { device: scanner-1, address: 4 } }'), 'store.yaml:24:65 layout.bins[1].light.address: light scanner-1 address 4 is already bin "A-01"\'s; each bin needs its own light'],
    ['a cycle count at a time of day every 12 hours', `${valid}workflows:\n  cycleCount: { every: 12h, binsPerRun: 5, at: "05:30" }\n`, 'store.yaml:25:24 workflows.cycleCount.every: with "at", "every" must be whole days, like "1d" or "7d"'],
    ['a cycle count at a time that is not one', `${valid}workflows:\n  cycleCount: { every: 1d, binsPerRun: 5, at: "5:30pm" }\n`, 'store.yaml:25:47 workflows.cycleCount.at: expected a store-local time of day like "05:30", found "5:30pm"'],
    ['a time zone that does not exist', valid.replace('  id: test-store', '  id: test-store\n  timezone: Europe/Amsterdm'), 'store.yaml:3:13 store.timezone: "Europe/Amsterdm" is not an IANA time zone; use one like "Europe/Amsterdam" or "UTC"'],
    ['an external broker with a bad URL', valid.replace('broker:\n  mode: embedded\n  port: 1884', 'broker:\n  mode: external\n  url: localhost:1883'), 'store.yaml:5:8 broker.url: expected a URL like mqtt://broker:1883, found "localhost:1883"'],
  ];

  it.each(cases)('reports %s at its position', (_name, text, expected) => {
    const problems = problemsOf(text);
    expect(problems.some((p) => p.startsWith(expected)), `got:\n${problems.join('\n')}`).toBe(true);
  });

  it('fills secrets from environment variables, with defaults', () => {
    const text = valid.replace('secret: scanner-1-secret', 'secret: ${SCANNER_SECRET}').replace('port: 1884', 'port: ${BROKER_PORT:-1999}');
    const config = loadConfigText(text.replace('port: ${BROKER_PORT:-1999}', 'port: 1999'), 'store.yaml', { env: { SCANNER_SECRET: 'from-the-env-123' } });
    expect(config.devices[0]!.secret).toBe('from-the-env-123');
  });

  it('names a missing file and what to do', () => {
    expect(() => loadConfigFile('/nonexistent/store.yaml')).toThrow(/cannot read the config: file not found; pass --config FILE or set DSGW_CONFIG/);
  });

  it('accepts the example store and the demo config', () => {
    const store = loadConfigFile('config/examples/store.yaml', { env: {} });
    expect(store.stations.map((s) => s.kind).sort()).toEqual(['dispatch', 'pack', 'pick', 'pick', 'receiving']);
    expect(store.layout.bins.length).toBeGreaterThanOrEqual(40);
    const demo = loadConfigFile('config/examples/demo.yaml', { env: {} });
    expect(demo.broker).toMatchObject({ mode: 'embedded', port: 1884 });
    expect(demo.http.port).toBe(8080);
  });

  it('accepts every example in config/examples', () => {
    const files = readdirSync('config/examples').filter((f) => f.endsWith('.yaml'));
    expect(files).toContain('batch-pick.yaml');
    for (const f of files) expect(() => loadConfigFile(join('config/examples', f), { env: {} }), f).not.toThrow();
  });

  it('has a config/schema.json that matches the zod schema (run "npm run schema" when this fails)', () => {
    expect(readFileSync('config/schema.json', 'utf8')).toBe(configJsonSchema());
  });
});
