/**
 * GS1 Digital Link URIs (uncompressed form), e.g.
 * `https://example.com/01/09501101530003/10/LOT42?17=261231`: any domain and path prefix, then
 * a primary key and its qualifiers as path pairs, then data attributes as query parameters.
 */
import { AI_TABLE, type AiDefinition } from './aiTable.ts';
import type { RawElement } from './elementValues.ts';
import { BarcodeError } from './errors.ts';

/** The scheme may be lower or upper case, not mixed (as the GS1 Syntax Engine rules). */
export function looksLikeDigitalLink(data: string): boolean {
  return /^(https?|HTTPS?):\/\//.test(data);
}

interface Segment { text: string; pos: number }

/** Percent-decodes a path segment or query value; in the query "+" means a space (HTML form encoding). */
function decode(seg: Segment, query = false): string {
  const text = query ? seg.text.replaceAll('+', ' ') : seg.text;
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    throw new BarcodeError(seg.pos + Math.max(0, seg.text.indexOf('%')), 'bad percent-encoding in the URI');
  }
}

export function splitDigitalLink(uri: string, positionOf: (index: number) => number): RawElement[] {
  const schemeEnd = uri.indexOf('//') + 2;
  const pathStart = uri.indexOf('/', schemeEnd);
  if (pathStart < 0) throw new BarcodeError(positionOf(uri.length - 1), 'Digital Link URI has no path with a GS1 key');
  const host = uri.slice(schemeEnd, pathStart);
  const badHost = host.search(/[^A-Za-z0-9.\-:[\]]/);
  if (host.length === 0 || badHost >= 0) throw new BarcodeError(positionOf(schemeEnd + Math.max(0, badHost)), 'Digital Link URI has no valid domain');
  let end = uri.length;
  const hashAt = uri.indexOf('#');
  if (hashAt >= 0) end = hashAt;
  const queryAt = uri.indexOf('?');
  const pathEnd = queryAt >= 0 && queryAt < end ? queryAt : end;

  const segments: Segment[] = [];
  let at = pathStart + 1;
  for (const text of uri.slice(pathStart + 1, pathEnd).split('/')) {
    segments.push({ text, pos: positionOf(at) });
    at += text.length + 1;
  }
  const last = segments[segments.length - 1];
  if (segments.length > 1 && last?.text === '') throw new BarcodeError(last.pos - 1, 'a Digital Link path must not end with "/"');

  const { elements, sequences } = findKeyPath(segments);
  if (queryAt >= 0 && queryAt < end) elements.push(...queryElements(uri.slice(queryAt + 1, end), queryAt + 1, positionOf, elements, sequences));
  return elements;
}

// Digital Link allows a GTIN-8, -12 or -13; the element string always carries 14 digits.
function padGtin(ai: string, raw: string): string {
  return ai === '01' && /^\d{8}$|^\d{12,13}$/.test(raw) ? raw.padStart(14, '0') : raw;
}

/**
 * The key path is the shortest tail of the path that reads as primary key + allowed qualifiers;
 * anything before it is the resolver's own path ("/some/stem/01/..."), even a fake "/00/".
 */
function findKeyPath(segments: Segment[]): { elements: RawElement[]; sequences: (readonly string[])[] } {
  let firstProblem: BarcodeError | null = null;
  for (let k = 0; k < segments.length; k++) {
    const key = AI_TABLE.get(segments[k]?.text ?? '');
    if (!key?.dlpkey || (segments.length - k) % 2 !== 0) continue;
    const pairs: { def: AiDefinition; ai: Segment; value: Segment }[] = [];
    for (let i = k; i < segments.length; i += 2) {
      const def = AI_TABLE.get((segments[i] as Segment).text);
      if (!def) break;
      pairs.push({ def, ai: segments[i] as Segment, value: segments[i + 1] as Segment });
    }
    if (pairs.length * 2 !== segments.length - k) continue;
    const qualifiers = pairs.slice(1).map((p) => p.def.ai);
    const sequences = matchingSequences(key, qualifiers);
    if (sequences.length === 0) {
      const bad = pairs[1] as (typeof pairs)[number];
      firstProblem ??= new BarcodeError(bad.ai.pos, `path qualifiers /${qualifiers.join('/')}/ are not allowed after /${key.ai}/ (allowed, in this order: ${(key.dlpkey ?? []).map((q) => q.join(',')).join(' or ')})`, bad.def.ai);
      continue;
    }
    const elements = pairs.map((p) => ({ def: p.def, raw: padGtin(p.def.ai, decode(p.value)), aiPos: p.ai.pos, valuePos: p.value.pos }));
    return { elements, sequences };
  }
  throw firstProblem ?? new BarcodeError(segments[0]?.pos ?? 1, 'no GS1 primary key (such as /01/ followed by a GTIN) in the URI path');
}

/** The key's qualifier sequences (dlpkey=22,10,21|235) that the path qualifiers follow in order. */
function matchingSequences(key: AiDefinition, qualifiers: string[]): (readonly string[])[] {
  return (key.dlpkey ?? []).filter((seq) => {
    let at = 0;
    for (const q of qualifiers) {
      const found = seq.indexOf(q, at);
      if (found < 0) return false;
      at = found + 1;
    }
    return true;
  });
}

function queryElements(query: string, offset: number, positionOf: (index: number) => number, pathElements: RawElement[], sequences: (readonly string[])[]): RawElement[] {
  const out: RawElement[] = [];
  let at = offset;
  for (const param of query.split('&')) {
    const eq = param.indexOf('=');
    const key = eq < 0 ? param : param.slice(0, eq);
    const start = at;
    at += param.length + 1;
    // Non-numeric parameters (linkType, context ...) belong to the resolver, not to us.
    if (!/^\d{2,4}$/.test(key)) continue;
    const def = AI_TABLE.get(key);
    if (!def) throw new BarcodeError(positionOf(start), `query parameter ${key} is not a known Application Identifier`);
    if (!def.dlAttr) throw new BarcodeError(positionOf(start), `AI ${key} is not allowed as a Digital Link data attribute`, key);
    if (sequences.some((seq) => seq.includes(key))) throw new BarcodeError(positionOf(start), `AI ${key} is a key qualifier and belongs in the URI path`, key);
    if (pathElements.some((p) => p.def.ai === key) || out.some((p) => p.def.ai === key)) throw new BarcodeError(positionOf(start), `AI ${key} appears twice in the URI`, key);
    const value: Segment = { text: eq < 0 ? '' : param.slice(eq + 1), pos: positionOf(start + eq + 1) };
    out.push({ def, raw: padGtin(key, decode(value, true)), aiPos: positionOf(start), valuePos: value.pos });
  }
  return out;
}

/** Builds a Digital Link URI from elements: the first primary key and its qualifiers in the path, the rest as query. */
export function formatDigitalLink(elements: readonly { ai: string; raw: string }[], base = 'https://id.gs1.org'): string {
  const keyIndex = elements.findIndex((e) => AI_TABLE.get(e.ai)?.dlpkey);
  if (keyIndex < 0) throw new Error('no element can be a Digital Link primary key');
  const key = elements[keyIndex] as { ai: string; raw: string };
  const sequences = AI_TABLE.get(key.ai)?.dlpkey ?? [];
  const present = new Set(elements.map((e) => e.ai));
  const seq = sequences.find((s) => s.some((q) => present.has(q))) ?? sequences[0] ?? [];
  const qualifiers = seq.filter((q) => present.has(q));
  const path = [key, ...qualifiers.map((q) => elements.find((e) => e.ai === q) as { ai: string; raw: string })];
  const rest = elements.filter((e, i) => i !== keyIndex && !qualifiers.includes(e.ai));
  const enc = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const query = rest.map((e) => `${e.ai}=${enc(e.raw)}`).join('&');
  return `${base.replace(/\/$/, '')}/${path.map((e) => `${e.ai}/${enc(e.raw)}`).join('/')}${query ? `?${query}` : ''}`;
}
