import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { WeightEvent } from '../../../devices/driver.ts';
import { TcpScaleSimulator } from '../../../simulators/tcpScale.ts';
import { waitFor } from '../../helpers/testGateway.ts';
import { useRegistry } from '../deviceHarness.ts';

describe('scales and scanners over real TCP', () => {
  const harness = useRegistry();

  it('MT-SICS over TCP: weights, tare, and back online within 2 s after the scale returns to the network', async () => {
    const scale = new TcpScaleSimulator({ protocol: 'mt-sics' });
    harness.cleanup(() => scale.close());
    const port = await scale.open();
    const { registry, recorded } = await harness.start([
      { id: 'scale-t', class: 'scale', protocol: 'mt-sics', transport: { type: 'tcp', host: '127.0.0.1', port }, scale: { pollMs: 100 } },
    ]);
    const weights = () => recorded.events.map((e) => e.event as WeightEvent);
    scale.setWeight(980.25);
    await waitFor('980.25 g', () => weights().find((w) => w.grams === 980.25 && w.stable));
    await registry.send('scale-t', { kind: 'tare' });
    expect(scale.received).toContain('T');
    expect(registry.health('scale-t')).toMatchObject({ state: 'online', address: `127.0.0.1:${port}` });

    await scale.close();
    await waitFor('offline', () => registry.health('scale-t')?.state === 'offline');
    expect(recorded.status.at(-1)).toMatchObject({ online: false });
    await new Promise((r) => setTimeout(r, 1500));
    scale.setWeight(10);
    await scale.open();
    await waitFor('online again', () => registry.health('scale-t')?.state === 'online', 2000);
    await waitFor('weight after return', () => weights().find((w) => w.grams === 10));
    expect(recorded.status.map((s) => s.online)).toEqual([true, false, true]);
  });

  it('a refused connection is offline with the reason; a tare while offline says so', async () => {
    // Take a free port, then close it so nothing listens there.
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const { registry } = await harness.start([{ id: 'scale-x', class: 'scale', protocol: 'mt-sics', transport: { type: 'tcp', host: '127.0.0.1', port } }]);
    await waitFor('offline', () => registry.health('scale-x')?.state === 'offline');
    expect(registry.health('scale-x')!.lastError!.reason).toBe(`cannot connect to 127.0.0.1:${port}: ECONNREFUSED`);
    await expect(registry.send('scale-x', { kind: 'tare' })).rejects.toThrow(/scale "scale-x" on 127.0.0.1:\d+: cannot send tare: .* is not connected/);
  });

  it('a network line scanner over TCP', async () => {
    const sockets: import('node:net').Socket[] = [];
    const server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    harness.cleanup(() => new Promise<void>((r) => { sockets.forEach((s) => s.destroy()); server.close(() => r()); }));
    const port = (server.address() as { port: number }).port;
    const { registry, recorded } = await harness.start([{ id: 'scanner-t', class: 'scanner', transport: { type: 'tcp', host: '127.0.0.1', port, delimiter: '\\r' } }]);
    await waitFor('online', () => registry.health('scanner-t')?.state === 'online');
    await waitFor('socket', () => sockets[0]);
    sockets[0]!.write('BIN-A-01-01\r');
    const { event } = await waitFor('scan', () => recorded.events[0]);
    expect(event).toMatchObject({ kind: 'scan', data: 'BIN-A-01-01', barcode: { storeLabel: { kind: 'bin' } } });
  });
});
