import { describe, expect, it } from 'vitest';
import { decodeBarcode, encodeDigitalLink } from '../../../devices/barcode/index.ts';

const NOW = new Date(Date.UTC(2026, 5, 15));
const hri = (uri: string) => {
  const r = decodeBarcode(uri, { now: NOW });
  expect(r.form).toBe('digital-link');
  return r.hri;
};

// Parse vectors from the GS1 Digital Link standard, as exercised by the GS1 Syntax Engine tests.
describe('Digital Link URIs that decode', () => {
  it.each([
    ['https://example.com/01/09501101530003/10/LOT42?17=261231', '(01)09501101530003(10)LOT42(17)261231'],
    ['http://a/00/006141411234567890', '(00)006141411234567890'],
    ['HTTPS://a/00/006141411234567890', '(00)006141411234567890'],
    ['https://a/01/12312312312333', '(01)12312312312333'],
    ['https://xn--fsq.xn--0zwm56d/01/12312312312333', '(01)12312312312333'],
    ['https://a:65535/01/12312312312333', '(01)12312312312333'],
    ['https://192.0.2.1/01/12312312312333', '(01)12312312312333'],
    ['https://[2001:db8::1]/01/12312312312333', '(01)12312312312333'],
    ['https://a/stem/00/006141411234567890', '(00)006141411234567890'],
    ['https://a/more/stem/00/006141411234567890', '(00)006141411234567890'],
    ['https://a/00/faux/00/006141411234567890', '(00)006141411234567890'],
    ['https://a/01/12312312312333/22/TEST/10/ABC/21/XYZ', '(01)12312312312333(22)TEST(10)ABC(21)XYZ'],
    ['https://a/01/12312312312333/235/TEST', '(01)12312312312333(235)TEST'],
    ['https://a/253/1231231231232', '(253)1231231231232'],
    ['https://a/253/1231231231232TEST5678901234567', '(253)1231231231232TEST5678901234567'],
    ['https://a/8018/123456789012345675/8019/123', '(8018)123456789012345675(8019)123'],
    ['https://a/stem/00/006141411234567890?', '(00)006141411234567890'],
    ['https://a/stem/00/006141411234567890?99=ABC', '(00)006141411234567890(99)ABC'],
    ['https://a/stem/401/12345678?99=ABC', '(401)12345678(99)ABC'],
    ['https://a/01/12312312312333?99=ABC&98=XYZ', '(01)12312312312333(99)ABC(98)XYZ'],
    ['https://a/01/12312312312333?&&&99=ABC&&&&&&98=XYZ&&&', '(01)12312312312333(99)ABC(98)XYZ'],
    ['https://a/01/12312312312333?unknown1=555&99=ABC&singleton&98=XYZ&linkType=gs1:pip', '(01)12312312312333(99)ABC(98)XYZ'],
    ['https://a/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ%2f987', '(01)12312312312333(22)ABC-123(99)ABC(98)XYZ/987'],
    ['https://a/01/12312312312333/22/ABC+123?99=ABC', '(01)12312312312333(22)ABC+123(99)ABC'],
    ['https://a/01/12312312312333/22/test/10/abc/21/xyz#fragment', '(01)12312312312333(22)test(10)abc(21)xyz'],
    ['https://a/stem/00/006141411234567890?99=ABC#', '(00)006141411234567890(99)ABC'],
    ['https://id.gs1.org/01/09520123456788/22/2A', '(01)09520123456788(22)2A'],
    ['https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426', '(01)09520123456788(10)ABC1(21)12345(17)180426'],
    ['https://id.gs1.org/01/09520123456788?3103=000195', '(01)09520123456788(3103)000195'],
    ['https://example.com/01/09520123456788?3103=000195&3922=0299&17=201225', '(01)09520123456788(3103)000195(3922)0299(17)201225'],
    ['https://id.gs1.org/00/952012345678912345?02=09520123456788&37=25&10=ABC123', '(00)952012345678912345(02)09520123456788(37)25(10)ABC123'],
    ['https://id.gs1.org/414/9520123456788/254/32a%2Fb', '(414)9520123456788(254)32a/b'],
    ['https://example.com/8004/9520614141234567?01=9520123456788', '(8004)9520614141234567(01)09520123456788'],
    ['https://id.gs1.org/01/09520123456788/235/XYZ?10=ABC123', '(01)09520123456788(235)XYZ(10)ABC123'],
    // GTIN-8/12/13 in the path are widened to 14 digits (the standard's zero-suppressed form).
    ['https://a/01/2112345678900', '(01)02112345678900'],
    ['https://a/01/416000336108', '(01)00416000336108'],
    ['https://a/01/02345673', '(01)00000002345673'],
    ['https://brand.example.com/some-extra/pathinfo/01/9520123456788', '(01)09520123456788'],
  ])('%s', (uri, expected) => expect(hri(uri)).toBe(expected));

  it('dates and weights in the query are interpreted like any element', () => {
    const r = decodeBarcode('https://id.gs1.org/01/09520123456788?3103=000195&17=261200', { now: NOW });
    expect(r.gtin).toBe('09520123456788');
    expect(r.elements.map((e) => e.value)).toEqual(['09520123456788', 0.195, '2026-12-31']);
  });

  it('works inside a QR code sent with AIM ]Q1, and "~" in a URI is not taken for FNC1', () => {
    const r = decodeBarcode(']Q1https://example.com/~shop/01/09501101530003', { fnc1Substitutes: ['~'] });
    expect(r).toMatchObject({ aim: ']Q1', symbology: 'qr', form: 'digital-link', gtin: '09501101530003' });
  });
});

describe('Digital Link URIs that are refused', () => {
  it.each([
    ['http://a', /no path/],
    ['http://a/', /no GS1 primary key/],
    ['http://a/b/', /must not end with/],
    ['https://a/stem/00/006141411234567890/', /position 37: a Digital Link path must not end with "\/"/],
    ['https://$a/01/12312312312333', /position 9: Digital Link URI has no valid domain/],
    ['https://a/253/1231231231232TEST56789012345678', /AI 253: value has 31 characters, at most 30/],
    ['https://a/01/12312312312333?99=', /AI 99: value is empty/],
    ['https://a/01/12312312312333?99=ABC&999=faux', /query parameter 999 is not a known Application Identifier/],
    ['https://a/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ+987', /AI 98: character " " is not allowed/],
    ['https://example.com/01/09520123456788?10=ABC123', /AI 10 is a key qualifier and belongs in the URI path/],
    ['https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&01=09520123456788', /AI 01 appears twice/],
    ['https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&10=ABC123', /AI 10/],
    ['https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&99=XYZ789', /AI 99 appears twice/],
    ['https://example.com/01/09520123456788/89/ABC123?99=XYZ', /no GS1 primary key/],
    ['https://example.com/01/09520123456788?99=XYZ&89=ABC123', /query parameter 89 is not a known/],
    ['https://a/01/12312312312333/21/X/10/Y', /position 29, AI 21: path qualifiers \/21\/10\/ are not allowed after \/01\/ \(allowed, in this order: 22,10,21 or 235\)/],
    ['https://a/01/12312312312333?8200=http%3A%2F%2Fx', /AI 8200 is not allowed as a Digital Link data attribute/],
    ['https://a/01/12312312312334', /position 27, AI 01: GTIN check digit is 4, expected 3/],
    ['https://a/01/1231231231233%', /bad percent-encoding/],
  ])('%s', (uri, message) => expect(() => decodeBarcode(uri, { now: NOW })).toThrowError(message));

  it('a mixed-case scheme is not a Digital Link: it stays text', () => {
    expect(decodeBarcode('HtTp://a/b/00/006141411234567890')).toMatchObject({ gs1: false, form: 'text' });
  });
});

describe('building Digital Link URIs', () => {
  it.each([
    [[['01', '12312312312326'], ['21', 'abc123']], undefined, 'https://id.gs1.org/01/12312312312326/21/abc123'],
    [[['01', '12312312312326'], ['22', 'ABC'], ['10', 'DEF'], ['21', 'GHI'], ['95', 'INT']], 'https://example.com', 'https://example.com/01/12312312312326/22/ABC/10/DEF/21/GHI?95=INT'],
    [[['21', 'XYZ'], ['01', '12312312312333'], ['10', 'ABC123'], ['99', 'XYZ']], 'https://example.com', 'https://example.com/01/12312312312333/10/ABC123/21/XYZ?99=XYZ'],
    [[['01', '12312312312333'], ['10', 'ABC+123'], ['99', 'XYZ+QWERTY']], 'https://example.com', 'https://example.com/01/12312312312333/10/ABC%2B123?99=XYZ%2BQWERTY'],
    [[['8017', '795260646688514634'], ['99', '000001'], ['253', '9526064000028000001']], 'https://example.com', 'https://example.com/8017/795260646688514634?99=000001&253=9526064000028000001'],
  ])('%j', (pairs, base, expected) => {
    const uri = encodeDigitalLink(pairs.map(([ai, raw]) => ({ ai: ai as string, raw: raw as string })), base);
    expect(uri).toBe(expected);
  });
});
