/** Shapes of the generated AI table (kept apart so the generator and the decoder share them). */
export type ComponentType = 'N' | 'X' | 'Y' | 'Z';

export interface GeneratedComponent {
  type: ComponentType;
  min: number;
  max: number;
  optional: boolean;
  linters: readonly string[];
}

export interface GeneratedEntry {
  /** First AI of the range (a single AI has from === to). */
  from: string;
  to: string;
  /** The dictionary's "*" flag: predefined length, no FNC1 separator after it. */
  fixed: boolean;
  /** The "?" flag: may appear as a GS1 Digital Link data attribute (query parameter). */
  dlAttr: boolean;
  components: readonly GeneratedComponent[];
  /** Each rule lists alternatives; each alternative is a set of AIs (or nn patterns) that must all be present. */
  req: readonly (readonly (readonly string[])[])[];
  ex: readonly string[];
  /** Digital Link primary key: alternative qualifier sequences, or null when not a primary key. */
  dlpkey: readonly (readonly string[])[] | null;
  title: string;
}
