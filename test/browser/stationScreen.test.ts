import { describe, expect, it } from 'vitest';
import { FloorDevice } from '../helpers/floorDevice.ts';
import { dev, floorConfig, gtins, seedStore } from '../helpers/floorStore.ts';
import { screenshot, useBrowser } from '../helpers/browser.ts';
import { useTestGateway } from '../helpers/testGateway.ts';

const browser = useBrowser();
const gw = useTestGateway();
const viewer = 'floor-screen-token-0123';

/** The floor store with pick-1's screen open in the browser, live, and its scanner. */
async function openPickStation() {
  const gateway = await gw.start({ ...floorConfig, http: { host: '127.0.0.1', port: 0, tokens: [{ name: 'pick-1-tablet', role: 'viewer', token: viewer }] } });
  const scanner = await FloorDevice.attach(await gw.connect(gateway.broker!.url, { username: 'scanner-pick', password: 'scanner-pick-secret' }), 'scanner-pick');
  await seedStore(gateway);
  const page = await browser().newPage({ viewport: { width: 1024, height: 700 } });
  await page.goto(`${gateway.http.url}/station/pick-1?token=${viewer}`);
  await page.locator('#live.up').waitFor();
  return { gateway, scanner, page };
}

describe('station screen in a real browser', () => {
  it('shows what to pick, then turns red with the reason when a wrong item is scanned', async () => {
    const { gateway, scanner, page } = await openPickStation();

    await gateway.log.append({ type: 'order.released', data: { orderId: 'O-9', shortCode: 'Q3', lines: [{ line: 1, sku: 'MILK', qty: 2 }] } });
    await page.locator('#lines >> text=Whole Milk 1L').waitFor();
    expect(await page.textContent('#order')).toBe('order O-9');

    await scanner.scan('TOTE-3');
    await scanner.scan(`]E0${gtins.oat.slice(1)}`);
    await page.locator('#verdict.error').waitFor();
    expect(await page.textContent('#text')).toBe('wrong item: scanned Oat Milk 1L, expected Whole Milk 1L');
    await screenshot(page, 'station-pick-wrong-item');

    await scanner.scan(`]E0${gtins.milk.slice(1)}`);
    await page.locator('#verdict.ok').waitFor();
  });

  it('an order cancelled under the picker\'s hands: the cancellation stays above the next order until the next scan', async () => {
    const { gateway, scanner, page } = await openPickStation();

    await gateway.log.appendAll([
      { type: 'order.released', data: { orderId: 'O-1', lines: [{ line: 1, sku: 'MILK', qty: 2 }] } },
      { type: 'order.released', data: { orderId: 'O-2', lines: [{ line: 1, sku: 'YOG', qty: 1 }] } },
    ]);
    await page.locator('#order >> text=order O-1').waitFor();
    await scanner.scan('TOTE-3');
    await scanner.scan(`]E0${gtins.milk.slice(1)}`);
    expect(await page.isHidden('#notice')).toBe(true);
    await gateway.log.append({ type: 'order.cancelled', data: { orderId: 'O-1', reason: 'customer' } });
    // The next order is on the screen at once; the cancellation stays above it.
    await page.locator('#order >> text=order O-2').waitFor();
    await page.locator('#notice:visible').waitFor();
    expect(await page.textContent('#notice')).toBe('order O-1 was cancelled: stop, put the 1 picked unit in the returns tote');
    await screenshot(page, 'station-pick-cancelled-notice');
    // The picker's next scan, a tote label, which answers on the scanner only, takes it off.
    await scanner.scan('TOTE-4');
    await page.locator('#notice').waitFor({ state: 'hidden' });
  });

  it('a batch pick station shows its put wall: each slot\'s order, tote and progress, the slot to put into highlighted', async () => {
    const gateway = await gw.start({
      ...floorConfig,
      devices: [...floorConfig.devices, dev('wall-pick', 'light')],
      stations: [{ id: 'pick-1', kind: 'pick', zone: 'A', devices: ['scanner-pick', 'lights-pick'], batch: { maxOrders: 2, putWall: [1, 2, 3].map((slot) => ({ slot, light: { device: 'wall-pick', address: slot } })) } }],
      http: { host: '127.0.0.1', port: 0, tokens: [{ name: 'pick-1-tablet', role: 'viewer', token: viewer }] },
    });
    const scanner = await FloorDevice.attach(await gw.connect(gateway.broker!.url, { username: 'scanner-pick', password: 'scanner-pick-secret' }), 'scanner-pick');
    await seedStore(gateway);
    const page = await browser().newPage({ viewport: { width: 1024, height: 800 } });
    await page.goto(`${gateway.http.url}/station/pick-1?token=${viewer}`);
    await page.locator('#live.up').waitFor();

    await gateway.log.appendAll([
      { type: 'order.released', data: { orderId: 'O-1', lines: [{ line: 1, sku: 'MILK', qty: 2 }, { line: 2, sku: 'YOG', qty: 1 }] } },
      { type: 'order.released', data: { orderId: 'O-2', lines: [{ line: 1, sku: 'MILK', qty: 1 }] } },
    ]);
    await page.locator('#slots .slot').nth(2).waitFor();
    expect(await page.textContent('#text')).toBe('scan an empty tote for slot 1 (order O-1)');
    await scanner.scan('TOTE-41');
    await scanner.scan('TOTE-42');
    await scanner.scan(`]E0${gtins.milk.slice(1)}`);
    await page.locator('#slots .slot.put >> text=put 1').waitFor();
    expect(await page.textContent('#text')).toBe('put 1 x Whole Milk 1L in tote slot 1 (41)');
    expect(await page.locator('#slots .slot').allTextContents()).toEqual(['1O-1tote 41put 1', '2O-2tote 420/1', '3empty']);
    expect(await page.locator('#lines tr').allTextContents()).toEqual(['A-01Whole Milk 1L1/3', 'A-02Yoghurt 150g0/1']);
    await screenshot(page, 'station-batch-put');
  });
});

