/**
 * The bag label as ZPL II: the SSCC as a GS1-128 barcode ((00) + 18 digits) with its
 * human-readable text, the order and its short code big enough to read from a metre away.
 *
 * @example
 *   bagLabelZpl({ sscc: '373500530000000002', orderId: 'O-1', store: 'Demo', weightGrams: 2100 })
 */
export interface BagLabel {
  sscc: string;
  orderId: string;
  shortCode?: string;
  store: string;
  weightGrams: number;
  /** The bag's number, in an order packed in several bags. */
  bag?: number;
  /** Bags weighed together (a station that trusts the pick): how many; the weight is theirs together. */
  of?: number;
}

/** ZPL field data must not contain the format's control characters ^ and ~. */
const field = (text: string) => text.replace(/[\^~]/g, ' ');

export function bagLabelZpl(label: BagLabel): string {
  return [
    '^XA',
    '^CI28',
    `^FO40,30^A0N,40,40^FD${field(label.store)}^FS`,
    `^FO40,90^A0N,90,90^FD${field(label.shortCode ?? label.orderId)}^FS`,
    `^FO40,200^A0N,30,30^FDorder ${field(label.orderId)}${label.bag ? `  bag ${label.bag}${label.of ? ` of ${label.of}` : ''}` : ''}  ${(label.weightGrams / 1000).toFixed(2)} kg${label.of ? ' all bags' : ''}^FS`,
    // >; starts Code C, >8 is FNC1: GS1-128 with AI 00.
    `^FO40,260^BY3^BCN,160,N,N,N^FD>;>800${label.sscc}^FS`,
    `^FO40,440^A0N,30,30^FD(00) ${label.sscc}^FS`,
    '^XZ',
  ].join('\n');
}
