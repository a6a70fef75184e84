import { describe, expect, it } from 'vitest';
import { decodeBarcode } from '../../../devices/barcode/index.ts';
import { daysInMonth, isLeapYear, resolveCentury } from '../../../devices/barcode/dates.ts';

const at = (iso: string) => new Date(`${iso}T12:00:00Z`);
const expiry = (yymmdd: string, now = '2026-06-15', ai = '17') =>
  decodeBarcode(`]C10109501101530003${ai}${yymmdd}`, { now: at(now) }).elements[1]?.value;

describe('GS1 century rule (GenSpecs 7.12)', () => {
  it.each([
    ['2026', 26, 2026], ['2026', 76, 2076], ['2026', 77, 1977], ['2026', 0, 2000], ['2026', 99, 1999],
    ['2000', 50, 2050], ['2000', 51, 1951], ['2049', 99, 2099], ['2051', 0, 2100], ['2099', 49, 2149], ['2099', 48, 2148],
    ['1999', 49, 2049], ['1999', 48, 2048], ['1999', 49, 2049], ['1999', 50, 1950],
  ])('in %s, YY %i is %i', (year, yy, full) => {
    expect(resolveCentury(yy, at(`${year}-06-15`))).toBe(full);
  });

  it('scanners in different years read the same label differently, as the rule says', () => {
    expect(expiry('761231', '2026-01-01')).toBe('2076-12-31');
    expect(expiry('771231', '2026-01-01')).toBe('1977-12-31');
    expect(expiry('771231', '2027-01-01')).toBe('2077-12-31');
  });
});

describe('day 00 means the last day of the month', () => {
  it.each([
    ['260100', '2026-01-31'], ['260200', '2026-02-28'], ['280200', '2028-02-29'], ['260400', '2026-04-30'],
    ['261200', '2026-12-31'], ['000200', '2000-02-29'], ['960200', '1996-02-29'], ['270600', '2027-06-30'],
  ])('%s -> %s', (raw, iso) => expect(expiry(raw)).toBe(iso));

  it('2100 is not a leap year, so 000200 read in 2076 (century 2100) ends on the 28th', () => {
    expect(expiry('000200', '2076-01-01')).toBe('2100-02-28');
  });

  it.each(['11', '13', '15', '16', '17'])('AI %s allows day 00', (ai) => expect(expiry('260200', '2026-06-15', ai)).toBe('2026-02-28'));

  it('AIs with yymmdd (7006, 4326) refuse day 00', () => {
    expect(() => decodeBarcode(']C10109501101530003' + '7006260100', { now: at('2026-06-15') })).toThrowError(/position 28, AI 7006: day 00 is not allowed/);
  });
});

describe('invalid dates say what is wrong and where', () => {
  it.each([
    ['261301', 'position 24, AI 17: month 13 is not a month'],
    ['260001', 'position 24, AI 17: month 00 is not a month'],
    ['260230', 'position 26, AI 17: day 30 does not exist in 2026-02 (28 days)'],
    ['270229', 'position 26, AI 17: day 29 does not exist in 2027-02 (28 days)'],
    ['260431', 'position 26, AI 17: day 31 does not exist in 2026-04 (30 days)'],
    ['260132', 'position 26, AI 17: day 32 does not exist in 2026-01 (31 days)'],
  ])('%s', (raw, message) => expect(() => expiry(raw)).toThrowError(message));

  it('29 February exists in leap years only', () => {
    expect(expiry('280229')).toBe('2028-02-29');
    expect(expiry('240229')).toBe('2024-02-29');
  });

  it('time components are checked', () => {
    expect(() => decodeBarcode(']C10109501101530003' + '70032612312460', { now: at('2026-06-15') })).toThrowError(/position 30, AI 7003: hour 24 is not an hour/);
    expect(() => decodeBarcode(']C10109501101530003' + '70032612311260', { now: at('2026-06-15') })).toThrowError(/position 32, AI 7003: minute 60 is not a minute/);
  });
});

describe('calendar helpers', () => {
  it('leap years follow the Gregorian rule', () => {
    expect([1900, 2000, 2024, 2026, 2100, 2400].map(isLeapYear)).toEqual([false, true, true, false, false, true]);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2026, m))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
  });
});
