/**
 * `darkstore-gateway device test ID --print-test|--blink`: print a test label on a printer or
 * blink a light from the command line.
 *
 * Two ways, one command:
 * - with `--url` (or $DSGW_URL) and `--token` (or $DSGW_TOKEN, an operator token), it asks the
 *   running gateway (POST /api/v1/devices/{id}/test): the gateway's own driver and print queue
 *   carry it out, which is the only way while the gateway holds the device's serial port;
 * - without, it drives the device itself from the config (`--config`), the way to check a
 *   printer or a light line before the gateway runs: it connects, sends, waits until the
 *   label is printed (or the light lit) and says what happened.
 *
 * @example
 *   npx darkstore-gateway device test label-1 --print-test --config config/examples/store.yaml
 *   npx darkstore-gateway device test lights-aisle-3 --blink --url http://127.0.0.1:8080 --token $DSGW_TOKEN
 */
import type { DeviceConfig } from '../../config/schema.ts';
import type { BarcodeOptions } from '../../devices/barcode/index.ts';
import type { DeviceCommand, DeviceDriver, DeviceHealth } from '../../devices/driver.ts';
import { PrinterDriver } from '../../devices/printers/printerDriver.ts';
import { barcodeOptionsFor, createDriver } from '../../devices/registry.ts';
import { nodeHidBoundary } from '../../devices/transports/hidBoundary.ts';
import { blinkCommand, blinkOffCommand, testLabelCommand } from '../core/deviceTestActions.ts';
import { loadCliConfig } from './configSource.ts';
import type { CliCommand } from './main.ts';
import { parseOptions } from './parseOptions.ts';

const usage = 'device test DEVICE_ID --print-test|--blink [--config FILE] [--url URL --token TOKEN] [--timeout SECONDS]';

export const deviceCommand: CliCommand = {
  name: 'device',
  summary: 'Test a device: print a test label, blink a light (directly, or through a running gateway with --url)',
  usage,
  async run(argv) {
    const { values, positionals } = parseOptions(
      argv,
      {
        config: { type: 'string', short: 'c' },
        url: { type: 'string' },
        token: { type: 'string' },
        timeout: { type: 'string' },
        'print-test': { type: 'boolean' },
        blink: { type: 'boolean' },
      },
      usage,
    );
    const [action, deviceId] = positionals;
    if (action !== 'test' || !deviceId) throw new Error(`say which device to test\nUsage: darkstore-gateway ${usage}`);
    if (Boolean(values['print-test']) === Boolean(values.blink)) throw new Error(`pass one of --print-test or --blink\nUsage: darkstore-gateway ${usage}`);
    const test = values['print-test'] ? 'print-test' : 'blink';
    const timeoutMs = Number(values.timeout ?? 10) * 1000;
    const url = values.url ?? process.env.DSGW_URL;
    if (url) return viaGateway(url, values.token ?? process.env.DSGW_TOKEN, deviceId, test);
    const { config } = loadCliConfig(values.config);
    const device = config.devices.find((d) => d.id === deviceId);
    if (!device) throw new Error(`no device "${deviceId}" in the config; configured: ${config.devices.map((d) => d.id).join(', ') || 'none'}`);
    return directly(device, barcodeOptionsFor(config.barcodes, device), test, timeoutMs);
  },
};

async function viaGateway(url: string, token: string | undefined, deviceId: string, action: 'print-test' | 'blink'): Promise<number> {
  if (!token) throw new Error('--url needs --token (or $DSGW_TOKEN): an operator token of the admin API');
  const response = await fetch(new URL(`/api/v1/devices/${encodeURIComponent(deviceId)}/test`, url), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action }),
  });
  const body = (await response.json().catch(() => ({}))) as { result?: string; error?: string; message?: string };
  if (!response.ok) {
    console.error(`the gateway refused: ${response.status} ${body.message ?? body.error ?? response.statusText}`);
    return 1;
  }
  console.log(body.result ?? 'done');
  return 0;
}

async function directly(device: DeviceConfig, barcodes: BarcodeOptions, action: 'print-test' | 'blink', timeoutMs: number): Promise<number> {
  if (action === 'print-test' && device.class !== 'printer') throw new Error(`"${device.id}" is a ${device.class}; only printers print a test label`);
  if (action === 'blink' && device.class !== 'light') throw new Error(`"${device.id}" is a ${device.class}; only lights blink`);
  if (device.transport.type === 'mqtt') throw new Error(`"${device.id}" is an MQTT device: test it through the running gateway with --url and --token`);
  const driver = createDriver({
    device,
    barcodes,
    sink: { event: () => undefined, status: () => undefined },
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    hid: nodeHidBoundary,
  });
  await driver.start();
  try {
    const online = await waitFor(() => driver.health().state === 'online', timeoutMs);
    if (!online) {
      console.error(`${describe(driver.health())} is not ready after ${timeoutMs / 1000} s${reasonOf(driver.health())}`);
      return 1;
    }
    if (action === 'blink') {
      await driver.send(blinkCommand());
      console.log(`${device.id}: every light blinks white for 3 s`);
      await new Promise((r) => setTimeout(r, 3000));
      await driver.send(blinkOffCommand);
      return 0;
    }
    const command: DeviceCommand = await testLabelCommand(device);
    await driver.send(command);
    const printed = await waitFor(() => (driver as PrinterDriver).queue().pending().length === 0, timeoutMs);
    if (!printed) {
      console.error(`${device.id}: the test label was not printed within ${timeoutMs / 1000} s${reasonOf(driver.health())}`);
      return 1;
    }
    console.log(`${device.id}: test label printed (job ${(command as { jobId: string }).jobId})`);
    return 0;
  } finally {
    await stopQuietly(driver);
  }
}

const describe = (h: DeviceHealth) => `${h.driver.split(' ')[0]} "${h.deviceId}" on ${h.address}`;
const reasonOf = (h: DeviceHealth) => (h.lastError ? `: ${h.lastError.reason}` : '');

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

async function stopQuietly(driver: DeviceDriver): Promise<void> {
  await driver.stop().catch(() => undefined);
}
