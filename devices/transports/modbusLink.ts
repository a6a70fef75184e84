/**
 * A Modbus master that stays connected: Modbus RTU over a serial line (RS-485) or Modbus TCP,
 * through the `modbus-serial` package. Requests go out one at a time (an RS-485 line carries
 * one transaction at a time, and modbus-serial's RTU client is not safe for overlapping
 * requests); when the port or socket goes away the link reconnects with backoff and tells its
 * owner, so lights can be restored and sensors re-polled.
 *
 * @example
 *   const link = new ModbusLink({ transport: { type: 'tcp', host: '127.0.0.1', port: 5020 }, timeoutMs: 300, what: 'lights "aisle-3"' });
 *   link.onOpen((again) => again && console.log('back'));
 *   await link.start();
 *   await link.writeRegisters(12, 0, [2, 1, 0]); // unit 12, from register 0
 *   const [buttons] = await link.readHoldingRegisters(12, 16, 1);
 */
import { createRequire } from 'node:module';
import type ModbusSerial from 'modbus-serial';
import type { DeviceConfig } from '../../config/schema.ts';
import { Backoff } from '../backoff.ts';

export type ModbusTransport = Extract<DeviceConfig['transport'], { type: 'serial' } | { type: 'tcp' }>;

export interface ModbusLinkOptions {
  transport: ModbusTransport;
  /** How long a unit may take to answer before the request fails. */
  timeoutMs: number;
  /** For messages, e.g. 'lights "aisle-3"'. */
  what: string;
}

/** A Modbus request failed: `kind` says whether the unit answered with an exception, stayed silent or the link is down. */
export class ModbusError extends Error {
  override readonly name = 'ModbusError';
  constructor(
    message: string,
    readonly kind: 'exception' | 'timeout' | 'offline',
    readonly unit: number,
  ) {
    super(message);
  }
}

// modbus-serial is CommonJS whose module.exports is the client class itself.
const ModbusRTU = createRequire(import.meta.url)('modbus-serial') as typeof ModbusSerial.default;
type Client = InstanceType<typeof ModbusSerial.default>;

export class ModbusLink {
  private client?: Client;
  private queue: Promise<unknown> = Promise.resolve();
  private running = false;
  private timer?: NodeJS.Timeout;
  private openedBefore = false;
  private readonly backoff = new Backoff({ initialMs: 100, maxMs: 1000 });
  private readonly openListeners = new Set<(again: boolean) => void>();
  private readonly lostListeners = new Set<(reason: string) => void>();

  constructor(private readonly options: ModbusLinkOptions) {}

  /** "/dev/ttyUSB0 (Modbus RTU 19200 baud)" or "10.0.0.9:502 (Modbus TCP)". */
  get address(): string {
    const t = this.options.transport;
    return t.type === 'tcp' ? `${t.host}:${t.port} (Modbus TCP)` : `${t.path ?? 'serial'} (Modbus RTU ${t.baudRate} baud)`;
  }

  get isOpen(): boolean {
    this.noticeSilentClose();
    return this.client?.isOpen ?? false;
  }

  /**
   * modbus-serial's TCP port reports an error and then never emits "close" for the same socket,
   * so a client that says it is no longer open counts as lost here too.
   */
  private noticeSilentClose(): void {
    if (this.client && !this.client.isOpen) this.lose?.('the connection closed');
  }
  private lose?: (reason: string) => void;

  /** `again` is false on the first connection and true after each outage. */
  onOpen(listener: (again: boolean) => void): void {
    this.openListeners.add(listener);
  }

  onLost(listener: (reason: string) => void): void {
    this.lostListeners.add(listener);
  }

  /** Starts connecting; resolves after the first attempt, whether or not it succeeded. */
  async start(): Promise<void> {
    this.running = true;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    if (client?.isOpen) await new Promise<void>((resolve) => client.close(() => resolve()));
  }

  readHoldingRegisters(unit: number, register: number, count: number): Promise<number[]> {
    return this.request(unit, `read ${count} holding register(s) at ${register}`, async (c) => (await c.readHoldingRegisters(register, count)).data);
  }

  readInputRegisters(unit: number, register: number, count: number): Promise<number[]> {
    return this.request(unit, `read ${count} input register(s) at ${register}`, async (c) => (await c.readInputRegisters(register, count)).data);
  }

  async writeRegisters(unit: number, register: number, values: number[]): Promise<void> {
    await this.request(unit, `write ${values.length} register(s) at ${register}`, (c) => c.writeRegisters(register, values));
  }

  private request<T>(unit: number, what: string, run: (client: Client) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      this.noticeSilentClose();
      const client = this.client;
      if (!client?.isOpen) throw new ModbusError(`${this.options.what} on ${this.address}: cannot ${what} on unit ${unit}: the link is down; check the cable or the Modbus gateway`, 'offline', unit);
      client.setID(unit);
      try {
        return await run(client);
      } catch (err) {
        throw this.explain(err as Error & { modbusCode?: number; errno?: string }, unit, what);
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private explain(err: Error & { modbusCode?: number; errno?: string }, unit: number, what: string): ModbusError {
    const where = `${this.options.what} on ${this.address}, unit ${unit}`;
    if (err.modbusCode !== undefined) {
      return new ModbusError(`${where}: ${what} refused with ${err.message}; check the register map against the device's manual`, 'exception', unit);
    }
    if (err.errno === 'ETIMEDOUT' || /timed out/i.test(err.message)) {
      return new ModbusError(`${where}: no answer to "${what}" within ${this.options.timeoutMs} ms; check the unit id, its power and the bus termination`, 'timeout', unit);
    }
    return new ModbusError(`${where}: ${what} failed: ${err.message}`, 'offline', unit);
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    const client = new ModbusRTU();
    const t = this.options.transport;
    try {
      if (t.type === 'tcp') await client.connectTCP(t.host, { port: t.port });
      else {
        if (!t.path) throw new Error('a Modbus RTU line needs transport.path (match by USB id is not supported for Modbus)');
        await client.connectRTUBuffered(t.path, { baudRate: t.baudRate, dataBits: t.dataBits, stopBits: t.stopBits, parity: t.parity });
      }
    } catch (err) {
      this.scheduleReconnect(`cannot open ${this.address}: ${(err as Error).message}`);
      return;
    }
    if (!this.running) {
      client.close(() => undefined);
      return;
    }
    client.setTimeout(this.options.timeoutMs);
    this.client = client;
    this.backoff.reset();
    const lost = (reason: string) => {
      if (this.client !== client) return;
      this.client = undefined;
      this.lose = undefined;
      this.scheduleReconnect(reason);
    };
    this.lose = lost;
    client.on('close', () => lost(`${this.address} closed`));
    client.on('error', (err: unknown) => lost(`${this.address}: ${(err as Error).message}`));
    const again = this.openedBefore;
    this.openedBefore = true;
    for (const listener of this.openListeners) listener(again);
  }

  private scheduleReconnect(reason: string): void {
    for (const listener of this.lostListeners) listener(reason);
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), this.backoff.next());
  }
}
