/**
 * The OMS sync API over a cloud MQTT broker (EMQX, HiveMQ, AWS IoT Core, Mosquitto...): QoS 1,
 * a persistent session under a stable client id, per-store topics, and the same acknowledgement
 * rules as HTTP (the reply's ackSeq moves the cursor; nothing else does). A request without a
 * reply within the timeout fails and is retried by the loop; the OMS's (store, seq) idempotency
 * makes a re-sent batch harmless, also when the broker restarts mid-push.
 *
 * @example
 *   const t = new MqttTransport({ url: 'mqtt://broker:1883', store: 'ams-1', topicPrefix: 'dsgw/oms/v1' });
 *   await t.start();
 *   const reply = await t.pushEvents({ events });
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import type { z } from 'zod';
import { NotTheOmsApiError, OmsRequestError } from './errors.ts';
import { replyTopic, requestTopic, mqttReplySchema, type MqttRequest } from './mqttEnvelope.ts';
import {
  errorBodySchema,
  feedPageSchema,
  pushReplySchema,
  snapshotReplySchema,
  type FeedPage,
  type PushReply,
  type SnapshotReply,
  type SnapshotRequest,
} from './omsApi.ts';
import type { OmsTransport } from './omsTransport.ts';

export interface MqttTransportOptions {
  url: string;
  store: string;
  topicPrefix: string;
  clientId?: string;
  username?: string;
  password?: string;
  caFile?: string;
  timeoutMs?: number;
  /** Reconnect period; short in tests. */
  reconnectMs?: number;
}

interface Waiter {
  resolve: (body: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
  schema: z.ZodType;
  op: string;
}

export class MqttTransport implements OmsTransport {
  readonly kind = 'mqtt' as const;
  lastServerDate?: number;
  private client?: MqttClient;
  private readonly waiters = new Map<string, Waiter>();
  private readonly reqTopic: string;
  private readonly resTopic: string;

  constructor(private readonly options: MqttTransportOptions) {
    this.reqTopic = requestTopic(options.topicPrefix, options.store);
    this.resTopic = replyTopic(options.topicPrefix, options.store);
  }

  /** Connects in the background: an unreachable broker is an outage to ride out, not a start failure. */
  async start(): Promise<void> {
    const o = this.options;
    this.client = mqtt.connect(o.url, {
      clientId: o.clientId ?? `dsgw-sync-${o.store}`,
      clean: false,
      username: o.username,
      password: o.password,
      ca: o.caFile ? readFileSync(o.caFile) : undefined,
      reconnectPeriod: o.reconnectMs ?? 2000,
      connectTimeout: 10_000,
      protocolVersion: 4,
    });
    this.client.on('connect', (ack) => {
      // A broker that lost our session (restart without persistence) needs the subscription again.
      if (!ack.sessionPresent) this.client!.subscribe(this.resTopic, { qos: 1 });
    });
    this.client.on('error', () => {
      // Reported through the failed requests; mqtt.js reconnects by itself.
    });
    this.client.on('message', (topic, payload) => this.onReply(topic, payload));
  }

  pushEvents(body: string): Promise<PushReply> {
    return this.call('push', body, pushReplySchema);
  }

  fetchFeed(after: string | undefined, limit: number): Promise<FeedPage> {
    return this.call('feed', { after, limit }, feedPageSchema);
  }

  putInventory(body: SnapshotRequest): Promise<SnapshotReply> {
    return this.call('inventory', body, snapshotReplySchema);
  }

  async close(): Promise<void> {
    for (const [id, w] of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new OmsRequestError(`MQTT ${w.op}: the transport was closed`));
      this.waiters.delete(id);
    }
    await this.client?.endAsync(true);
  }

  private call<S extends z.ZodType>(op: MqttRequest['op'], body: unknown, schema: S): Promise<z.output<S>> {
    const where = `MQTT ${op} on ${this.options.url} ${this.reqTopic}`;
    const client = this.client;
    if (!client?.connected) return Promise.reject(new OmsRequestError(`${where}: not connected to the cloud broker; will retry`));
    const requestId = randomUUID();
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(requestId);
        reject(new OmsRequestError(`${where}: no reply within ${timeoutMs} ms; the OMS or the broker is away, will retry`));
      }, timeoutMs);
      this.waiters.set(requestId, { resolve: resolve as (b: unknown) => void, reject, timer, schema, op });
      // A body already serialised (push) goes in as is, so it is not parsed and written again.
      const json = typeof body === 'string' ? `{"requestId":${JSON.stringify(requestId)},"op":"${op}","body":${body}}` : JSON.stringify({ requestId, op, body } satisfies MqttRequest);
      client.publish(this.reqTopic, json, { qos: 1 }, (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.waiters.delete(requestId);
        reject(new OmsRequestError(`${where}: publish failed: ${err.message}; will retry`));
      });
    });
  }

  private onReply(topic: string, payload: Buffer): void {
    if (topic !== this.resTopic) return;
    let reply;
    try {
      reply = mqttReplySchema.parse(JSON.parse(payload.toString()));
    } catch {
      return; // Not ours to answer: a stray message on the reply topic is ignored.
    }
    const waiter = this.waiters.get(reply.requestId);
    if (!waiter) return; // A late reply to a request that timed out: its retry gets its own.
    this.waiters.delete(reply.requestId);
    clearTimeout(waiter.timer);
    if (reply.serverTime) this.lastServerDate = Date.parse(reply.serverTime);
    const where = `MQTT ${waiter.op} on ${this.options.url}`;
    const text = JSON.stringify(reply.body) ?? '';
    if (reply.status >= 200 && reply.status < 300) {
      const parsed = waiter.schema.safeParse(reply.body);
      if (parsed.success) waiter.resolve(parsed.data);
      else waiter.reject(new NotTheOmsApiError(where, reply.status, 'application/json', text));
      return;
    }
    const error = errorBodySchema.safeParse(reply.body);
    if (!error.success) waiter.reject(new NotTheOmsApiError(where, reply.status, 'application/json', text));
    else waiter.reject(new OmsRequestError(`${where}: ${reply.status} ${error.data.error}: ${error.data.message}; will retry`, reply.status, reply.retryAfterMs));
  }
}
