import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/runCli.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();

describe('npm start with the simulated OMS beside it', () => {
  it('events reach the OMS and `sync status` says so', async () => {
    const dir = tempDir();
    const sim = await startCli(process.execPath, ['--import', 'tsx', 'simulators/cloud-oms/main.ts', '--port', '0', '--token', 'start-test=tok-123'], /Ctrl-C to stop/);
    try {
      const url = /on (http:\/\/[\d.:]+)/.exec(sim.output())![1]!;
      const config = join(dir, 'store.yaml');
      writeFileSync(
        config,
        `store: { id: start-test }\ndataDir: ${join(dir, 'data')}\nbroker: { mode: embedded, host: 127.0.0.1, port: 0 }\nhttp: { host: 127.0.0.1, port: 0 }\n` +
          `cloud: { url: "${url}", token: tok-123, intervals: { pushMs: 200, pullMs: 200 }, feedPageSize: 1000 }\n`,
      );
      const gateway = await startCli('npm', ['start', '--silent'], /Press Ctrl-C to stop/, { DSGW_CONFIG: config });
      try {
        expect(gateway.output()).toContain(`cloud sync  ${url} over http`);
        await fetch(`${url}/_sim/stores/start-test/orders`, { method: 'POST', body: '{"count":3}' });
        // The catalog (3,000 items) and the orders come down as log events and go back up as the store's events.
        let status = '';
        for (let i = 0; i < 150; i++) {
          status = (await runCli(['sync', 'status', '--config', config])).stdout;
          const m = /push cursor\s+(\d+) of (\d+) \(backlog 0 events\)/.exec(status);
          if (m && Number(m[1]) >= 3003) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        expect(status).toMatch(/push cursor\s+3003 of 3003 \(backlog 0 events\)/);
        expect(status).toMatch(/last success\s+20\d\d-\S+ \(\d+s ago\)/);
        const held = (await (await fetch(`${url}/_sim/stores/start-test/events`)).json()) as { count: number; maxSeq: number };
        expect(held).toEqual({ count: 3003, maxSeq: 3003 });
      } finally {
        gateway.interrupt();
        await gateway.exited;
      }
      // npm itself dies of the SIGINT; the gateway stops cleanly (sync included) and says so.
      for (let i = 0; i < 100 && !/stopped\./.test(gateway.output()); i++) await new Promise((r) => setTimeout(r, 50));
      expect(gateway.output()).toMatch(/stopped\./);
    } finally {
      sim.interrupt();
      await sim.exited;
    }
  }, 60_000);
});
