/**
 * Shelf-life rules. An expiry date "2026-12-31" means the end of that day in the store's time
 * zone (DESIGN principle 7), so dates are compared as calendar dates in that zone, never as UTC
 * instants: a lot expiring today may still be picked today, and not tomorrow.
 *
 * @example
 *   const today = storeDate(new Date('2026-12-03T23:30:00Z'), 'Europe/Amsterdam'); // '2026-12-04'
 *   checkShelfLife({ expiry: '2026-12-10', minDays: 7, today }); // { ok: false, reason: 'shortShelfLife', daysLeft: 6 }
 */

/** The calendar date (YYYY-MM-DD) it is at `now` in `timeZone`. */
export function storeDate(now: Date, timeZone: string): string {
  let zone = zones.get(timeZone);
  if (!zone) {
    // en-CA formats as YYYY-MM-DD. Building a formatter costs more than a whole verdict: keep one per zone.
    zone = { format: new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }), minute: NaN, date: '' };
    zones.set(timeZone, zone);
  }
  // Zone offsets are whole minutes, so the date changes only on a minute boundary: format once per minute.
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== zone.minute) {
    zone.date = zone.format.format(now);
    zone.minute = minute;
  }
  return zone.date;
}
const zones = new Map<string, { format: Intl.DateTimeFormat; minute: number; date: string }>();

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export type ShelfLifeVerdict =
  | { ok: true; daysLeft: number | undefined }
  | { ok: false; reason: 'expired' | 'shortShelfLife'; daysLeft: number };

/**
 * A lot with no known expiry passes (nothing to check); an expiry before today is expired; an
 * expiry that leaves fewer than `minDays` days (today counted as day 0) is too short.
 */
export function checkShelfLife(input: { expiry: string | undefined; minDays: number; today: string }): ShelfLifeVerdict {
  if (input.expiry === undefined) return { ok: true, daysLeft: undefined };
  const daysLeft = daysBetween(input.today, input.expiry);
  if (daysLeft < 0) return { ok: false, reason: 'expired', daysLeft };
  if (daysLeft < input.minDays) return { ok: false, reason: 'shortShelfLife', daysLeft };
  return { ok: true, daysLeft };
}
