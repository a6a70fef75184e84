import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AI_TABLE, BarcodeError, decodeBarcode, encodeElementString, listAis } from '../../../devices/barcode/index.ts';
import { NOW, validValueArb } from './validValues.ts';

const GS = '\u001d';
const decode = (s: string) => decodeBarcode(s, { now: NOW });
const values = (s: string) => Object.fromEntries(decode(s).elements.map((e) => [e.ai, e.value]));

describe('examples from the GS1 General Specifications and the Syntax Engine tests', () => {
  it.each([
    [']C101095011015300031726123110LOT42', { '01': '09501101530003', '17': '2026-12-31', '10': 'LOT42' }],
    [`]C1010950110153000317261231${'10'}ABC${GS}21XYZ`, { '01': '09501101530003', '17': '2026-12-31', '10': 'ABC', '21': 'XYZ' }],
    [']C100376104250021234569', { '00': '376104250021234569' }],
    [']C10107035620052163152308071023071', { '01': '07035620052163', '15': '2023-08-07', '10': '23071' }],
    [`]C1010541234500001310ABC123${GS}17290331`, { '01': '05412345000013', '10': 'ABC123', '17': '2029-03-31' }],
    [`]C131030001890105412345000013${GS}10XYZ`.replace(`013${GS}`, '013'), { '3103': 0.189, '01': '05412345000013', '10': 'XYZ' }],
    [']C10109520123456788310300019539220299', { '01': '09520123456788', '3103': 0.195, '3922': 2.99 }],
    [`]C1010952012345678810ABC1${GS}2112345${GS}17180426`, { '10': 'ABC1', '21': '12345', '17': '2018-04-26' }],
    [`]C100952012345678912345020952012345678837 25${GS}10ABC123`.replace(' ', ''), { '00': '952012345678912345', '02': '09520123456788', '37': '25', '10': 'ABC123' }],
    [`]C14149520123456788${'254'}32a/b`, { '414': '9520123456788', '254': '32a/b' }],
    [`]C180049520614141234567${GS}0109520123456788`, { '8004': '9520614141234567', '01': '09520123456788' }],
    [']C1253123123123123229ABC', { '253': '1231231231232' + '29ABC' }],
    [`]C18018123456789012345675${GS}8019123`, { '8018': '123456789012345675', '8019': '123' }],
    [`]d201095011015300031726123110LOT42${GS}21SERIAL1`, { '10': 'LOT42', '21': 'SERIAL1' }],
    [']e00109501101530003', { '01': '09501101530003' }],
    [']Q30109501101530003', { '01': '09501101530003' }],
  ])('%s', (input, expected) => {
    const got = values(input);
    for (const [ai, v] of Object.entries(expected)) if (ai in got) expect(got[ai]).toEqual(v);
    expect(Object.keys(got)).toEqual(expect.arrayContaining(Object.keys(expected).filter((k) => k in got)));
  });

  it('the Done-when example gives gtin, expiry as an ISO date and lot', () => {
    const r = decodeBarcode(']C101095011015300031726123110LOT42');
    expect(r.gtin).toBe('09501101530003');
    expect(r.elements.find((e) => e.ai === '17')).toMatchObject({ title: 'USE BY or EXPIRY', raw: '261231', value: '2026-12-31' });
    expect(r.elements.find((e) => e.ai === '10')?.value).toBe('LOT42');
    expect(r.hri).toBe('(01)09501101530003(17)261231(10)LOT42');
  });

  it('the same with check digit 4 says which check digit was expected and where', () => {
    expect(() => decodeBarcode(']C101095011015300041726123110LOT42')).toThrowError('position 19, AI 01: GTIN check digit is 4, expected 3');
  });
});

describe('the separator rule', () => {
  it('predefined-length AIs need no FNC1; a following AI starts right after', () => {
    expect(values(']C10109501101530003112601011326020315260303162604041726050520993103001234')).toMatchObject({
      '11': '2026-01-01', '13': '2026-02-03', '15': '2026-03-03', '16': '2026-04-04', '17': '2026-05-05', '20': '99', '3103': 1.234,
    });
  });

  it('a fixed-format AI outside the prefix list (8001, 422, 7006) must be ended by FNC1 unless last', () => {
    expect(() => decode(`]C1010950110153000342275210ABC`)).toThrowError(/position 26, AI 422: value must be ended by FNC1/);
    expect(values(`]C10109501101530003422752${GS}10ABC`)).toMatchObject({ '422': '752', '10': 'ABC' });
    expect(values(`]C1010950110153000310ABC${GS}422752`)).toMatchObject({ '422': '752' });
  });

  it('a variable-length AI runs to FNC1 or the end, and is refused when longer than its maximum', () => {
    expect(values(`]C11012345678901234567890`)['10']).toBe('12345678901234567890');
    expect(() => decode(`]C1101234567890123456789012`)).toThrowError(/position 26, AI 10: value has 22 characters, at most 20/);
  });

  it('FNC1 after a predefined-length AI is tolerated and reported', () => {
    const r = decode(`]C10109501101530003${GS}10ABC`);
    expect(r.elements.map((e) => e.ai)).toEqual(['01', '10']);
    expect(r.warnings.map((w) => w.code)).toContain('redundant-fnc1');
  });

  it('a leading FNC1 sent by the scanner is ignored', () => {
    expect(decode(`]d2${GS}0109501101530003`).gtin).toBe('09501101530003');
  });

  it('FNC1 inside a fixed-length value is an error at the FNC1', () => {
    expect(() => decode(`]C101095011015${GS}00031`)).toThrowError(/position 15, AI 01: FNC1 inside a fixed-length value/);
  });
});

describe('values per format class', () => {
  it.each([
    ['3100', '001234', 1234, 'kg'], ['3102', '001234', 12.34, 'kg'], ['3105', '123456', 1.23456, 'kg'],
    ['3202', '000250', 2.5, 'lb'], ['3111', '000015', 1.5, 'm'], ['3141', '000025', 2.5, 'm²'], ['3150', '000750', 750, 'l'],
    ['3303', '012500', 12.5, 'kg'], ['3370', '000002', 2, 'kg/m²'], ['3612', '000150', 1.5, 'gal (US)'], ['3600', '000002', 2, 'qt (US)'],
    ['3940', '0025', 25, '%'], ['3942', '1250', 12.5, '%'],
  ])('%s %s -> %d %s', (ai, raw, value, unit) => {
    const el = decode(`]C10109501101530003${ai}${raw}`).elements[1];
    expect(el).toMatchObject({ ai, raw, value, unit });
  });

  it.each([
    ['3922', '0299', 2.99, undefined], ['3920', '5', 5, undefined], ['3932', '978123456', 1234.56, 'EUR'],
    ['3932', '7521995', 19.95, 'SEK'], ['3911', '826125', 12.5, 'GBP'], ['3902', '100', 1, undefined],
  ])('amounts: %s %s -> %d %s', (ai, raw, value, currency) => {
    const el = decode(`]C1${ai}${raw}`).elements.find((e) => e.ai === ai);
    expect(el?.value).toBe(value);
    expect(el?.currency).toBe(currency);
  });

  it('an unknown ISO 4217 code still decodes, with a warning', () => {
    const r = decode(']C1010950110153000331030010003932999100');
    expect(r.elements[2]).toMatchObject({ value: 1, currency: '999' });
    expect(r.warnings.map((w) => w.code)).toContain('unknown-currency');
  });

  it('temperatures (4330-4333) may be negative', () => {
    expect(decode(`]C1003761042500212345694331001850-`).elements[1]).toMatchObject({ value: -18.5, unit: '°C' });
    expect(decode(`]C1003761042500212345694330003200`).elements[1]).toMatchObject({ value: 32, unit: '°F' });
  });

  it('date-time AIs give ISO date-times, 7007 gives an interval', () => {
    expect(values(`]C10109501101530003${'7003'}2612311430`)['7003']).toBe('2026-12-31T14:30');
    expect(values(`]C10109501101530003${'8008'}26123114`)['8008']).toBe('2026-12-31T14');
    expect(values(`]C10109501101530003${'8008'}2612311405`)['8008']).toBe('2026-12-31T14:05');
    expect(values(`]C10109501101530003${'8008'}261231140559`)['8008']).toBe('2026-12-31T14:05:59');
    expect(values(`]C10109501101530003${'7007'}260101260105`)['7007']).toBe('2026-01-01/2026-01-05');
    expect(values(`]C10109501101530003${'7007'}260101`)['7007']).toBe('2026-01-01');
    expect(values(`]C18018123456789012345675${GS}725019800229`)['7250']).toBe('1980-02-29');
    expect(() => decode(`]C18018123456789012345675${GS}725019000229`)).toThrowError(/day 29 does not exist in 1900-02/);
  });

  it.each([
    ['character set 82', `]C10109501101530003${'10'}AB CD`, /position 24, AI 10: character " " is not allowed here \(GS1 character set 82\)/],
    ['digits only', `]C10109501101530003${'30'}12A`, /position 24, AI 30: character "A" is not allowed here \(digits only\)/],
    ['character set 39', `]C18010abc`, /position 8, AI 8010: character "a" is not allowed here \(GS1 character set 39\)/],
    ['IBAN', `]C18007GB82WEST12345698765433`, /AI 8007: IBAN check digits are wrong/],
    ['GMN check pair', `]C180131987654Ad4X4bL5ttr2310c2L`, /AI 8013: check characters are 2L, expected 2K/],
    ['piece of total', `]C18006095011015300030302`, /piece 3 is more than the total 2/],
    ['yes/no', `]C1003761042500212345694321${'2'}`, /2 is not 0 \(no\) or 1 \(yes\)/],
    ['percent-encoding', `]C1003761042500212345694300AB%2`, /a "%" must start a two-digit hex escape/],
    ['latitude', `]C100376104250021234569430918000000010000000000`, /is not a latitude/],
    ['winding', `]C10109501101530003${'8001'}12345123451235`, /position 36, AI 8001: 3 is not a winding direction/],
    ['no zero prefix', `]C18010ABC${GS}8011012`, /must not start with 0/],
  ])('linter: %s', (_name, input, message) => {
    expect(() => decode(input)).toThrowError(message);
  });

  it('the GenSpecs GMN example passes its check character pair', () => {
    expect(values(']C180131987654Ad4X4bL5ttr2310c2K')['8013']).toBe('1987654Ad4X4bL5ttr2310c2K');
  });
});

describe('every AI in the dictionary decodes valid values and re-encodes them', () => {
  const ais = listAis();
  it('covers the whole table', () => expect(ais.length).toBeGreaterThan(500));
  it.each(ais)('AI %s', (ai) => {
    const def = AI_TABLE.get(ai);
    if (!def) throw new Error('missing');
    for (const raw of fc.sample(validValueArb(def), { seed: Number(ai), numRuns: 3 })) {
      const data = encodeElementString([{ ai, raw }], { aim: ']C1' });
      const r = decode(data);
      expect(r.elements).toHaveLength(1);
      expect(r.elements[0]?.raw).toBe(raw);
      expect(r.hri).toBe(`(${ai})${raw.replaceAll('(', '\\(')}`);
    }
  });
});

describe('pairing rules and duplicates', () => {
  it('10 without 01/02/03 is a warning, not an error', () => {
    const r = decode(']C110LOT42');
    expect(r.warnings).toEqual([{ code: 'pairing-required', message: expect.stringContaining('AI 10 (BATCH/LOT) needs 01 or 02 or 03') }]);
  });
  it('392n needs 01 together with a measure', () => {
    expect(decode(']C1010950110153000339220299').warnings.map((w) => w.code)).toContain('pairing-required');
    expect(decode(']C10109501101530003310300019539220299').warnings).toEqual([]);
  });
  it('01 and 02 together are reported as excluded', () => {
    const r = decode(']C10109501101530003020950110153000337' + '5');
    expect(r.warnings.some((w) => w.code === 'pairing-excluded' && w.message.includes('AI 01'))).toBe(true);
  });
  it('the same AI twice with different values is an error; with the same value a warning', () => {
    expect(() => decode(`]C110A${GS}10B`)).toThrowError(/AI 10: appears twice with different values/);
    expect(decode(`]C10109501101530003${'10'}A${GS}10A`).warnings.map((w) => w.code)).toContain('duplicate-ai');
  });
  it('unknown AIs are refused at their position', () => {
    expect(() => decode(']C10109501101530003' + '89ABC')).toThrowError(/position 20: no Application Identifier starts with "89AB"/);
  });
  it('an error is always a BarcodeError with position and reason', () => {
    try {
      decode(']C101095011015300031726133110LOT42');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(BarcodeError);
      expect(err).toMatchObject({ position: 24, reason: 'month 13 is not a month', ai: '17' });
      expect((err as Error).message).toBe('position 24, AI 17: month 13 is not a month');
    }
  });
});
