import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventLog } from '../../gateway/log/eventLog.ts';
import { BackOfHouseLedger } from '../../gateway/workflows/backOfHouseLedger.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
const logs: EventLog[] = [];
afterEach(() => {
  for (const l of logs.splice(0)) l.close();
});
function open(): { log: EventLog; ledger: BackOfHouseLedger } {
  const log = EventLog.open({ file: join(tempDir(), 'gateway.db') });
  logs.push(log);
  return { log, ledger: new BackOfHouseLedger(log, () => [{ id: 'A-01', zone: 'A', light: { device: 'lights', address: 1 } }]) };
}
const received = (sku: string, qty: number, asn?: string) => ({ type: 'stock.received' as const, data: { sku, bin: 'DOCK', qty, ...(asn ? { asn } : {}) } });

describe('back-of-house ledger', () => {
  it('keeps up with the log read after read: receipts, a re-sent ASN, a close', async () => {
    const { log, ledger } = open();
    await log.appendAll([
      { type: 'asn.received', data: { asn: 'A-1', lines: [{ sku: 'MILK', qty: 6 }, { sku: 'MILK', qty: 6 }] } },
      { type: 'asn.received', data: { asn: 'A-2', lines: [{ sku: 'OAT', qty: 4 }] } },
      received('MILK', 6, 'A-1'),
      received('MILK', 3),
    ]);
    expect(ledger.asn('A-1')?.lines).toEqual([{ sku: 'MILK', expected: 12, received: 6 }]);

    // The OMS re-sends A-1 with another line: it keeps its place in the queue, with the new lines.
    await log.appendAll([{ type: 'asn.received', data: { asn: 'A-1', lines: [{ sku: 'MILK', qty: 12 }, { sku: 'YOG', qty: 6 }] } }, received('OAT', 2, 'A-1')]);
    expect(ledger.asns('open').map((a) => [a.asn, a.lines.map((l) => `${l.sku} ${l.received}/${l.expected}`).join(', ')])).toEqual([
      ['A-1', 'MILK 6/12, YOG 0/6, OAT 2/0'],
      ['A-2', 'OAT 0/4'],
    ]);
    expect(ledger.openAsnFor('OAT')?.asn).toBe('A-2');
    expect(ledger.openAsnFor('MILK')?.asn).toBe('A-1');

    await log.append({ type: 'asn.closed', data: { asn: 'A-1', lines: [], discrepancies: [] } });
    expect(ledger.asns('open').map((a) => a.asn)).toEqual(['A-2']);
    expect(ledger.asns('closed').map((a) => a.asn)).toEqual(['A-1']);
    expect(ledger.openAsnFor('MILK')).toBeUndefined();
  });

  it('a new ledger on the same log folds the history to the same answer', async () => {
    const { log, ledger } = open();
    await log.appendAll([
      { type: 'asn.received', data: { asn: 'A-1', lines: [{ sku: 'MILK', qty: 12 }] } },
      received('MILK', 6, 'A-1'),
      { type: 'task.created', data: { taskId: 't1', kind: 'count', sku: 'MILK', bin: 'A-01' } },
      { type: 'task.created', data: { taskId: 't2', kind: 'count', sku: 'OAT', bin: 'A-01' } },
      { type: 'task.completed', data: { taskId: 't1', kind: 'count' } },
      { type: 'stock.counted', data: { sku: 'MILK', bin: 'A-01', counted: 1, expected: 1, delta: 0 } },
    ]);
    const before = { asns: ledger.asns('all'), tasks: ledger.openTasks(), counted: ledger.lastCounted() };
    const again = new BackOfHouseLedger(log, () => []);
    expect({ asns: again.asns('all'), tasks: again.openTasks(), counted: again.lastCounted() }).toEqual(before);
    expect(before.tasks.map((t) => t.taskId)).toEqual(['t2']);
    expect([...before.counted.keys()]).toEqual(['A-01']);
  });

  it('a cancelled line\'s return task holds the units its picks took from the bin, per lot, with the bin\'s light', async () => {
    const { log, ledger } = open();
    await log.appendAll([
      { type: 'order.released', data: { orderId: 'O-1', lines: [{ line: 1, sku: 'MILK', qty: 3 }, { line: 2, sku: 'MILK', qty: 1 }] } },
      { type: 'stock.picked', data: { sku: 'MILK', bin: 'A-01', lot: 'L1', qty: 1, orderId: 'O-1', line: 1 } },
      { type: 'stock.picked', data: { sku: 'MILK', bin: 'A-01', lot: 'L2', qty: 1, orderId: 'O-1', line: 1 } },
      { type: 'stock.picked', data: { sku: 'MILK', bin: 'A-01', lot: 'L1', qty: 1, orderId: 'O-1', line: 2 } },
      { type: 'order.cancelled', data: { orderId: 'O-1' } },
      { type: 'task.created', data: { taskId: 'return-O-1-1', kind: 'putaway', sku: 'MILK', bin: 'A-01', reason: 'order cancelled', orderId: 'O-1' } },
    ]);
    expect(ledger.openReturns()).toEqual([
      { taskId: 'return-O-1-1', orderId: 'O-1', line: 1, sku: 'MILK', bin: 'A-01', units: [{ sku: 'MILK', lot: 'L1', qty: 1 }, { sku: 'MILK', lot: 'L2', qty: 1 }], light: { device: 'lights', address: 1 } },
    ]);
    await log.append({ type: 'task.completed', data: { taskId: 'return-O-1-1', kind: 'putaway' } });
    expect(ledger.openReturns()).toEqual([]);
  });
});
