/** The AI table, expanded from the generated dictionary entries, and the rules built on it. */
import { AI_DICTIONARY_ENTRIES } from './aiTable.generated.ts';
import type { GeneratedComponent } from './aiTableTypes.ts';

export interface AiDefinition {
  ai: string;
  title: string;
  /** Predefined length: the separator rule says no FNC1 is needed after it. */
  predefined: boolean;
  dlAttr: boolean;
  components: readonly GeneratedComponent[];
  minLength: number;
  maxLength: number;
  req: readonly (readonly (readonly string[])[])[];
  ex: readonly string[];
  dlpkey: readonly (readonly string[])[] | null;
  /** Decimal point position for 31nn-36nn, 390n-395n (the AI's last digit). */
  decimals: number | null;
  unit: string | null;
}

/**
 * GenSpecs figure 7.8.5-2: AIs starting with these two digits have a predefined length and need
 * no FNC1 after them. Every other AI must be ended by FNC1 unless it is last, even when its
 * format is fixed (8001, 422, 7006 ...). This list, not the AI's format, decides.
 */
export const PREDEFINED_LENGTH_PREFIXES: ReadonlyMap<string, number> = new Map([
  ['00', 18], ['01', 14], ['02', 14], ['03', 14], ['04', 16], ['11', 6], ['12', 6], ['13', 6], ['14', 6], ['15', 6],
  ['16', 6], ['17', 6], ['18', 6], ['19', 6], ['20', 2], ['31', 6], ['32', 6], ['33', 6], ['34', 6], ['35', 6],
  ['36', 6], ['41', 13],
]);

// Titles in the dictionary carry the unit in parentheses, e.g. "NET WEIGHT (kg)"; some need a clearer name.
const UNIT_NAMES: Record<string, string> = { 'gal.': 'gal (US)', 'gal (US)': 'gal (US)', 'qt (US)': 'qt (US)' };

function decimalsAndUnit(ai: string, title: string): { decimals: number | null; unit: string | null } {
  const head = ai.slice(0, 2);
  if (ai.length === 4 && ['31', '32', '33', '34', '35', '36'].includes(head)) {
    const m = /\((.+)\)(, log)?$/.exec(title) ?? /PER (m²)/.exec(title);
    const unit = ai.startsWith('337') ? 'kg/m²' : (m?.[1] ?? null);
    return { decimals: Number(ai[3]), unit: unit === null ? null : (UNIT_NAMES[unit] ?? unit) };
  }
  if (ai.length === 4 && /^39[0-5]$/.test(ai.slice(0, 3))) return { decimals: Number(ai[3]), unit: ai.startsWith('394') ? '%' : null };
  return { decimals: null, unit: null };
}

function expand(): Map<string, AiDefinition> {
  const table = new Map<string, AiDefinition>();
  for (const e of AI_DICTIONARY_ENTRIES) {
    for (let n = Number(e.from); n <= Number(e.to); n++) {
      const ai = String(n).padStart(e.from.length, '0');
      const minLength = e.components.reduce((sum, c) => sum + (c.optional ? 0 : c.min), 0);
      const maxLength = e.components.reduce((sum, c) => sum + c.max, 0);
      table.set(ai, {
        ai, title: e.title, predefined: PREDEFINED_LENGTH_PREFIXES.has(ai.slice(0, 2)), dlAttr: e.dlAttr,
        components: e.components, minLength, maxLength, req: e.req, ex: e.ex, dlpkey: e.dlpkey, ...decimalsAndUnit(ai, e.title),
      });
    }
  }
  return table;
}

export const AI_TABLE: ReadonlyMap<string, AiDefinition> = expand();

/** Every AI we know, in table order. */
export function listAis(): string[] {
  return [...AI_TABLE.keys()];
}

/** The AI that starts at `index` of `data`, or null. AIs are prefix-free (the generator checks it). */
export function aiAt(data: string, index: number): AiDefinition | null {
  for (let len = 2; len <= 4; len++) {
    if (index + len > data.length) return null;
    const def = AI_TABLE.get(data.slice(index, index + len));
    if (def) return def;
  }
  return null;
}

/** Does `ai` match a dictionary pattern like `310n`, `31nn` or a literal AI? */
export function aiMatchesPattern(ai: string, pattern: string): boolean {
  if (pattern.length !== ai.length) return false;
  for (let i = 0; i < pattern.length; i++) if (pattern[i] !== 'n' && pattern[i] !== ai[i]) return false;
  return true;
}
