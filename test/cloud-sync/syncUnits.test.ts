import { describe, expect, it } from 'vitest';
import { Backoff } from '../../cloud-sync/backoff.ts';
import { parseRetryAfter } from '../../cloud-sync/errors.ts';
import { formatDuration, SyncHealth } from '../../cloud-sync/syncHealth.ts';

describe('sync building blocks', () => {
  it.each([
    [12_000, '12s'],
    [4 * 60_000 + 5000, '4m'],
    [(3 * 60 + 12) * 60_000, '3h12m'],
    [(50 * 60 + 1) * 60_000, '2d2h'],
  ])('formats %i ms as %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('backs off exponentially with jitter, capped, and honours Retry-After', () => {
    const b = new Backoff({ baseMs: 100, maxMs: 1000, random: () => 1 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(b.next(2500)).toBe(2500);
    b.reset();
    expect(b.next()).toBe(100);
    const jittered = new Backoff({ baseMs: 100, maxMs: 1000, random: () => 0.5 });
    expect(jittered.next()).toBe(50);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(61_000).toUTCString(), 1000)).toBe(60_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('reports the OMS clock skew and when the OMS stopped answering, durably', () => {
    const kv = new Map<string, string>();
    const state = { get: (k: string) => kv.get(k), set: (k: string, v: string) => void kv.set(k, v) };
    let now = Date.parse('2026-12-03T10:00:00Z');
    const health = new SyncHealth(state, 'http', () => now);
    health.succeeded(now + 3_600_000);
    expect(health.record.clockSkewMs).toBe(3_600_000);
    health.failed(new Error('ECONNREFUSED'));
    now += (3 * 60 + 12) * 60_000;
    health.failed(new Error('ECONNREFUSED'));
    expect(formatDuration(health.unreachableForMs()!)).toBe('3h12m');
    // A restarted gateway remembers since when the cloud has been away.
    expect(new SyncHealth(state, 'http', () => now).unreachableForMs()).toBe((3 * 60 + 12) * 60_000);
  });
});
