/**
 * The gateway of the demo store, run as a child process (`darkstore-gateway start --config F`),
 * so a fault can kill it with SIGKILL, as a power cut or the kernel's OOM killer would, and
 * start it again on the same data. The demo talks to it the way anything outside would: its
 * admin API over HTTP and its MQTT broker.
 *
 * @example
 *   const gw = await GatewayProcess.start({ configFile: 'data/store.yaml', logFile: 'data/gateway.log', httpUrl: 'http://127.0.0.1:8080', token: 'demo-admin-token-change-me' });
 *   const status = await gw.api('/api/v1/sync');
 *   await gw.kill();      // SIGKILL: no goodbye, no flush
 *   await gw.restart();   // the same config, data and ports
 *   await gw.stop();      // SIGTERM: a clean stop
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/darkstore-gateway.js', import.meta.url));

export interface GatewayProcessOptions {
  configFile: string;
  /** Where the child's output goes: its start banner and its JSON log lines. */
  logFile: string;
  /** The gateway's HTTP address, as its config sets it (the port must be fixed, not 0). */
  httpUrl: string;
  /** An API token the demo uses to read the gateway (the config's admin token). */
  token: string;
  /** How long a start may take before it counts as failed (default 60 s). */
  readyTimeoutMs?: number;
}

export class GatewayProcess {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  private readonly log: WriteStream;
  /** The last lines the child wrote, to explain a failed start. */
  private tail: string[] = [];
  /** Exits we did not ask for (a crash), for the demo's problem list. */
  readonly unexpectedExits: string[] = [];
  private expectingExit = false;
  /** How many times the gateway was started (1 = the first start). */
  starts = 0;

  private constructor(private readonly options: GatewayProcessOptions) {
    this.log = createWriteStream(options.logFile, { flags: 'a' });
  }

  static async start(options: GatewayProcessOptions): Promise<GatewayProcess> {
    const gateway = new GatewayProcess(options);
    try {
      await gateway.spawnAndWait();
    } catch (err) {
      gateway.log.end();
      throw err;
    }
    return gateway;
  }

  get httpUrl(): string {
    return this.options.httpUrl;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** GET (or another method) on the admin API; throws with the API's own error text. */
  async api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
    const res = await fetch(`${this.options.httpUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${this.options.token}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json().catch(() => ({}))) as T & { error?: string };
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: HTTP ${res.status} ${body.error ?? ''}`.trim());
    return body;
  }

  /** SIGKILL: the process dies at once, mid-commit or mid-publish, as in a power cut. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** Starts the gateway again on the same config, data and ports. */
  async restart(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) await this.signal('SIGTERM');
    await this.spawnAndWait();
  }

  /** SIGTERM and wait for the clean stop; SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
      await this.signal('SIGTERM');
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => this.log.end(resolve));
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    if (!this.child) return;
    this.expectingExit = true;
    this.child.kill(signal);
    await this.exited;
  }

  private async spawnAndWait(): Promise<void> {
    this.expectingExit = false;
    this.tail = [];
    this.starts += 1;
    const child = spawn(process.execPath, [bin, 'start', '--config', this.options.configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DSGW_CONFIG: '' },
      // Its own process group: Ctrl-C reaches the demo, which stops the gateway once, in order.
      detached: true,
    });
    this.child = child;
    // If the demo itself exits without stopping it, the gateway must not live on holding its ports.
    const orphanGuard = () => child.kill('SIGKILL');
    process.once('exit', orphanGuard);
    child.once('exit', () => process.off('exit', orphanGuard));
    const keep = (chunk: Buffer) => {
      this.log.write(chunk);
      this.tail.push(...chunk.toString().split('\n').filter(Boolean));
      if (this.tail.length > 20) this.tail = this.tail.slice(-20);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        if (!this.expectingExit) this.unexpectedExits.push(`the gateway process exited by itself (${signal ?? `code ${code}`}); last output: ${this.tail.slice(-3).join(' | ')}`);
        resolve(code);
      }),
    );
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 60_000);
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the gateway exited before it was ready (${child.signalCode ?? `code ${child.exitCode}`}): ${this.tail.slice(-5).join('\n')}`);
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the gateway was not ready within ${(this.options.readyTimeoutMs ?? 60_000) / 1000} s; see ${this.options.logFile}`);
      }
      const ready = await fetch(`${this.options.httpUrl}/readyz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
      if (ready) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A TCP port free on 127.0.0.1 now (the OS picks it), for a process that needs a fixed port it can restart on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
