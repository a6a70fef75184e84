import { describe, expect, it } from 'vitest';
import { checkShelfLife, daysBetween, storeDate } from '../../gateway/workflows/shelfLife.ts';

describe('storeDate: the calendar date in the store, not in UTC', () => {
  it.each([
    ['2026-12-03T23:30:00Z', 'Europe/Amsterdam', '2026-12-04'],
    ['2026-12-03T22:59:59Z', 'Europe/Amsterdam', '2026-12-03'],
    ['2026-12-03T23:30:00Z', 'UTC', '2026-12-03'],
    ['2026-12-04T03:00:00Z', 'America/New_York', '2026-12-03'],
    ['2026-12-31T15:00:00Z', 'Asia/Tokyo', '2027-01-01'],
    ['2026-03-29T01:30:00Z', 'Europe/Amsterdam', '2026-03-29'],
  ])('%s in %s is %s', (instant, zone, date) => {
    expect(storeDate(new Date(instant), zone)).toBe(date);
  });
});

describe('daysBetween', () => {
  it.each([
    ['2026-12-03', '2026-12-03', 0],
    ['2026-12-03', '2026-12-04', 1],
    ['2026-12-03', '2026-12-02', -1],
    ['2026-12-31', '2027-01-01', 1],
    ['2028-02-28', '2028-03-01', 2],
    ['2026-03-28', '2026-03-30', 2],
  ])('%s to %s is %i days', (a, b, n) => expect(daysBetween(a, b)).toBe(n));
});

describe('checkShelfLife', () => {
  const today = '2026-12-03';
  it.each([
    ['no expiry known passes', undefined, 5, { ok: true, daysLeft: undefined }],
    ['expiring today still passes without a minimum', '2026-12-03', 0, { ok: true, daysLeft: 0 }],
    ['expired yesterday', '2026-12-02', 0, { ok: false, reason: 'expired', daysLeft: -1 }],
    ['expired long ago, even with a minimum', '2025-01-01', 5, { ok: false, reason: 'expired', daysLeft: -701 }],
    ['exactly the minimum passes', '2026-12-08', 5, { ok: true, daysLeft: 5 }],
    ['one day short of the minimum', '2026-12-07', 5, { ok: false, reason: 'shortShelfLife', daysLeft: 4 }],
    ['expiring today with a minimum of 1', '2026-12-03', 1, { ok: false, reason: 'shortShelfLife', daysLeft: 0 }],
    ['far in the future', '2027-06-01', 30, { ok: true, daysLeft: 180 }],
  ])('%s', (_name, expiry, minDays, verdict) => {
    expect(checkShelfLife({ expiry, minDays, today })).toEqual(verdict);
  });
});
