/** A gateway restarted mid-order picks up where the picker left off: the log is the state. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FloorDevice } from '../helpers/floorDevice.ts';
import { floorConfig, gtins, seedStore } from '../helpers/floorStore.ts';
import { useTestGateway, waitFor } from '../helpers/testGateway.ts';

const gw = useTestGateway();
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('restart mid-order', () => {
  it('re-assigns the order with only what is left to pick, and lights the remaining quantity', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dsgw-restart-'));
    dirs.push(dataDir);
    const first = await gw.start({ ...floorConfig, dataDir });
    const connect = async (url: string, id: string) => FloorDevice.attach(await gw.connect(url, { username: id, password: `${id}-secret` }), id);
    const scanner1 = await connect(first.broker!.url, 'scanner-pick');
    await seedStore(first);
    await first.log.append({ type: 'order.released', data: { orderId: 'O-1', lines: [{ line: 1, sku: 'MILK', qty: 3 }] } });
    await waitFor('order assigned', () => (first.stations.stationState('pick-1') as { order?: unknown }).order);
    expect(await scanner1.scan(`]E0${gtins.milk.slice(1)}`)).toMatchObject({ result: 'ok', message: 'ok: Whole Milk 1L, 1 of 3' });
    await first.stop();

    const second = await gw.start({ ...floorConfig, dataDir });
    const scanner2 = await connect(second.broker!.url, 'scanner-pick');
    await waitFor('order re-assigned', () => (second.stations.stationState('pick-1') as { order?: unknown }).order);
    expect((second.stations.stationState('pick-1') as { order: { lines: unknown[] } }).order.lines).toMatchObject([{ qty: 3, picked: 1, bin: 'A-01' }]);
    expect(await scanner2.scan(`]E0${gtins.milk.slice(1)}`)).toMatchObject({ result: 'ok', message: 'ok: Whole Milk 1L, 2 of 3' });
    expect(await scanner2.scan(`]E0${gtins.milk.slice(1)}`)).toMatchObject({ result: 'ok', message: 'ok: Whole Milk 1L, 3 of 3' });
    await waitFor('order picked', () => second.log.projections.rows('orders').find((o) => o.status === 'picked'));
    expect(second.log.projections.rows('order_lines')[0]).toMatchObject({ order_id: 'O-1', qty: 3, picked: 3, short: 0 });
  });
});
