/**
 * The typed catalogue of event kinds. Every event appended to the log is checked against its
 * kind's schema here, once, at the edge; projections and workflows then trust the data.
 * Adding a kind = adding a line to `eventSchemas` (and, if it moves stock or orders, a case in
 * projections.ts). Sync treats events as opaque rows and needs no change.
 */
import { z } from 'zod';

const sku = z.string().min(1);
const bin = z.string().min(1);
const lot = z.string().max(20).optional().describe('GS1 AI 10, when the item carries one');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const qty = z.number().int().positive();
const orderId = z.string().min(1);

const orderLine = z.object({
  line: z.number().int().min(1),
  sku,
  qty,
  substitutes: z.array(sku).optional(),
});

export const eventSchemas = {
  'stock.received': z.object({ sku, bin, lot, expiry: isoDate.optional(), qty, asn: z.string().optional() }),
  'stock.putaway': z.object({ sku, fromBin: bin, toBin: bin, lot, expiry: isoDate.optional(), qty }),
  'stock.moved': z.object({ sku, fromBin: bin, toBin: bin, lot, qty, reason: z.string().optional() }),
  'stock.picked': z.object({
    sku, bin, lot, qty, orderId: orderId.optional(), line: z.number().int().min(1).optional(), gtin: z.string().optional(),
    grams: z.number().nonnegative().optional().describe('weight of a variable-measure item, from its barcode'),
    substituteFor: sku.optional().describe('the ordered SKU when this is an allowed substitute'),
  }),
  'stock.short': z.object({ sku, bin, qty, orderId, line: z.number().int().min(1), reason: z.string().optional() }),
  'stock.adjusted': z.object({ sku, bin, lot, delta: z.number().int(), reason: z.string().min(1), adjustmentId: z.string().optional() }),
  'stock.counted': z.object({ sku, bin, lot, counted: z.number().int().min(0), expected: z.number().int(), delta: z.number().int() }),
  'stock.returned': z
    .object({ sku, bin, lot, qty, orderId, line: z.number().int().min(1).optional() })
    .describe('picked units of a cancelled order put back into a bin: the reverse of their stock.picked'),
  'order.released': z.object({
    orderId,
    priority: z.number().int().default(0),
    dueAt: z.string().optional(),
    shortCode: z.string().optional(),
    lines: z.array(orderLine).min(1),
  }),
  'order.cancelled': z.object({ orderId, reason: z.string().optional() }),
  'order.picked': z.object({ orderId, tote: z.string().optional(), station: z.string().optional() }),
  'batch.started': z.object({
    batchId: z.string().min(1),
    station: z.string().min(1),
    orders: z.array(z.object({ orderId, slot: z.number().int().min(1) })).min(1).describe('each order of the batch and its put wall slot'),
    recordsPuts: z.boolean().optional().describe('the station records batch.put for each confirmed put (batches started before that have none)'),
  }),
  'batch.toteAssigned': z.object({ batchId: z.string().min(1), station: z.string().min(1), orderId, slot: z.number().int().min(1), tote: z.string().min(1) }),
  'batch.put': z
    .object({ batchId: z.string().min(1), station: z.string().min(1), orderId, slot: z.number().int().min(1), sku, qty })
    .describe('the picker confirmed putting the units of the stock.picked before it into the order\'s tote'),
  'order.packed': z.object({ orderId, bags: z.number().int().min(1).optional(), weightGrams: z.number().optional() }),
  'bag.packed': z
    .object({ orderId, bag: z.number().int().min(1), sscc: z.string().regex(/^\d{18}$/), items: z.array(z.object({ sku, qty, grams: z.number().optional().describe('a variable-measure item: its weight in this bag') })).min(1), weightGrams: z.number() })
    .describe('one bag of an order packed in several passed its checkweigh; the last bag is order.packed'),
  'bag.dispatched': z
    .object({ orderId, sscc: z.string().regex(/^\d{18}$/), courier: z.string().optional() })
    .describe('one bag of an order packed in several went out; the last bag is order.dispatched'),
  'order.dispatched': z.object({ orderId, courier: z.string().optional(), sscc: z.string().optional() }),
  'catalog.upserted': z.object({
    sku,
    name: z.string(),
    gtins: z.array(z.string().regex(/^\d{14}$/, 'a GTIN normalised to 14 digits')),
    unitGrams: z.number().nonnegative().optional(),
    toleranceGrams: z.number().nonnegative().optional(),
    variableMeasure: z.boolean().default(false),
    minShelfLifeDays: z.number().int().min(0).default(0),
    lotTracked: z.boolean().optional().describe('lot and expiry are captured at receiving'),
    shelfLifeDays: z.number().int().min(0).optional(),
  }),
  'asn.received': z.object({
    asn: z.string().min(1),
    supplier: z.string().optional(),
    expectedAt: z.string().optional(),
    lines: z.array(z.object({ sku, qty, lot, expiry: isoDate.optional() })).min(1),
  }),
  'asn.closed': z.object({
    asn: z.string().min(1),
    lines: z
      .array(z.object({ sku, expected: z.number().int().min(0), received: z.number().int().min(0), delta: z.number().int() }))
      .describe('every SKU of the ASN and every SKU received against it, expected vs received; delta = received - expected'),
    discrepancies: z
      .array(z.object({ sku, expected: z.number().int().min(0), received: z.number().int().min(0), delta: z.number().int(), kind: z.enum(['short', 'over', 'notOnAsn']) }))
      .describe('the lines whose delta is not 0'),
  }),
  'verification.failed': z.object({
    station: z.string().optional(),
    orderId: z.string().optional(),
    reason: z.string().min(1).describe('message key, e.g. pick.wrongItem'),
    params: z.record(z.string(), z.unknown()).default({}),
  }),
  'verification.overridden': z.object({
    station: z.string(),
    orderId: z.string().optional(),
    reason: z.string().min(1).describe('message key of the failure that was overridden'),
    params: z.record(z.string(), z.unknown()).default({}),
    supervisor: z.string().min(1).describe('badge id of the supervisor who overrode'),
    bag: z.number().int().min(1).optional().describe('which bag, when the order is packed in several (the first of them, when they were weighed together)'),
    bags: z.number().int().min(2).optional().describe('how many bags were weighed together, at a station that trusts the pick'),
  }),
  'label.printed': z.object({ orderId, sscc: z.string().regex(/^\d{18}$/), printer: z.string(), station: z.string(), bag: z.number().int().min(1).optional().describe('which bag, when the order has several') }),
  'task.created': z.object({
    taskId: z.string().min(1),
    kind: z.enum(['count', 'replenish', 'putaway']),
    sku: sku.optional(),
    bin,
    reason: z.string().optional(),
    orderId: orderId.optional(),
    qty: qty.optional().describe('a return putaway: the units to put back, when fewer than were picked (some left with a dispatched bag)'),
    countUnits: z
      .boolean()
      .optional()
      .describe('a return putaway whose units may not all be here (some left in bags whose contents were never scanned): the worker scans each unit, and the bin scan puts back those'),
  }),
  'task.completed': z.object({ taskId: z.string().min(1), kind: z.enum(['count', 'replenish', 'putaway']) }),
  'device.online': z.object({ deviceId: z.string() }),
  'device.offline': z.object({ deviceId: z.string(), reason: z.string().optional() }),
  'device.scanned': z.object({
    deviceId: z.string(),
    data: z.string().describe('what the scanner sent, prefix and suffix stripped'),
    gtin: z.string().optional().describe('GTIN-14 when the barcode carries one'),
    label: z.string().optional().describe('store label kind (bin, tote, bag, badge, asn, command, sscc) when it is one'),
    barcodeError: z.string().optional().describe('why the data could not be decoded'),
  }),
  'device.weighed': z.object({ deviceId: z.string(), grams: z.number().describe('a stable reading; moving readings are not logged') }),
  'print.queued': z.object({
    jobId: z.string().min(1),
    printer: z.string(),
    format: z.enum(['zpl', 'escpos']),
    document: z.string().min(1),
    copies: z.number().int().min(1).default(1),
    reprintOf: z.string().optional().describe('set on an explicit reprint: the job it repeats'),
  }),
  'print.done': z.object({ jobId: z.string().min(1), printer: z.string() }),
  'print.failed': z.object({ jobId: z.string().min(1), printer: z.string(), reason: z.string().describe('one failed attempt; the job stays queued') }),
  'sensor.passage': z.object({ deviceId: z.string(), count: z.number().int().min(1), blockedMs: z.number().int().min(0) }),
  'sensor.jam': z.object({ deviceId: z.string(), blockedMs: z.number().int().min(0) }),
  'sensor.jamCleared': z.object({ deviceId: z.string(), blockedMs: z.number().int().min(0) }),
  'config.changed': z.object({ by: z.string().optional(), summary: z.string() }),
  'zigbee.joined': z.object({
    ieee: z.string().describe('IEEE address of the device that joined'),
    deviceId: z.string().optional().describe('the configured device bound to that address, if any'),
    interview: z.enum(['successful', 'failed']),
    model: z.string().optional(),
    manufacturer: z.string().optional(),
    classes: z.array(z.string()).describe('what its clusters allow it to be: light, button, sensor'),
  }),
  'zigbee.left': z.object({ ieee: z.string(), deviceId: z.string().optional() }),
} as const;

export type EventType = keyof typeof eventSchemas;
export type EventData<T extends EventType> = z.output<(typeof eventSchemas)[T]>;
export const eventTypes = Object.keys(eventSchemas) as EventType[];

/** Where an event came from and why (DESIGN principle 6). */
export const eventSourceSchema = z
  .object({
    device: z.string().optional(),
    station: z.string().optional(),
    actor: z.string().optional().describe('staff badge, when known'),
    orderId: z.string().optional(),
    taskId: z.string().optional(),
    origin: z.string().optional().describe('cloud feed id, admin user, ...'),
  })
  .strict();
export type EventSource = z.output<typeof eventSourceSchema>;

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventSchemas, type);
}

/** An event as it sits in the log. */
export interface LoggedEvent<T extends EventType = EventType> {
  seq: number;
  id: string;
  type: T;
  at: string;
  source: EventSource;
  data: EventData<T>;
}
