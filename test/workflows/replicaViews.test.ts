import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventLog } from '../../gateway/log/eventLog.ts';
import { ReplicaViews } from '../../gateway/workflows/replicaViews.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();

describe('ReplicaViews: what a scanned label finds', () => {
  it('a short code that repeats finds the newest order with it; an order id is found by its id first', async () => {
    const log = EventLog.open({ file: join(tempDir(), 'gateway.db') });
    const release = (orderId: string, shortCode: string) => ({ type: 'order.released' as const, data: { orderId, shortCode, lines: [{ line: 1, sku: 'MILK', qty: 1 }] } });
    // The OMS's counter came round: K7 in March and K7 today; an order whose id is another's short code.
    await log.appendAll([release('O-0307', 'K7'), release('K9', 'K1'), release('O-1204', 'K7'), release('O-1205', 'K9')]);
    const views = new ReplicaViews(log);
    expect(views.orderToPack('K7')?.orderId).toBe('O-1204');
    expect(views.orderToPack('K9')?.orderId).toBe('K9');
    expect(views.orderToPack('O-0307')?.orderId).toBe('O-0307');
    expect(views.orderToPack('K5')).toBeUndefined();
    log.close();
  });
});
