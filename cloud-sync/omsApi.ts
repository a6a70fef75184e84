/**
 * The OMS sync API v1 on the wire (docs/oms-api.md): one zod schema per message, shared by the
 * HTTP and MQTT transports so both carry exactly the same bodies and acknowledgement rules.
 *
 * @example
 *   const reply = pushReplySchema.parse(await response.json());
 *   console.log(`acknowledged through seq ${reply.ackSeq}, rejected ${reply.rejected.length}`);
 */
import { z } from 'zod';

/** A log event as the OMS receives it: opaque to sync, ordered by `seq` (never by `at`). */
export const wireEventSchema = z.object({
  seq: z.number().int().positive(),
  id: z.string().min(1),
  type: z.string().min(1),
  at: z.string(),
  data: z.unknown(),
});
export type WireEvent = z.infer<typeof wireEventSchema>;

export const pushRequestSchema = z.object({ events: z.array(wireEventSchema).min(1) });
export type PushRequest = z.infer<typeof pushRequestSchema>;

/**
 * The reply to a push. `ackSeq` is the highest seq the OMS has durably handled (accepted, already
 * held, or rejected): everything up to it never needs sending again. `rejected` names the events
 * the OMS refused, with a reason; the gateway parks them.
 */
export const pushReplySchema = z.object({
  ackSeq: z.number().int().min(0),
  accepted: z.number().int().min(0).default(0),
  duplicates: z.number().int().min(0).default(0),
  rejected: z.array(z.object({ seq: z.number().int().positive(), id: z.string(), reason: z.string() })).default([]),
});
export type PushReply = z.infer<typeof pushReplySchema>;

/** The feed kinds the OMS sends; each becomes a log event of the same type. */
export const feedKinds = ['order.released', 'order.cancelled', 'catalog.upserted', 'asn.received', 'stock.adjusted'] as const;
export type FeedKind = (typeof feedKinds)[number];

/** The envelope of a feed item; `data` is checked by the gateway's event catalogue when applied. */
export const feedItemSchema = z.object({
  cursor: z.string().min(1),
  id: z.string().min(1),
  kind: z.enum(feedKinds),
  at: z.string().optional(),
  data: z.record(z.string(), z.unknown()),
});
export type FeedItem = z.infer<typeof feedItemSchema>;

/** Items are validated one by one (a bad item is parked, not fatal), so the page holds unknowns. */
export const feedPageSchema = z.object({
  items: z.array(z.unknown()),
  nextCursor: z.string().nullable(),
});
export type FeedPage = z.infer<typeof feedPageSchema>;

export const stockRowSchema = z.object({ sku: z.string(), bin: z.string(), lot: z.string(), qty: z.number().int() });
export type StockRow = z.infer<typeof stockRowSchema>;

export const snapshotRequestSchema = z.object({ asOfSeq: z.number().int().min(0), takenAt: z.string(), stock: z.array(stockRowSchema) });
export type SnapshotRequest = z.infer<typeof snapshotRequestSchema>;

/** One (sku, bin, lot) where the store and the OMS disagree; `delta` = store - oms. */
export const driftRowSchema = z.object({ sku: z.string(), bin: z.string(), lot: z.string(), store: z.number(), oms: z.number(), delta: z.number() });
export type DriftRow = z.infer<typeof driftRowSchema>;

export const snapshotReplySchema = z.object({ asOfSeq: z.number().int().min(0), rows: z.number().int().min(0), drift: z.array(driftRowSchema) });
export type SnapshotReply = z.infer<typeof snapshotReplySchema>;

/** The error body of the API: `{error, message}`; 409 `behind` carries the OMS's ackSeq. */
export const errorBodySchema = z.object({ error: z.string(), message: z.string(), ackSeq: z.number().optional() });
