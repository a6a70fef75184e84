import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventLog, type AppendInput } from '../../gateway/log/eventLog.ts';
import { queryInWindows } from '../../gateway/log/windowedQuery.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();

async function logOf(orders: number): Promise<EventLog> {
  const log = EventLog.open({ file: join(tempDir(), 'gateway.db') });
  const events: AppendInput[] = [];
  for (let i = 0; i < orders; i++) {
    events.push(
      { type: 'order.released', data: { orderId: `O-${i % 7}`, lines: [{ line: 1, sku: 'MILK', qty: 1 }] }, id: `r-${i}` },
      { type: 'stock.picked', data: { sku: 'MILK', bin: 'A-01', qty: 1, orderId: `O-${i % 7}`, line: 1 }, source: { device: `scanner-${i % 3}` }, id: `p-${i}` },
    );
  }
  await log.appendAll(events);
  return log;
}

describe('queryInWindows: the log by order or device, read in windows', () => {
  it.each([
    ['an order, newest first', { orderId: 'O-3', limit: 5, descending: true }],
    ['an order, oldest first', { orderId: 'O-3', limit: 5 }],
    ['an order before a cursor', { orderId: 'O-3', limit: 4, descending: true, beforeSeq: 100 }],
    ['an order after a cursor', { orderId: 'O-3', limit: 4, afterSeq: 100 }],
    ['a device, all of it', { device: 'scanner-1', limit: 1000 }],
    ['an order and a type', { orderId: 'O-6', type: 'stock.picked', limit: 3, descending: true }],
    ['no such order', { orderId: 'O-99', limit: 10, descending: true }],
  ])('%s: the same events as one query', async (_name, q) => {
    const log = await logOf(150);
    expect((await queryInWindows(log, q, 16)).map((e) => e.seq)).toEqual(log.query(q).map((e) => e.seq));
    log.close();
  });

  it('lets the event loop run between windows: a scan waiting meanwhile is not held for the whole read', async () => {
    const log = await logOf(150);
    const order: string[] = [];
    const read = queryInWindows(log, { orderId: 'O-99', limit: 10, descending: true }, 16).then(() => order.push('read done'));
    setImmediate(() => order.push('a scan handled'));
    await read;
    expect(order).toEqual(['a scan handled', 'read done']);
    log.close();
  });
});
