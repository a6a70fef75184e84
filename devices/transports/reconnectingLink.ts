/**
 * Keeps a connection to one device open: opens it, and when it closes (unplugged, socket
 * reset, scale switched off) tries again with capped exponential backoff and jitter, forever,
 * until `stop()`. It never throws into the process; every failure becomes an offline state
 * with a reason on the device's health.
 *
 * @example
 *   const link = new ReconnectingLink({ connector, health, onData: (chunk) => framer.push(chunk), onOpen: (c) => c.write(Buffer.from('SIR\r\n')) });
 *   await link.start();
 *   await link.write(Buffer.from('Z\r\n'));
 */
import { Backoff, type BackoffOptions } from '../backoff.ts';
import type { HealthRecorder } from '../health.ts';
import type { Connection, Connector } from './connection.ts';

export interface ReconnectingLinkOptions {
  connector: Connector;
  health: HealthRecorder;
  onData: (chunk: Buffer) => void;
  /** Runs after each successful open, e.g. to start a scale's continuous output. */
  onOpen?: (connection: Connection) => void;
  /** Runs after each loss, e.g. to drop a half-received frame. */
  onLost?: () => void;
  backoff?: BackoffOptions;
}

export class ReconnectingLink {
  private connection?: Connection;
  private timer?: NodeJS.Timeout;
  private running = false;
  private readonly backoff: Backoff;

  constructor(private readonly options: ReconnectingLinkOptions) {
    this.backoff = new Backoff(options.backoff);
  }

  get isOpen(): boolean {
    return this.connection !== undefined;
  }

  /** Starts connecting; resolves after the first attempt, whether it succeeded or not. */
  async start(): Promise<void> {
    this.running = true;
    this.options.health.connecting();
    await this.attempt();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close().catch(() => undefined);
  }

  async write(bytes: Buffer): Promise<void> {
    if (!this.connection) throw new Error(`${this.options.health.what()} is not connected`);
    await this.connection.write(bytes);
  }

  private async attempt(): Promise<void> {
    if (!this.running) return;
    let connection: Connection;
    try {
      connection = await this.options.connector.open();
    } catch (err) {
      this.options.health.offline((err as Error).message);
      this.schedule();
      return;
    }
    if (!this.running) {
      await connection.close().catch(() => undefined);
      return;
    }
    this.connection = connection;
    this.backoff.reset();
    this.options.health.setAddress(connection.address);
    connection.onData((chunk) => {
      this.options.health.seen();
      this.options.onData(chunk);
    });
    connection.onClose((reason) => {
      if (this.connection !== connection) return;
      this.connection = undefined;
      this.options.onLost?.();
      this.options.health.offline(reason);
      this.schedule();
    });
    this.options.health.online();
    this.options.onOpen?.(connection);
  }

  private schedule(): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.attempt(), this.backoff.next());
  }
}
