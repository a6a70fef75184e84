import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { startCli } from '../helpers/runCli.ts';
import { waitFor } from '../helpers/testGateway.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();

describe('npm start', () => {
  it('runs the gateway, answers /healthz, lets a device in with its secret, refuses a wrong one, and stops cleanly on Ctrl-C', async () => {
    const dir = tempDir();
    const config = join(dir, 'store.yaml');
    // The demo config's devices, on ephemeral ports (tests never bind fixed ports).
    writeFileSync(
      config,
      `store: { id: start-test }\ndataDir: ${join(dir, 'data')}\nbroker: { mode: embedded, host: 127.0.0.1, port: 0 }\nhttp: { host: 127.0.0.1, port: 0 }\n` +
        `devices:\n  - { id: scanner-pick-1, class: scanner, transport: { type: mqtt }, secret: demo-scanner-pick-1 }\n`,
    );
    const { interrupt, exited, output, child } = await startCli('npm', ['start', '--silent'], /Press Ctrl-C to stop/, { DSGW_CONFIG: config });
    const pid = child.pid!;
    try {
      const http = output().match(/HTTP\s+(http:\/\/127\.0\.0\.1:\d+)/)![1]!;
      const broker = output().match(/MQTT broker (mqtt:\/\/127\.0\.0\.1:\d+)/)![1]!;
      const health = await fetch(`${http}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', store: 'start-test' });

      const device = await mqtt.connectAsync(broker, { username: 'scanner-pick-1', password: 'demo-scanner-pick-1', reconnectPeriod: 0 });
      expect(device.connected).toBe(true);
      await device.endAsync();
      await expect(mqtt.connectAsync(broker, { username: 'scanner-pick-1', password: 'not-the-secret', reconnectPeriod: 0 })).rejects.toThrow(/Bad username or password/);
    } finally {
      interrupt();
    }
    await exited;
    // npm itself dies of the SIGINT; what matters is the gateway's clean stop and no process left behind.
    await waitFor('the gateway to print "stopped."', () => /stopped\./.test(output()));
    await waitFor('no process left in the group', () => {
      try {
        process.kill(-pid, 0);
        return false;
      } catch {
        return true;
      }
    });
  });

  it('says which port is in use and which setting changes it', async () => {
    const dir = tempDir();
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const config = join(dir, 'store.yaml');
    writeFileSync(config, `store: { id: t }\ndataDir: ${join(dir, 'data')}\nbroker: { mode: embedded, host: 127.0.0.1, port: 0 }\nhttp: { host: 127.0.0.1, port: ${port} }\n`);
    const { runCli } = await import('../helpers/runCli.ts');
    const result = await runCli(['start', '--config', config]);
    blocker.close();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`could not start: port ${port} on 127.0.0.1 is already in use`);
    expect(result.stderr).toContain('change http.port in the config');
  });
});
