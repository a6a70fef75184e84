import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/testGateway.ts';
import { appendMovements, store, useSyncHarness } from './syncHarness.ts';

const harness = useSyncHarness();
const tempDir = useTempDir();

/** A private CA and a server certificate for 127.0.0.1 signed by it, made with openssl. */
function privatePki(dir: string): { caFile: string; cert: Buffer; key: Buffer } {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Test OMS CA', '-keyout', 'ca.key', '-out', 'ca.pem');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'oms.key', '-out', 'oms.csr');
  const ext = join(dir, 'ext.cnf');
  execFileSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1\\n' > ${ext}`]);
  run('x509', '-req', '-in', 'oms.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', ext, '-out', 'oms.pem');
  return { caFile: join(dir, 'ca.pem'), cert: readFileSync(join(dir, 'oms.pem')), key: readFileSync(join(dir, 'oms.key')) };
}

describe('cloud sync TLS and clocks', () => {
  it('speaks https to an OMS whose certificate comes from a private CA given as cloud.caFile, and refuses it without', async () => {
    const pki = privatePki(tempDir());
    const oms = await harness.oms({ tls: { cert: pki.cert, key: pki.key }, seedCatalog: false });
    expect(oms.url).toMatch(/^https:/);
    const trusting = await harness.gateway(oms.url, { caFile: pki.caFile });
    await appendMovements(trusting, oms, 5);
    await waitFor('the push over TLS', () => oms.db.heldCount(store) === 5, 10_000);

    const untrusting = await harness.gateway(oms.url);
    const error = await waitFor('a TLS error', () => untrusting.sync!.status().lastError, 10_000);
    expect(error).toMatch(/not trusted: set cloud\.caFile/);
  });

  it('reports an OMS clock far off, and still orders by seq', async () => {
    const oms = await harness.oms({ seedCatalog: false, clockOffsetMs: -2 * 3_600_000 });
    const gateway = await harness.gateway(oms.url);
    await appendMovements(gateway, oms, 20);
    await waitFor('push', () => gateway.sync!.status().backlog === 0 && gateway.sync!.status().clockSkewMs !== undefined, 5000);
    expect(Math.round(gateway.sync!.status().clockSkewMs! / 60_000)).toBe(-120);
    expect(oms.db.heldEvents(store).map((e) => e.seq)).toEqual(gateway.log.readAfter(0, 100).map((e) => e.seq));
    const metrics = await (await fetch(`${gateway.http.url}/metrics`)).text();
    expect(metrics).toMatch(/dsgw_sync_clock_skew_seconds -7\d\d\d/);
  });
});
