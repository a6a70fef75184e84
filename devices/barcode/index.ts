/** Public entry of the barcode decoder (GS1 element strings, HRI, Digital Link, GTINs, store labels). */
export { decodeBarcode } from './decodeBarcode.ts';
export { BarcodeError } from './errors.ts';
export type {
  BarcodeElement, BarcodeOptions, BarcodeResult, BarcodeWarning, ElementValue, GtinPrefixClass, InputForm, Market,
  MeasureKind, StoreCommand, StoreLabel, StoreLabelKind, StoreLabelOptions, Symbology, VariableMeasure, VariableMeasureLayout,
} from './types.ts';
export { classifyGtin, completeGtin, gs1CheckDigit, hasValidCheckDigit, isValidGtin, normalizeGtin, shortestGtin } from './gtin.ts';
export { InMemorySerialStore, SsccExhaustedError, SsccGenerator, type SerialStore, type SsccGeneratorOptions } from './sscc.ts';
export { encodeDigitalLink, encodeElementString, encodeHumanReadable, type ElementInput, type EncodeOptions } from './encode.ts';
export { fiveDigitPriceCheckDigit, fourDigitPriceCheckDigit, priceCheckDigit } from './priceCheckDigit.ts';
export { MARKET_LAYOUTS, MARKETS } from './marketLayouts.ts';
export { DEFAULT_STORE_LABELS } from './storeLabels.ts';
export { AI_TABLE, listAis, type AiDefinition } from './aiTable.ts';
export { AI_DICTIONARY_RELEASE } from './aiTable.generated.ts';
