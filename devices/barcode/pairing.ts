/**
 * AI association rules (GenSpecs 4.14, dictionary req=/ex=) and duplicate AIs. Mandatory
 * pairings are warnings, not errors: a case label may spread its AIs over several symbols, and
 * the floor should still get the lot and expiry it can read.
 */
import { AI_TABLE, aiMatchesPattern } from './aiTable.ts';
import { BarcodeError } from './errors.ts';
import type { BarcodeElement, BarcodeWarning } from './types.ts';

export function checkPairings(elements: readonly BarcodeElement[], warnings: BarcodeWarning[]): void {
  const ais = elements.map((e) => e.ai);
  const present = (pattern: string): boolean => ais.some((ai) => aiMatchesPattern(ai, pattern));
  const seen = new Map<string, BarcodeElement>();
  for (const el of elements) {
    const before = seen.get(el.ai);
    if (before) {
      // GenSpecs 4.14.1: the same AI twice with different values makes the data ambiguous.
      if (before.raw !== el.raw) throw new BarcodeError(el.position, `appears twice with different values ("${before.raw}" and "${el.raw}")`, el.ai);
      warnings.push({ code: 'duplicate-ai', message: `AI ${el.ai} appears twice with the same value` });
      continue;
    }
    seen.set(el.ai, el);
    const def = AI_TABLE.get(el.ai);
    if (!def) continue;
    for (const rule of def.req) {
      if (!rule.some((alternative) => alternative.every(present))) {
        warnings.push({ code: 'pairing-required', message: `AI ${el.ai} (${def.title}) needs ${rule.map((alt) => alt.join('+')).join(' or ')} in the same data` });
      }
    }
    for (const pattern of def.ex) {
      // An AI never excludes itself, even when it matches its own pattern (dictionary note).
      const clash = ais.find((ai) => ai !== el.ai && aiMatchesPattern(ai, pattern));
      if (clash) warnings.push({ code: 'pairing-excluded', message: `AI ${el.ai} (${def.title}) must not appear with AI ${clash}` });
    }
  }
}
