import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/testGateway.ts';
import { ptyLink, useRegistry } from './deviceHarness.ts';

describe('simulator CLI', () => {
  const harness = useRegistry();

  it('`npm run simulate -- serial-scanner` scans what is typed into it', async () => {
    const link = ptyLink('cli-scanner');
    const child = spawn('npx', ['tsx', 'simulators/cli.ts', 'serial-scanner', '--link', link], { stdio: ['pipe', 'pipe', 'pipe'] });
    harness.cleanup(async () => {
      child.stdin.end();
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    await waitFor('simulator ready', () => out.includes('serial scanner ready'), 20_000);
    expect(out).toContain(`the gateway opens ${link}`);
    const { registry, recorded } = await harness.start([{ id: 'scanner-cli', class: 'scanner', transport: { type: 'serial', path: link } }]);
    await waitFor('online', () => registry.health('scanner-cli')?.state === 'online');
    child.stdin.write('TOTE-0042\n');
    const { event } = await waitFor('scan', () => recorded.events[0]);
    expect(event).toMatchObject({ kind: 'scan', data: 'TOTE-0042', barcode: { storeLabel: { kind: 'tote', id: '0042' } } });
  });
});
