/**
 * The OMS sync API v1 over MQTT: the same bodies as HTTP inside a request/reply envelope.
 * Requests: `{prefix}/stores/{store}/req`; replies: `{prefix}/stores/{store}/res`; both QoS 1.
 * `op` names the HTTP call it stands for; `status` carries the HTTP status it would have had.
 *
 * @example
 *   publish('dsgw/oms/v1/stores/ams-1/req', JSON.stringify({ requestId: 'r1', op: 'push', body: { events } }));
 *   // reply on dsgw/oms/v1/stores/ams-1/res: {"requestId":"r1","status":200,"body":{"ackSeq":42,...}}
 */
import { z } from 'zod';

export const mqttOps = ['push', 'feed', 'inventory'] as const;

export const mqttRequestSchema = z.object({
  requestId: z.string().min(1),
  op: z.enum(mqttOps),
  /** push: PushRequest; feed: {after?, limit}; inventory: SnapshotRequest */
  body: z.unknown(),
});
export type MqttRequest = z.infer<typeof mqttRequestSchema>;

export const mqttReplySchema = z.object({
  requestId: z.string(),
  status: z.number().int(),
  body: z.unknown(),
  retryAfterMs: z.number().optional(),
  /** The OMS clock when it replied, for skew reporting. */
  serverTime: z.string().optional(),
});
export type MqttReply = z.infer<typeof mqttReplySchema>;

export function requestTopic(prefix: string, store: string): string {
  return `${prefix}/stores/${store}/req`;
}
export function replyTopic(prefix: string, store: string): string {
  return `${prefix}/stores/${store}/res`;
}
