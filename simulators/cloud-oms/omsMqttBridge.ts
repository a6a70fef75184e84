/**
 * Serves the sync API over MQTT for the simulated OMS: subscribes to every store's request topic
 * (QoS 1, persistent session) and answers on the store's reply topic with exactly what the HTTP
 * server would answer. Faults apply here too, so "applied but the reply was lost" exists over MQTT.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { mqttRequestSchema, replyTopic, type MqttReply } from '../../cloud-sync/mqttEnvelope.ts';
import { pushRequestSchema, snapshotRequestSchema } from '../../cloud-sync/omsApi.ts';
import type { CloudOms } from './cloudOms.ts';

export class OmsMqttBridge {
  private client?: MqttClient;

  constructor(
    private readonly oms: CloudOms,
    private readonly options: { url: string; topicPrefix: string; clientId?: string },
  ) {}

  async start(): Promise<void> {
    const { url, topicPrefix, clientId } = this.options;
    this.client = mqtt.connect(url, { clientId: clientId ?? `cloud-oms-${process.pid}`, clean: false, reconnectPeriod: 200, protocolVersion: 4 });
    this.client.on('connect', (ack) => {
      if (!ack.sessionPresent) this.client!.subscribe(`${topicPrefix}/stores/+/req`, { qos: 1 });
    });
    this.client.on('error', () => {});
    this.client.on('message', (topic, payload) => this.onRequest(topic, payload));
    await new Promise<void>((resolve) => this.client!.once('connect', () => this.client!.subscribe(`${topicPrefix}/stores/+/req`, { qos: 1 }, () => resolve())));
  }

  async stop(): Promise<void> {
    await this.client?.endAsync(true);
  }

  private onRequest(topic: string, payload: Buffer): void {
    const store = /\/stores\/([^/]+)\/req$/.exec(topic)?.[1];
    if (!store) return;
    let request;
    try {
      request = mqttRequestSchema.parse(JSON.parse(payload.toString()));
    } catch {
      return;
    }
    const fault = this.oms.faults.draw();
    const reply = (r: Omit<MqttReply, 'requestId' | 'serverTime'>): void =>
      void this.client!.publish(replyTopic(this.options.topicPrefix, store), JSON.stringify({ requestId: request.requestId, serverTime: new Date().toISOString(), ...r }), { qos: 1 });
    if (fault === 'error5xx' || fault === 'reset' || fault === 'html') return reply({ status: 503, body: { error: 'unavailable', message: `simulated ${fault}` } });
    if (fault === 'tooMany') return reply({ status: 429, body: { error: 'rate_limited', message: 'simulated rate limit' }, retryAfterMs: (this.oms.faults.settings.retryAfterSeconds ?? 1) * 1000 });
    let result: { status: number; body: unknown };
    if (request.op === 'push') {
      const body = pushRequestSchema.safeParse(request.body);
      result = body.success ? { status: 200, body: this.oms.db.ingest(store, body.data.events) } : { status: 400, body: { error: 'bad_request', message: 'not a push body' } };
    } else if (request.op === 'feed') {
      const b = (request.body ?? {}) as { after?: string; limit?: number };
      result = { status: 200, body: this.oms.db.feed(store, b.after, Math.min(10_000, b.limit ?? 200)) };
    } else {
      const body = snapshotRequestSchema.safeParse(request.body);
      result = body.success ? this.oms.snapshot(store, body.data) : { status: 400, body: { error: 'bad_request', message: 'not a snapshot body' } };
    }
    if (fault === 'replyLost') return;
    reply(result);
  }
}
