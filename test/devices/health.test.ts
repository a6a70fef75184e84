/**
 * Device health as an operator reads it in the logs: a device that fails the same way on every
 * poll, or flips between failing and answering, gets a line a minute, not ten a second.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HealthRecorder } from '../../devices/health.ts';

function recorder() {
  const lines: Array<{ level: string; msg: string; fields: Record<string, unknown> }> = [];
  const at = (level: string) => (fields: object, msg: string) => void lines.push({ level, msg, fields: fields as Record<string, unknown> });
  const statuses: boolean[] = [];
  const health = new HealthRecorder({
    deviceId: 'eye-1',
    driver: 'sensor over tcp (modbus)',
    address: '10.0.0.30:502',
    sink: { event: () => undefined, status: (_id, online) => void statuses.push(online) },
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
  });
  health.online();
  lines.length = 0;
  return { health, lines, statuses };
}

describe('device health logging', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-12-04T10:00:00Z'), toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());

  it('logs a module that stopped answering once, counts every failed poll, and logs its return', () => {
    const { health, lines } = recorder();
    for (let i = 0; i < 50; i++) {
      health.error('no reply from unit 3 within 200 ms');
      vi.advanceTimersByTime(100);
    }
    expect(lines.map((l) => `${l.level} ${l.msg}`)).toEqual(['warn sensor "eye-1" on 10.0.0.30:502: no reply from unit 3 within 200 ms']);
    expect(health.snapshot()).toMatchObject({ state: 'error', lastError: { reason: 'no reply from unit 3 within 200 ms', at: '2026-12-04T10:00:04.900Z' } });
    health.answered();
    expect(lines.at(-1)).toMatchObject({ level: 'info', msg: 'sensor "eye-1" on 10.0.0.30:502 answers again' });
    expect(health.state).toBe('online');
  });

  it('a flaky device gets at most a warning and its recovery a minute, and the next warning says how many it skipped', () => {
    const { health, lines } = recorder();
    for (let i = 0; i < 30; i++) {
      health.error('no reply from unit 3 within 200 ms');
      vi.advanceTimersByTime(1000);
      health.answered();
      vi.advanceTimersByTime(1000);
    }
    // Each failure and each recovery still shows in device health; the log has the first of each.
    expect(lines.map((l) => l.level)).toEqual(['warn', 'info']);
    vi.advanceTimersByTime(1000);
    health.error('no reply from unit 3 within 200 ms');
    expect(lines.at(-1)).toMatchObject({ level: 'warn', fields: { repeats: 29 } });
    expect(lines.at(-1)!.msg).toMatch(/no reply from unit 3 within 200 ms \(29 more like the last since 2026-12-04T10:00:00\.000Z\)$/);
    health.answered();
    expect(lines.map((l) => l.level)).toEqual(['warn', 'info', 'warn', 'info']);
  });

  it('another error is news at once', () => {
    const { health, lines } = recorder();
    health.error('no reply from unit 3 within 200 ms');
    health.error('illegal data address 0x02');
    expect(lines.map((l) => l.fields.reason)).toEqual(['no reply from unit 3 within 200 ms', 'illegal data address 0x02']);
  });
});
