/** Public types of the barcode decoder: one result shape for every input form. */

export type Symbology =
  | 'gs1-128' | 'code-128' | 'ean-13' | 'upc-a' | 'ean-8' | 'ean-upc-add-on' | 'gs1-databar'
  | 'gs1-datamatrix' | 'datamatrix' | 'gs1-qr' | 'qr' | 'itf-14' | 'itf' | 'gs1-dotcode' | 'dotcode'
  | 'code-39' | 'other' | 'unknown';

/** How the data was written: a GS1 element string, the bracketed human-readable form, a Digital Link URI, a bare GTIN, or free text. */
export type InputForm = 'element-string' | 'human-readable' | 'digital-link' | 'gtin' | 'text';

/** What the GS1 prefix of a GTIN means for a dark store (GenSpecs 1.4.x prefix table, reduced to what we act on). */
export type GtinPrefixClass =
  | 'standard'
  | 'variable-measure'          // 02, 20-29: restricted circulation within a geographic region
  | 'company-internal'          // 04, 40-49 (and RCN-8 0/2): restricted circulation within a company
  | 'variable-measure-trade-item' // GTIN-14 with indicator digit 9
  | 'coupon'                    // 05, 99, 981-984
  | 'refund-receipt'            // 980
  | 'issn' | 'isbn' | 'ismn';   // 977, 978/979, 9790

export type ElementValue = string | number;

export interface BarcodeElement {
  ai: string;
  title: string;
  /** The characters exactly as they appear in the data (after FNC1 and percent decoding). */
  raw: string;
  /** Interpreted value: ISO date `YYYY-MM-DD` (or date-time), a number for decimal AIs, otherwise the raw string. */
  value: ElementValue;
  /** Unit of measure for 31nn-36nn (e.g. `kg`, `m²`), `%` for 394n. */
  unit?: string;
  /** ISO 4217 code for amounts: from the AI (391n/393n) or the configured market. */
  currency?: string;
  /** 1-based position of the AI's first character in the input. */
  position: number;
}

export type MeasureKind = 'weight' | 'price' | 'count';

export interface VariableMeasure {
  /** Market whose layout was applied, null when no market is configured. */
  market: string | null;
  /** The two-digit RCN prefix, e.g. `23`. */
  prefix: string;
  /** Item reference digits (prefix included) to match the catalog. */
  itemReference: string | null;
  /** The GTIN-13 with the measure zeroed and both check digits recomputed: a stable catalog key. */
  lookupGtin: string | null;
  kind: MeasureKind | null;
  /** Weight in `unit`, price in `currency`, or a count. */
  value: number | null;
  unit: string | null;
  currency: string | null;
  /** True when the layout carries a price/weight verifier digit and it checked out. */
  verifierChecked: boolean;
}

export type StoreLabelKind = 'bin' | 'tote' | 'bag' | 'badge' | 'asn' | 'command' | 'sscc';
export type StoreCommand = 'confirm' | 'short' | 'cancel' | 'override' | 'nextBag';

export interface StoreLabel {
  kind: StoreLabelKind;
  /** The identifier after the prefix (bin id, tote id, badge number, ASN id), or the SSCC. */
  id: string;
  command?: StoreCommand;
}

export interface BarcodeWarning {
  code: 'pairing-required' | 'pairing-excluded' | 'duplicate-ai' | 'variable-measure-unknown-market'
    | 'variable-measure-unknown-prefix' | 'unknown-currency' | 'redundant-fnc1' | 'company-internal-gtin'
    | 'variable-measure-trade-item';
  message: string;
}

export interface BarcodeResult {
  input: string;
  /** The AIM symbology identifier (e.g. `]C1`) or null when the scanner sent none. */
  aim: string | null;
  symbology: Symbology;
  form: InputForm;
  gs1: boolean;
  /** The trade item's GTIN as 14 digits (AI 01, an EAN/UPC scan, or a Digital Link), else null. */
  gtin: string | null;
  gtinClass: GtinPrefixClass | null;
  /** AI 00 when present. */
  sscc: string | null;
  elements: BarcodeElement[];
  /** Bracketed human-readable interpretation, e.g. `(01)09501101530003(10)LOT42`; null for non-GS1 data. */
  hri: string | null;
  variableMeasure: VariableMeasure | null;
  storeLabel: StoreLabel | null;
  /** Non-GS1 payload (e.g. a ]d1 DataMatrix) that matched no store label. */
  text: string | null;
  warnings: BarcodeWarning[];
}

export type Market = 'SE' | 'DE' | 'GB' | 'UK' | 'DK' | 'NL';

/** One variable-measure rule: what a 13-digit RCN with this prefix carries. */
export interface VariableMeasureLayout {
  /** Two-digit prefix, e.g. `23`. */
  prefix: string;
  kind: MeasureKind;
  /** Digits 1..itemLength (prefix included) are the item reference. */
  itemLength: number;
  /** A price/weight verifier digit sits right after the item reference (GenSpecs 7.9.2-7.9.4). */
  verifier: boolean;
  /** Digits of the measure; itemLength + (verifier ? 1 : 0) + valueLength must be 12. */
  valueLength: number;
  decimals: number;
  /** `kg`, `g`, `lb` for weights; unused for prices and counts. */
  unit?: string;
  /** ISO 4217 for prices. */
  currency?: string;
}

export interface StoreLabelOptions {
  bin?: string | null;
  tote?: string | null;
  bag?: string | null;
  badge?: string | null;
  /** Prefix of an advance shipping notice's label, e.g. `ASN-` for `ASN-4711`. */
  asn?: string | null;
  command?: string | null;
  /** Text after the command prefix for each command, e.g. `{ confirm: 'OK' }` for `CMD-OK`. */
  commands?: Partial<Record<StoreCommand, string>>;
}

export interface BarcodeOptions {
  /** Strings a scanner sends instead of FNC1/GS (0x1D), e.g. `~`, `<GS>`. */
  fnc1Substitutes?: readonly string[];
  /** Market whose variable-measure layouts apply to prefixes 02 and 20-29. */
  market?: Market | null;
  /** Layouts that replace or extend the market's, matched by prefix. */
  customLayouts?: readonly VariableMeasureLayout[];
  storeLabels?: StoreLabelOptions;
  /** The store's SSCC company prefix: an SSCC with it is reported as our own label. */
  sscc?: { companyPrefix: string; extensionDigit?: number } | null;
  /** Reference date for the GS1 century rule (YYMMDD years); defaults to now. */
  now?: Date;
}
