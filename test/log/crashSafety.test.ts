import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventLog } from '../../gateway/log/eventLog.ts';
import { rebuildProjections } from '../../gateway/log/rebuild.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();

/** Runs the append stream in a child process and SIGKILLs it once `acks` appends are acknowledged. */
function appendThenKill(file: string, durability: string, acks: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/appendStream.ts', file, durability], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged: string[] = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      acknowledged.push(...lines);
      if (acknowledged.length >= acks && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(acknowledged) : reject(new Error(`child exited on its own: ${stderr}`))));
  });
}

describe('event log crash safety', () => {
  it.each(['normal', 'full'])('loses nothing acknowledged when the process is killed mid-stream (durability %s)', async (durability) => {
    const file = join(tempDir(), 'gateway.db');
    const acknowledged = await appendThenKill(file, durability, 3000);
    expect(acknowledged.length).toBeGreaterThanOrEqual(3000);

    const log = EventLog.open({ file });
    const missing = acknowledged.filter((id) => log.getById(id) === undefined);
    expect(missing).toEqual([]);
    // The log may hold a few more than were acknowledged (committed, not yet printed): never fewer.
    expect(log.count()).toBeGreaterThanOrEqual(acknowledged.length);
    // seqs are dense: no hole where a commit was torn.
    expect(log.lastSeq()).toBe(log.count());
    expect(rebuildProjections(log).differences).toEqual([]);
    log.close();
  });
});
