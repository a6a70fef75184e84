/** A small catalog and barcode makers shared by the workflow table tests. */
import { completeGtin, decodeBarcode, type BarcodeResult } from '../../devices/barcode/index.ts';
import { renderMessage } from '../../gateway/messages/messages.ts';
import type { CatalogItem, CatalogView, Decision, Effect, StationInput } from '../../gateway/workflows/types.ts';

export const gtin = {
  milk: completeGtin('0950110153000'),
  milk6: completeGtin('1950110153000'),
  oat: completeGtin('0950110153001'),
  yog: completeGtin('0950110153002'),
  lactoseFree: completeGtin('0950110153003'),
  cheese: '02312345600004',
  unknown: completeGtin('0950110159999'),
};

const items: Array<CatalogItem & { gtins: string[] }> = [
  { sku: 'MILK', name: 'Whole Milk 1L', gtins: [gtin.milk, gtin.milk6], unitGrams: 1030, variableMeasure: false, minShelfLifeDays: 2 },
  { sku: 'OAT', name: 'Oat Milk 1L', gtins: [gtin.oat], unitGrams: 1050, variableMeasure: false, minShelfLifeDays: 0 },
  { sku: 'YOG', name: 'Yoghurt 150g', gtins: [gtin.yog], unitGrams: 160, toleranceGrams: 5, variableMeasure: false, minShelfLifeDays: 5 },
  { sku: 'MILK-LF', name: 'Lactose-free Milk 1L', gtins: [gtin.lactoseFree], unitGrams: 1030, variableMeasure: false, minShelfLifeDays: 0 },
  { sku: 'CHEESE', name: 'Gouda by weight', gtins: [gtin.cheese], unitGrams: 500, toleranceGrams: 100, variableMeasure: true, minShelfLifeDays: 0 },
  { sku: 'BREAD', name: 'Sourdough', gtins: [], variableMeasure: false, minShelfLifeDays: 0 },
];

export const catalog: CatalogView = {
  item: (sku) => {
    const found = items.find((i) => i.sku === sku);
    if (!found) return undefined;
    const { gtins: _gtins, ...item } = found;
    return item;
  },
  skuOfGtin: (g) => items.find((i) => i.gtins.includes(g))?.sku,
};

export const today = '2026-12-03';
const yymmdd = (iso: string) => iso.slice(2).replace(/-/g, '');

/** A GS1-128 item scan with optional expiry, lot and count. */
export function itemScan(g: string, opts: { expiry?: string; lot?: string; count?: number } = {}): BarcodeResult {
  let data = `]C101${g}`;
  if (opts.expiry) data += `17${yymmdd(opts.expiry)}`;
  // AI 30 has no predefined length: a GS ends it when another AI follows.
  if (opts.count !== undefined) data += `30${opts.count}${opts.lot ? '\u001d' : ''}`;
  if (opts.lot) data += `10${opts.lot}`;
  return decodeBarcode(data, { now: new Date(`${today}T12:00:00Z`) });
}

/** A variable-measure (SE layout, prefix 23, kg with 3 decimals) label for the cheese. */
export function cheeseLabel(grams: number): BarcodeResult {
  return decodeBarcode(completeGtin(`23123456${String(grams).padStart(4, '0')}`), { market: 'SE' });
}

export const label = (text: string) => decodeBarcode(text);

/** The events a decision appends, in order. */
export const events = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'append' ? [e.event] : []));
/** What the scanner was told: `ok: ...` or `error: ...`, rendered in English. */
export const said = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'feedback' ? [`${e.result}: ${renderMessage(e.message)}`] : []));

/** Feeds inputs through a workflow one by one, keeping each decision's effects. */
export function runWorkflow<S, C, I = StationInput>(apply: (state: S, input: I, ctx: C) => Decision<S>, initial: S, ctx: C, inputs: I[]): { state: S; effects: Effect[][] } {
  let state = initial;
  const effects: Effect[][] = [];
  for (const input of inputs) {
    const d = apply(state, input, ctx);
    state = d.state;
    effects.push(d.effects);
  }
  return { state, effects };
}
