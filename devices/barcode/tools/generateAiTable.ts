/**
 * Generates devices/barcode/aiTable.generated.ts from the GS1 Barcode Syntax Dictionary.
 *
 *   npx tsx devices/barcode/tools/generateAiTable.ts [path/to/gs1-syntax-dictionary.txt]
 *
 * The dictionary lives outside the repo (Apache-2.0, GS1 AISBL); we commit only the generated
 * table so a fresh clone needs nothing else. Re-run this when GS1 publishes a new release.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GeneratedComponent, GeneratedEntry } from '../aiTableTypes.ts';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, '../../..');

/** Linters the decoder implements (linters.ts). A new one in a future dictionary must be a deliberate decision. */
export const KNOWN_LINTERS = new Set([
  'csum', 'csumalpha', 'gcppos1', 'gcppos2', 'yymmd0', 'yymmdd', 'yyyymmdd', 'hhmi', 'hh', 'mi', 'ss',
  'iso4217', 'iso3166', 'iso3166999', 'iso3166alpha2', 'pcenc', 'yesno', 'hyphen', 'latitude', 'longitude',
  'importeridx', 'packagetype', 'mediatype', 'iso5218', 'posinseqslash', 'nonzero', 'winding', 'zero',
  'pieceoftotal', 'iban', 'nozeroprefix', 'hasnondigit', 'couponcode', 'couponposoffer',
]);

/** GenSpecs figure 7.8.5-2: the only AI prefixes whose length is predefined (no FNC1 after them). */
const PREDEFINED_PREFIXES = new Set(['00', '01', '02', '03', '04', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20', '31', '32', '33', '34', '35', '36', '41']);



function parseComponent(token: string, line: number): GeneratedComponent {
  const optional = token.startsWith('[');
  const cleaned = token.replace('[', '').replace(']', '');
  const [typeAndLength = '', ...linters] = cleaned.split(',');
  const m = /^([NXYZ])(\.\.)?(\d+)$/.exec(typeAndLength);
  if (!m) throw new Error(`line ${line}: cannot read component "${token}"`);
  const length = Number(m[3]);
  for (const l of linters) if (!KNOWN_LINTERS.has(l)) throw new Error(`line ${line}: linter "${l}" is not implemented; add it to linters.ts and KNOWN_LINTERS`);
  return { type: m[1] as GeneratedComponent['type'], min: m[2] ? 1 : length, max: length, optional, linters };
}

export function parseDictionary(text: string): { release: string; entries: GeneratedEntry[] } {
  const release = /^# Release:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? 'unknown';
  const entries: GeneratedEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const lineNo = index + 1;
    if (raw.startsWith('#') || raw.trim() === '') return;
    const hash = raw.indexOf('#');
    const title = hash >= 0 ? raw.slice(hash + 1).trim() : '';
    const tokens = (hash >= 0 ? raw.slice(0, hash) : raw).trim().split(/\s+/);
    const aiToken = tokens.shift() ?? '';
    const [from = '', to = from] = aiToken.split('-');
    if (!/^\d{2,4}$/.test(from) || to.length !== from.length) throw new Error(`line ${lineNo}: bad AI "${aiToken}"`);
    let flags = '';
    if (tokens[0] !== undefined && /^[*!?"$%&'()+,\-./:;<=>@[\\\]^_`{|}~]+$/.test(tokens[0])) flags = tokens.shift() ?? '';
    const components: GeneratedComponent[] = [];
    const req: string[][][] = [];
    const ex: string[] = [];
    let dlpkey: string[][] | null = null;
    for (const token of tokens) {
      if (/^\[?[NXYZ]/.test(token)) components.push(parseComponent(token, lineNo));
      else if (token.startsWith('req=')) req.push(token.slice(4).split(',').map((alt) => alt.split('+')));
      else if (token.startsWith('ex=')) ex.push(...token.slice(3).split(','));
      else if (token === 'dlpkey') dlpkey = [[]];
      else if (token.startsWith('dlpkey=')) dlpkey = token.slice(7).split('|').map((seq) => seq.split(','));
      else throw new Error(`line ${lineNo}: unknown attribute "${token}"`);
    }
    if (components.length === 0) throw new Error(`line ${lineNo}: AI ${aiToken} has no format`);
    entries.push({ from, to, fixed: flags.includes('*'), dlAttr: flags.includes('?'), components, req, ex, dlpkey, title });
  });
  checkConsistency(entries);
  return { release, entries };
}

/** Fails the generation when the dictionary contradicts the rules the parser relies on. */
function checkConsistency(entries: GeneratedEntry[]): void {
  const ais: string[] = [];
  for (const e of entries) for (let n = Number(e.from); n <= Number(e.to); n++) ais.push(String(n).padStart(e.from.length, '0'));
  const set = new Set(ais);
  if (set.size !== ais.length) throw new Error('duplicate AI in dictionary');
  for (const ai of ais) {
    for (let len = 2; len < ai.length; len++) if (set.has(ai.slice(0, len))) throw new Error(`AI ${ai.slice(0, len)} is a prefix of AI ${ai}; AIs must be prefix-free`);
  }
  for (const e of entries) {
    const predefined = PREDEFINED_PREFIXES.has(e.from.slice(0, 2));
    if (e.fixed !== predefined) throw new Error(`AI ${e.from}: "*" flag (${e.fixed}) disagrees with the predefined-length prefix list`);
    if (predefined && e.components.some((c) => c.min !== c.max || c.optional)) throw new Error(`AI ${e.from}: predefined-length AI with a variable format`);
  }
}

function render(release: string, entries: GeneratedEntry[], sourceName: string, sha256: string): string {
  const rows = entries.map((e) => '  ' + JSON.stringify(e)).join(',\n');
  return `// GENERATED FILE: do not edit. Regenerate with:
//   npx tsx devices/barcode/tools/generateAiTable.ts [path/to/gs1-syntax-dictionary.txt]
//
// Facts derived from the GS1 Barcode Syntax Dictionary (${sourceName}, release: ${release},
// sha256 ${sha256}).
//   Copyright (c) 2020-2021 BWIPP project. https://bwipp.terryburton.co.uk/
//   Copyright (c) 2020-2021 Zint Project. https://zint.org.uk/
//   Copyright (c) 2021-2025 GS1 AISBL
//   Licensed under the Apache License, Version 2.0 (http://www.apache.org/licenses/LICENSE-2.0).
// This file is a derived work: the entries below restate the dictionary's AI formats, flags,
// pairing rules, Digital Link attributes and titles in TypeScript.

import type { GeneratedEntry } from './aiTableTypes.ts';

export const AI_DICTIONARY_RELEASE = ${JSON.stringify(release)};

export const AI_DICTIONARY_ENTRIES: readonly GeneratedEntry[] = [
${rows},
];
`;
}

function main(argv: string[]): void {
  const source = resolve(projectRoot, argv[0] ?? '../shared/data/gs1-syntax-dictionary.txt');
  const text = readFileSync(source, 'utf8');
  const { release, entries } = parseDictionary(text);
  const sha256 = createHash('sha256').update(text).digest('hex');
  const target = resolve(projectRoot, 'devices/barcode/aiTable.generated.ts');
  writeFileSync(target, render(release, entries, 'gs1-syntax-dictionary.txt', sha256));
  console.log(`wrote ${entries.length} dictionary entries to ${target}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
