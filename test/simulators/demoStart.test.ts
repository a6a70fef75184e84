import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/testGateway.ts';

const tempDir = useTempDir();

describe('npm start with no config: the living demo store', () => {
  it('within 30 s the summary shows orders picked and events synced, and Ctrl-C stops everything', async () => {
    const cwd = tempDir();
    // The demo keeps its data in ./data of the working folder: run it in a temp folder, on free ports.
    const child = spawn('npm', ['--prefix', process.cwd(), 'start', '--silent'], { cwd, detached: true, env: { ...process.env, DSGW_CONFIG: '', DSGW_DEMO_EPHEMERAL_PORTS: '1', DSGW_DEMO_SPEED: '20' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await waitFor('orders picked and events synced in the summary', () => {
        const picked = Number(/picked (\d+)/.exec(out.split('darkstore-gateway demo store').at(-1) ?? '')?.[1] ?? 0);
        const synced = Number(/cursor (\d+) of/.exec(out.split('darkstore-gateway demo store').at(-1) ?? '')?.[1] ?? 0);
        return picked > 0 && synced > 0;
      }, 30_000);
      expect(out).toMatch(/console\s+http:\/\/127\.0\.0\.1:\d+\/console\?token=demo-admin-token-change-me/);
      expect(out).toMatch(/mistakes\s+wrongItem/);
      // The devices on their transports, as the summary lists them.
      await waitFor('the devices with their transports, online', () => /scanner-pick-1\s+serial \/dev\/pts\/\d+\s+online/.test(out) && /scale-pack-1\s+serial \/dev\/pts\/\d+ \(MT-SICS\)\s+online/.test(out) && /printer-pack-1\s+tcp 127\.0\.0\.1:\d+\s+online/.test(out), 10_000);
      expect(out).toMatch(/lights-pick-1\s+mqtt\s+online/);
    } finally {
      process.kill(-child.pid!, 'SIGINT');
    }
    await exited;
    await waitFor('"stopped." after Ctrl-C', () => /stopped\./.test(out), 10_000);
  }, 60_000);
});
