import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventLog } from '../../gateway/log/eventLog.ts';
import { startCloudOms } from '../../simulators/cloud-oms/cloudOms.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
const store = 'crash-store';

function startChild(dataDir: string, url: string, mode: 'busy' | 'drain'): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/syncingGateway.ts', dataDir, url, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
    child.on('exit', (code, signal) => signal !== 'SIGKILL' && reject(new Error(`gateway child exited (${code}) before ready: ${stderr}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('cloud sync through SIGKILL', () => {
  it('killed at random points during a busy sync and restarted: the OMS holds exactly the log, each event once, in order', async () => {
    const dataDir = tempDir();
    // Replies lost now and then make the crash window wider: applied by the OMS, not yet acknowledged here.
    const oms = await startCloudOms({ port: 0, catalogSize: 30, faults: { seed: 11, rates: { replyLost: 0.05, error5xx: 0.03 } } });
    try {
      let orders = 0;
      for (let round = 0; round < 6; round++) {
        oms.releaseOrders(store, 3);
        orders += 3;
        const child = await startChild(dataDir, oms.url, 'busy');
        await new Promise((r) => setTimeout(r, 250 + Math.random() * 700));
        await kill(child);
      }
      oms.faults.clear();
      const child = await startChild(dataDir, oms.url, 'drain');
      try {
        const log = EventLog.open({ file: join(dataDir, 'gateway.db'), readonly: true });
        try {
          const deadline = Date.now() + 20_000;
          while ((oms.db.heldCount(store) !== log.count() || log.query({ type: 'order.released', limit: 1000 }).length < orders) && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 100));
          }
          const held = oms.db.heldEvents(store);
          const events = log.readAfter(0, 1_000_000);
          expect(events.length).toBeGreaterThan(1000);
          expect(held.map((h) => `${h.seq}:${h.id}`)).toEqual(events.map((e) => `${e.seq}:${e.id}`));
          expect(held.every((h, i) => i === 0 || h.arrival > held[i - 1]!.arrival)).toBe(true);
          expect(held.every((h) => h.status === 'accepted')).toBe(true);
          // The re-sends did happen (the case this test is about), and changed nothing.
          expect(oms.db.duplicatesReceived).toBeGreaterThan(0);
          // Every released order is on the floor exactly once, though feed pages were cut by the kills.
          const released = log.query({ type: 'order.released', limit: 1000 }).map((e) => (e.data as { orderId: string }).orderId);
          expect(released).toHaveLength(orders);
          expect(new Set(released).size).toBe(orders);
        } finally {
          log.close();
        }
      } finally {
        await kill(child);
      }
    } finally {
      await oms.stop();
    }
  }, 90_000);
});
