import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../config/loadConfig.ts';
import { ConfigFile } from '../../gateway/admin/configFile.ts';
import { Gateway } from '../../gateway/core/gateway.ts';
import { screenshot, useBrowser } from '../helpers/browser.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { nextMessage, useTestGateway } from '../helpers/testGateway.ts';

const browser = useBrowser();
const tempDir = useTempDir();
const devices = useTestGateway();
const running: Gateway[] = [];
afterEach(async () => {
  for (const g of running.splice(0)) await g.stop();
});

const adminToken = 'console-admin-token-0123';

async function startStore(): Promise<Gateway> {
  const dir = tempDir();
  const file = join(dir, 'store.yaml');
  writeFileSync(
    file,
    `store: { id: browser-store }
dataDir: ${join(dir, 'data')}
broker: { mode: embedded, host: 127.0.0.1, port: 0 }
http: { host: 127.0.0.1, port: 0, tokens: [{ name: ana, role: admin, token: ${adminToken} }] }
devices:
  - { id: scanner-1, class: scanner, transport: { type: mqtt }, secret: scanner-1-secret }
  - { id: lights-a, class: light, transport: { type: mqtt }, secret: lights-a-secret }
stations:
  - { id: pick-1, kind: pick, devices: [scanner-1, lights-a] }
layout:
  bins:
    - { id: A-01-01, zone: A, light: { device: lights-a, address: 1 } }
    - { id: A-01-02, zone: A, light: { device: lights-a, address: 2 } }
`,
  );
  const gateway = new Gateway({ config: loadConfigFile(file), configFile: new ConfigFile(file), logger: pino({ level: 'silent' }) });
  await gateway.start();
  running.push(gateway);
  return gateway;
}

describe('store admin console in a real browser', () => {
  it('an admin signs in and adds an MQTT scanner; the simulated scanner connects and shows online', async () => {
    const gateway = await startStore();
    const page = await browser().newPage();
    await page.goto(`${gateway.http.url}/console`);
    await page.fill('input[name=token]', adminToken);
    await page.click('#login button');
    await page.waitForSelector('table#devices');
    expect(await page.textContent('#who')).toBe('ana (admin)');

    await page.fill('#add-device input[name=id]', 'scanner-new');
    await page.selectOption('#add-device select[name=class]', 'scanner');
    await page.fill('#add-device input[name=secret]', 'scanner-new-secret');
    await page.click('#add-device button');
    const row = page.locator('tr[data-device="scanner-new"]');
    await row.waitFor();
    expect(await row.locator('td').nth(3).textContent()).not.toContain('online');

    await devices.connect(gateway.broker!.url, { username: 'scanner-new', password: 'scanner-new-secret' });
    await row.locator('.pill.online').waitFor({ timeout: 10_000 });
    await screenshot(page, 'console-devices-scanner-online');
  });

  it('a click on a bin lights it, and the simulated light receives the command', async () => {
    const gateway = await startStore();
    const light = await devices.connect(gateway.broker!.url, { username: 'lights-a', password: 'lights-a-secret' });
    await light.subscribeAsync('dsgw/v1/devices/lights-a/commands', { qos: 1 });
    const page = await browser().newPage();
    await page.goto(`${gateway.http.url}/console?token=${adminToken}#layout`);
    const lit = nextMessage(light, 'dsgw/v1/devices/lights-a/commands');
    await page.click('button.bin[data-bin="A-01-02"]');
    expect(JSON.parse(await lit)).toMatchObject({ kind: 'light', color: 'blue', blink: true, address: 2 });
    await page.locator('button.bin.lit[data-bin="A-01-02"]').waitFor();
    await screenshot(page, 'console-layout-bin-lit');
  });

  it('shows the event log live as events are committed', async () => {
    const gateway = await startStore();
    const page = await browser().newPage();
    await page.goto(`${gateway.http.url}/console?token=${adminToken}#events`);
    await page.waitForSelector('table#events');
    await page.waitForTimeout(300); // the live stream connects after the page renders
    await gateway.log.append({ type: 'stock.received', data: { sku: 'OAT-1L', bin: 'DOCK', qty: 24 } });
    await page.locator('table#events >> text=stock.received').waitFor({ timeout: 10_000 });
    await screenshot(page, 'console-event-log');
  });
});
