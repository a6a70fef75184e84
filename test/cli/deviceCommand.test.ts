/**
 * `darkstore-gateway device test`: a test label printed on a TCP printer simulator and a blink
 * on Modbus TCP light modules, driven directly from a config file, as an admin would.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModbusLightsSimulator } from '../../simulators/modbusLights.ts';
import { TcpPrinterSimulator } from '../../simulators/tcpPrinter.ts';
import { runCli } from '../helpers/runCli.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

function configFile(devices: string): string {
  const file = join(tempDir(), 'store.yaml');
  writeFileSync(file, `store:\n  id: cli-test\ndevices:\n${devices}`);
  return file;
}

describe('darkstore-gateway device test', () => {
  it('prints a test label from the templates folder on a configured printer', async () => {
    const printer = new TcpPrinterSimulator();
    await printer.start();
    stops.push(() => printer.stop());
    const file = configFile(`  - { id: label-1, class: printer, transport: { type: tcp, host: 127.0.0.1, port: ${printer.port} } }\n`);
    const result = await runCli(['device', 'test', 'label-1', '--print-test', '--config', file]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/label-1: test label printed \(job test-label-1-\d+\)/);
    expect(result.code).toBe(0);
    expect(printer.printed).toHaveLength(1);
    expect(printer.printed[0]!.fields).toEqual(expect.arrayContaining(['TEST LABEL', 'printer label-1']));
  }, 30_000);

  it('says what is wrong when the printer is off', async () => {
    const printer = new TcpPrinterSimulator();
    await printer.start();
    await printer.setMode('off');
    const file = configFile(`  - { id: label-1, class: printer, transport: { type: tcp, host: 127.0.0.1, port: ${printer.port} } }\n`);
    const result = await runCli(['device', 'test', 'label-1', '--print-test', '--config', file, '--timeout', '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/printer "label-1" on 127.0.0.1:\d+ is not ready after 1 s: cannot connect .*check that the printer is on/);
  }, 30_000);

  it('blinks every light of a Modbus line', async () => {
    const lights = new ModbusLightsSimulator({ units: [1, 2] });
    await lights.slave.listenTcp();
    stops.push(() => lights.slave.stop());
    const file = configFile(`  - { id: lights-1, class: light, transport: { type: tcp, host: 127.0.0.1, port: ${lights.slave.port} }, light: { addresses: [1, 2] } }\n`);
    const run = runCli(['device', 'test', 'lights-1', '--blink', '--config', file]);
    const deadline = Date.now() + 10_000;
    while (lights.shown(2).color !== 'white' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(lights.shown(1)).toMatchObject({ color: 'white', blink: true, text: 'TEST' });
    expect(lights.shown(2)).toMatchObject({ color: 'white', blink: true });
    const result = await run;
    expect(result.code).toBe(0);
    expect(lights.shown(1).color).toBe('off');
  }, 30_000);

  it('refuses a device of the wrong class with what it is', async () => {
    const file = configFile(`  - { id: lights-1, class: light, transport: { type: tcp, host: 127.0.0.1, port: 1 }, light: { addresses: [1] } }\n`);
    const result = await runCli(['device', 'test', 'lights-1', '--print-test', '--config', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/"lights-1" is a light; only printers print a test label/);
  }, 30_000);
});
