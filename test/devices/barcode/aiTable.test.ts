import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AI_DICTIONARY_ENTRIES } from '../../../devices/barcode/aiTable.generated.ts';
import { AI_TABLE, PREDEFINED_LENGTH_PREFIXES } from '../../../devices/barcode/aiTable.ts';
import { IMPLEMENTED_LINTERS } from '../../../devices/barcode/linters.ts';
import { KNOWN_LINTERS, parseDictionary } from '../../../devices/barcode/tools/generateAiTable.ts';

const DICTIONARY = resolve(import.meta.dirname, '../../../../shared/data/gs1-syntax-dictionary.txt');

describe('the generated AI table', () => {
  it('holds every dictionary entry, ranges expanded (224 entries)', () => {
    expect(AI_DICTIONARY_ENTRIES).toHaveLength(224);
    expect(AI_TABLE.get('3103')).toMatchObject({ title: 'NET WEIGHT (kg)', decimals: 3, unit: 'kg', predefined: true });
    expect(AI_TABLE.get('3106')).toBeUndefined();
    expect(AI_TABLE.get('95')).toMatchObject({ title: 'INTERNAL', maxLength: 90 });
    expect(AI_TABLE.get('8001')).toMatchObject({ minLength: 14, maxLength: 14, predefined: false });
    expect(AI_TABLE.get('10')?.req).toEqual([[['01'], ['02'], ['03'], ['8006'], ['8026']]]);
    expect(AI_TABLE.get('01')?.dlpkey).toEqual([['22', '10', '21'], ['235']]);
  });

  it('the dictionary "*" flag agrees with the predefined-length prefix list for every AI', () => {
    for (const def of AI_TABLE.values()) expect([def.ai, def.predefined]).toEqual([def.ai, PREDEFINED_LENGTH_PREFIXES.has(def.ai.slice(0, 2))]);
    for (const [prefix, len] of PREDEFINED_LENGTH_PREFIXES) {
      for (const def of AI_TABLE.values()) if (def.ai.startsWith(prefix)) expect(def.maxLength).toBe(len);
    }
  });

  it('every linter the dictionary names is implemented', () => {
    const used = new Set([...AI_TABLE.values()].flatMap((d) => d.components.flatMap((c) => c.linters)));
    for (const l of used) expect(IMPLEMENTED_LINTERS).toContain(l);
    expect([...KNOWN_LINTERS].sort()).toEqual([...IMPLEMENTED_LINTERS].sort());
  });

  it.skipIf(!existsSync(DICTIONARY))('is what the generator makes from the shared dictionary today', () => {
    const { entries } = parseDictionary(readFileSync(DICTIONARY, 'utf8'));
    expect(JSON.parse(JSON.stringify(entries))).toEqual(JSON.parse(JSON.stringify(AI_DICTIONARY_ENTRIES)));
  });

  it('the generator refuses a dictionary that breaks the rules the parser relies on', () => {
    expect(() => parseDictionary('99  *?  N2  # BROKEN\n')).toThrowError(/disagrees with the predefined-length prefix list/);
    expect(() => parseDictionary('10  X..20,newlinter  # NEW\n')).toThrowError(/linter "newlinter" is not implemented/);
    expect(() => parseDictionary('90 X..30 # A\n901 X..30 # B\n')).toThrowError(/AI 90 is a prefix of AI 901/);
  });
});
