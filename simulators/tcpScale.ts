/**
 * A network scale (or a scale behind a serial-to-Ethernet converter) on a real TCP port on
 * loopback. `close()` takes it off the network, dropping the gateway's connection; `open()`
 * brings it back on the same port.
 *
 * @example
 *   const scale = new TcpScaleSimulator({ protocol: 'mt-sics' });
 *   const port = await scale.open(); // gateway config: { type: tcp, host: 127.0.0.1, port }
 *   scale.setWeight(412.5);
 */
import { createServer, type Server, type Socket } from 'node:net';
import { ScaleBehaviour, type ScaleBehaviourOptions } from './scaleBehaviour.ts';

export class TcpScaleSimulator {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly behaviours = new Set<ScaleBehaviour>();
  private weight = { grams: 0, stable: true };
  port = 0;
  /** Commands received over all connections. */
  readonly received: string[] = [];
  nextReply?: string;

  constructor(private readonly options: ScaleBehaviourOptions & { host?: string; port?: number }) {
    this.port = options.port ?? 0;
  }

  setWeight(grams: number, stable = true): void {
    this.weight = { grams, stable };
    for (const b of this.behaviours) b.setWeight(grams, stable);
  }

  async open(): Promise<number> {
    const server = createServer((socket) => {
      this.sockets.add(socket);
      const behaviour = new ScaleBehaviour(this.options, (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      });
      behaviour.setWeight(this.weight.grams, this.weight.stable);
      this.behaviours.add(behaviour);
      socket.on('data', (chunk) => {
        if (this.nextReply !== undefined) {
          behaviour.nextReply = this.nextReply;
          this.nextReply = undefined;
        }
        const before = behaviour.received.length;
        behaviour.receive(chunk);
        this.received.push(...behaviour.received.slice(before));
      });
      socket.on('error', () => undefined);
      socket.on('close', () => {
        behaviour.stop();
        this.behaviours.delete(behaviour);
        this.sockets.delete(socket);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.options.host ?? '127.0.0.1', () => resolve());
    });
    this.server = server;
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : this.port;
    return this.port;
  }

  /** Off the network: stop listening and drop every connection. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    for (const b of this.behaviours) b.stop();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
