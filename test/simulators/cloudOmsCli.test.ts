import { describe, expect, it } from 'vitest';
import { startCli } from '../helpers/runCli.ts';

describe('the cloud OMS simulator from a shell', () => {
  it('starts on the given port, serves the API and the /_sim controls, and stops on Ctrl-C', async () => {
    const sim = await startCli(process.execPath, ['--import', 'tsx', 'simulators/cloud-oms/main.ts', '--port', '0', '--token', 'shop-1=s3cret'], /Ctrl-C to stop/);
    try {
      const url = /on (http:\/\/[\d.:]+)/.exec(sim.output())![1]!;
      expect(sim.output()).toContain('3000 SKUs');
      expect((await fetch(`${url}/v1/stores/shop-1/feed`)).status).toBe(401);
      const feed = (await (await fetch(`${url}/v1/stores/shop-1/feed?limit=5`, { headers: { authorization: 'Bearer s3cret' } })).json()) as { items: unknown[]; nextCursor: string };
      expect(feed.items).toHaveLength(5);
      expect(feed.nextCursor).toBe('5');
      const released = (await (await fetch(`${url}/_sim/stores/shop-1/orders`, { method: 'POST', body: '{"count":2}' })).json()) as { released: string[] };
      expect(released.released).toHaveLength(2);
    } finally {
      sim.interrupt();
      expect(await sim.exited).toBe(0);
    }
  });
});
