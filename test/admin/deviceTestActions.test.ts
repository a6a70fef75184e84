/**
 * The console's device tests and `darkstore-gateway device test --url` against a running
 * gateway: a test label printed on a TCP printer, a Modbus light line blinking.
 */
import { describe, expect, it } from 'vitest';
import { ModbusLightsSimulator } from '../../simulators/modbusLights.ts';
import { TcpPrinterSimulator } from '../../simulators/tcpPrinter.ts';
import { runCli } from '../helpers/runCli.ts';
import { useTestGateway, waitFor } from '../helpers/testGateway.ts';

const gw = useTestGateway();
const token = 'operator-token-0123456789';

describe('device tests through the running gateway', () => {
  it('prints a test label from the console API and blinks a light line from the CLI', async () => {
    const printer = new TcpPrinterSimulator();
    await printer.start();
    const lights = new ModbusLightsSimulator({ units: [1, 2] });
    await lights.slave.listenTcp();
    try {
      const gateway = await gw.start({
        http: { host: '127.0.0.1', port: 0, tokens: [{ name: 'olga', role: 'operator', token }] },
        devices: [
          { id: 'label-1', class: 'printer', transport: { type: 'tcp', host: '127.0.0.1', port: printer.port } },
          { id: 'lights-1', class: 'light', transport: { type: 'tcp', host: '127.0.0.1', port: lights.slave.port }, light: { addresses: [1, 2] } },
        ],
      });
      await waitFor('printer online', () => gateway.devices.health('label-1')?.state === 'online', 15_000);
      const response = await fetch(`${gateway.http.url}/api/v1/devices/label-1/test`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'print-test' }),
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { result: string }).result).toMatch(/^test label queued for label-1 \(job test-label-1-\d+\); it prints now/);
      await waitFor('the test label', () => printer.printed.length === 1);
      expect(printer.printed[0]!.fields).toEqual(expect.arrayContaining(['TEST LABEL', 'printer label-1']));

      await waitFor('lights online', () => gateway.devices.health('lights-1')?.state === 'online', 15_000);
      const result = await runCli(['device', 'test', 'lights-1', '--blink', '--url', gateway.http.url, '--token', token]);
      expect(result.stderr).toBe('');
      expect(result.stdout.trim()).toBe('lights-1 blinks white for 3 s');
      expect(lights.shown(1)).toMatchObject({ color: 'white', blink: true });
      expect(lights.shown(2)).toMatchObject({ color: 'white', blink: true });
    } finally {
      await printer.stop();
      await lights.slave.stop();
    }
  }, 30_000);
});
