/**
 * A real pseudo-terminal pair from socat: the gateway opens one end as if it were
 * /dev/ttyUSB0, a simulator writes to the other. `unplug()` kills socat (both links vanish, the
 * gateway's port closes with `disconnected: true`, as a pulled USB adapter does); `replug()`
 * starts it again under the same link names.
 *
 * @example
 *   const pty = new PtyPair('/tmp/dsgw-scanner');  // links /tmp/dsgw-scanner (gateway) and /tmp/dsgw-scanner.device
 *   await pty.start();
 *   await pty.unplug(); await pty.replug();
 *   await pty.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export class PtyPair {
  /** The end the gateway opens. */
  readonly gatewayPath: string;
  /** The end the simulated device writes to. */
  readonly devicePath: string;
  private socat?: ChildProcess;

  constructor(link: string) {
    this.gatewayPath = link;
    this.devicePath = `${link}.device`;
  }

  async start(): Promise<void> {
    if (this.socat) return;
    const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.gatewayPath}`, `pty,raw,echo=0,link=${this.devicePath}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.socat = socat;
    let stderr = '';
    socat.stderr!.on('data', (d) => (stderr += d));
    const spawnError = new Promise<never>((_, reject) => socat.once('error', (err) => reject(new Error(`cannot run socat (${err.message}); install the Debian package socat`))));
    const deadline = Date.now() + 5000;
    while (!existsSync(this.gatewayPath) || !existsSync(this.devicePath) || !stderr.includes('starting data transfer loop')) {
      if (socat.exitCode !== null) throw new Error(`socat exited (${socat.exitCode}): ${stderr.trim()}`);
      if (Date.now() > deadline) throw new Error(`socat did not create ${this.gatewayPath} within 5 s: ${stderr.trim()}`);
      await Promise.race([new Promise((r) => setTimeout(r, 20)), spawnError]);
    }
  }

  /** Pulls the cable: socat dies, the pty links vanish. */
  async unplug(): Promise<void> {
    const socat = this.socat;
    this.socat = undefined;
    if (!socat || socat.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      socat.once('exit', () => resolve());
      socat.kill('SIGTERM');
    });
    const deadline = Date.now() + 2000;
    while ((existsSync(this.gatewayPath) || existsSync(this.devicePath)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }

  /** Plugs it back in under the same names. */
  async replug(): Promise<void> {
    await this.start();
  }

  async stop(): Promise<void> {
    await this.unplug();
  }
}
