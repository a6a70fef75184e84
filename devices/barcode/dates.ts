/** GS1 dates: YYMMDD with the century rule (GenSpecs 7.12), day 00, and times. */
import { ValueProblem } from './errors.ts';

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * GenSpecs 7.12: a two-digit year is read in the 100-year window that runs from 49 years back
 * to 50 years ahead of the current year, so a 2026 scanner reads 76 as 2076 and 77 as 1977.
 */
export function resolveCentury(yy: number, now: Date): number {
  const current = now.getUTCFullYear();
  const currentYy = current % 100;
  const century = current - currentYy;
  const diff = yy - currentYy;
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + String(n);

/**
 * Reads six digits YYMMDD into `YYYY-MM-DD`. With `dayZero`, day 00 means the last day of the
 * month (GenSpecs 3.4.x: a date without a day, e.g. best before end of month).
 */
export function parseYymmdd(digits: string, now: Date, dayZero: boolean): string | ValueProblem {
  const yy = Number(digits.slice(0, 2));
  const month = Number(digits.slice(2, 4));
  let day = Number(digits.slice(4, 6));
  if (month < 1 || month > 12) return new ValueProblem(2, `month ${digits.slice(2, 4)} is not a month`);
  const year = resolveCentury(yy, now);
  const last = daysInMonth(year, month);
  if (day === 0) {
    if (!dayZero) return new ValueProblem(4, 'day 00 is not allowed in this AI');
    day = last;
  } else if (day > last) {
    return new ValueProblem(4, `day ${digits.slice(4, 6)} does not exist in ${year}-${pad2(month)} (${last} days)`);
  }
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** Eight digits YYYYMMDD (AI 7250, 7251): no century guessing, no day 00. */
export function parseYyyymmdd(digits: string): string | ValueProblem {
  const year = Number(digits.slice(0, 4));
  const month = Number(digits.slice(4, 6));
  const day = Number(digits.slice(6, 8));
  if (month < 1 || month > 12) return new ValueProblem(4, `month ${digits.slice(4, 6)} is not a month`);
  if (day < 1 || day > daysInMonth(year, month)) return new ValueProblem(6, `day ${digits.slice(6, 8)} does not exist in ${digits.slice(0, 4)}-${digits.slice(4, 6)}`);
  return `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
}

export function checkHour(digits: string): ValueProblem | null {
  return Number(digits) > 23 ? new ValueProblem(0, `hour ${digits} is not an hour`) : null;
}

export function checkMinuteOrSecond(digits: string, what: 'minute' | 'second'): ValueProblem | null {
  return Number(digits) > 59 ? new ValueProblem(0, `${what} ${digits} is not a ${what}`) : null;
}
