/**
 * The decoder's entry: one scan in, one typed result out, or a BarcodeError that says where and
 * why. Pure and synchronous: no I/O, no clock unless `options.now` is left out.
 */
import { readAimIdentifier, type AimInfo } from './aimIdentifier.ts';
import { looksLikeDigitalLink, splitDigitalLink } from './digitalLink.ts';
import { GS, splitElementString } from './elementString.ts';
import { type RawElement, toElement } from './elementValues.ts';
import { BarcodeError } from './errors.ts';
import { classifyGtin, normalizeGtin } from './gtin.ts';
import { formatHumanReadable, looksHumanReadable, splitHumanReadable } from './humanReadable.ts';
import { AI_TABLE } from './aiTable.ts';
import { checkPairings } from './pairing.ts';
import { matchStoreLabel } from './storeLabels.ts';
import type { BarcodeElement, BarcodeOptions, BarcodeResult, BarcodeWarning, InputForm } from './types.ts';
import { readVariableMeasure } from './variableMeasure.ts';

interface Normalised {
  data: string;
  positionOf: (index: number) => number;
}

/** Strips the scanner's CR/LF suffix and the AIM identifier, and turns FNC1 substitutes into GS. */
function normalise(input: string, start: number, substitutes: readonly string[] | undefined): Normalised {
  let end = input.length;
  while (end > start && (input[end - 1] === '\r' || input[end - 1] === '\n')) end--;
  const body = input.slice(start, end);
  // A URI may legitimately contain "~" and friends; Digital Link never carries FNC1.
  const subs = looksLikeDigitalLink(body) ? undefined : substitutes?.filter((s) => s.length > 0 && body.includes(s));
  if (!subs || subs.length === 0) return { data: body, positionOf: (i) => start + i + 1 };
  // Longest substitute first, so "<GS>" is not half-eaten by a shorter one.
  subs.sort((a, b) => b.length - a.length);
  let data = '';
  const map: number[] = [];
  for (let i = 0; i < body.length;) {
    const hit = subs.find((s) => body.startsWith(s, i));
    if (hit) { data += GS; map.push(start + i); i += hit.length; } else { data += body[i]; map.push(start + i); i++; }
  }
  return { data, positionOf: (i) => (map[i] ?? start + body.length) + 1 };
}

function emptyResult(input: string, aim: AimInfo, form: InputForm, gs1: boolean): BarcodeResult {
  return { input, aim: aim.aim, symbology: aim.symbology, form, gs1, gtin: null, gtinClass: null, sscc: null, elements: [], hri: null, variableMeasure: null, storeLabel: null, text: null, warnings: [] };
}

function fromElements(input: string, aim: AimInfo, form: InputForm, raws: RawElement[], options: BarcodeOptions, redundantFnc1 = false): BarcodeResult {
  const result = emptyResult(input, aim, form, true);
  const now = options.now ?? new Date();
  const warnings: BarcodeWarning[] = result.warnings;
  if (redundantFnc1) warnings.push({ code: 'redundant-fnc1', message: 'FNC1 after a predefined-length AI is not needed (ignored)' });
  const elements: BarcodeElement[] = raws.map((r) => toElement(r, now, warnings));
  checkPairings(elements, warnings);
  result.elements = elements;
  result.hri = formatHumanReadable(elements);
  const gtinEl = elements.find((e) => e.ai === '01');
  if (gtinEl) {
    const raw = raws[elements.indexOf(gtinEl)] as RawElement;
    describeGtin(result, gtinEl.raw, raw.valuePos + 1, options);
    if (result.gtinClass === 'variable-measure-trade-item' && !elements.some((e) => /^3[1-6]\d\d$|^30$/.test(e.ai))) {
      warnings.push({ code: 'variable-measure-trade-item', message: 'GTIN with indicator digit 9 is a variable-measure trade item but no measure AI (30, 31nn-36nn) is present' });
    }
  }
  const ssccEl = elements.find((e) => e.ai === '00');
  if (ssccEl) {
    result.sscc = ssccEl.raw;
    const ours = options.sscc;
    if (ours && ssccEl.raw.startsWith(String(ours.extensionDigit ?? 0) + ours.companyPrefix)) result.storeLabel = { kind: 'sscc', id: ssccEl.raw };
  }
  return result;
}

/** Sets gtin, its class and any variable measure; `g13Position` is where the GTIN-13 form starts in the input. */
function describeGtin(result: BarcodeResult, gtin14: string, g13Position: number, options: BarcodeOptions): void {
  result.gtin = gtin14;
  result.gtinClass = classifyGtin(gtin14);
  if (result.gtinClass === 'variable-measure') result.variableMeasure = readVariableMeasure(gtin14, g13Position, options, result.warnings);
  if (result.gtinClass === 'company-internal') result.warnings.push({ code: 'company-internal-gtin', message: `GTIN ${gtin14} is a company-internal number (prefix 04/40-49 or RCN-8): it means something only inside the company that issued it` });
}

function fromGtin(input: string, aim: AimInfo, digits: string, firstPos: number, options: BarcodeOptions): BarcodeResult {
  const gtin14 = normalizeGtin(digits, firstPos);
  const result = emptyResult(input, aim, 'gtin', true);
  if (result.symbology === 'ean-13' && digits.length === 12) result.symbology = 'upc-a';
  const def = AI_TABLE.get('01');
  result.elements = [{ ai: '01', title: def?.title ?? 'GTIN', raw: gtin14, value: gtin14, position: firstPos }];
  result.hri = `(01)${gtin14}`;
  // The GTIN-13 form starts 13 digits from the end of what was scanned (a UPC-A has an implicit leading 0).
  describeGtin(result, gtin14, firstPos + digits.length - 13, options);
  return result;
}

function fromText(input: string, aim: AimInfo, n: Normalised, options: BarcodeOptions): BarcodeResult {
  const label = matchStoreLabel(n.data, options.storeLabels, n.positionOf(0));
  if (label) return { ...emptyResult(input, aim, 'text', false), storeLabel: label };
  if (looksLikeDigitalLink(n.data)) return fromElements(input, aim, 'digital-link', splitDigitalLink(n.data, n.positionOf), options);
  return { ...emptyResult(input, aim, 'text', false), text: n.data };
}

const GTIN_LENGTHS = new Set([8, 12, 13, 14]);

export function decodeBarcode(input: string, options: BarcodeOptions = {}): BarcodeResult {
  if (typeof input !== 'string') throw new BarcodeError(1, 'scan data must be text');
  const aim = readAimIdentifier(input);
  const n = normalise(input, aim.aim ? 3 : 0, options.fnc1Substitutes);
  if (n.data.length === 0) throw new BarcodeError(Math.max(1, input.length), aim.aim ? `no data after the symbology identifier ${aim.aim}` : 'empty scan');
  const allDigits = /^\d+$/.test(n.data);
  switch (aim.content) {
    case 'element-string': {
      const { elements, redundantFnc1 } = splitElementString(n.data, n.positionOf);
      return fromElements(input, aim, 'element-string', elements, options, redundantFnc1);
    }
    case 'gtin': {
      // ]E3 sends the add-on digits straight after the 13 (or 8) main digits.
      const main = aim.aim === ']E3' && n.data.length > 13 ? n.data.slice(0, 13) : n.data;
      if (!/^\d+$/.test(main) || !GTIN_LENGTHS.has(main.length) || main.length === 14) {
        throw new BarcodeError(n.positionOf(0), `${aim.symbology} data must be 8, 12 or 13 digits, got "${main}"`);
      }
      return fromGtin(input, aim, main, n.positionOf(0), options);
    }
    case 'itf':
      if (allDigits && n.data.length === 14) return fromGtin(input, { ...aim, symbology: 'itf-14' }, n.data, n.positionOf(0), options);
      return { ...emptyResult(input, aim, 'text', false), text: n.data };
    case 'add-on':
      return { ...emptyResult(input, aim, 'text', false), text: n.data };
    case 'text':
      return fromText(input, aim, n, options);
    case 'unknown':
      break;
  }
  // No AIM identifier: tell the forms apart by their shape.
  if (allDigits && GTIN_LENGTHS.has(n.data.length)) return fromGtin(input, aim, n.data, n.positionOf(0), options);
  if (looksHumanReadable(n.data)) return fromElements(input, aim, 'human-readable', splitHumanReadable(n.data, n.positionOf), options);
  const first = n.data.charCodeAt(0);
  if ((first >= 48 && first <= 57) || first === 0x1d) {
    if (matchStoreLabel(n.data, options.storeLabels, n.positionOf(0)) === null) {
      const { elements, redundantFnc1 } = splitElementString(n.data, n.positionOf);
      return fromElements(input, aim, 'element-string', elements, options, redundantFnc1);
    }
  }
  return fromText(input, aim, n, options);
}

