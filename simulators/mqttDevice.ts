/**
 * An MQTT scanner or scale that speaks the device contract: logs in with its id and secret,
 * sets its last will, publishes events at QoS 1 with an id each, and records the commands it
 * receives. `dropConnection()` kills the socket without a goodbye (the broker publishes the
 * last will); `reconnect()` comes back with the same persistent session, and events published
 * while away are delivered then.
 *
 * @example
 *   const scanner = new MqttDeviceSimulator({ url: 'mqtt://127.0.0.1:1884', deviceId: 'scanner-pick-1', secret: 'demo-scanner-pick-1' });
 *   await scanner.connect();
 *   await scanner.scan(']E04006381333931');
 *   await scanner.weight(412.5, true);
 */
import mqtt, { type MqttClient } from 'mqtt';
import { contractTopics } from '../devices/contract/deviceContract.ts';

export interface MqttDeviceSimulatorOptions {
  url: string;
  deviceId: string;
  secret: string;
  topicRoot?: string;
}

export class MqttDeviceSimulator {
  private client?: MqttClient;
  private counter = 0;
  readonly commands: unknown[] = [];
  readonly errors: unknown[] = [];
  private readonly topics: ReturnType<typeof contractTopics>;

  constructor(private readonly options: MqttDeviceSimulatorOptions) {
    this.topics = contractTopics(options.topicRoot ?? 'dsgw/v1');
  }

  async connect(): Promise<void> {
    const { deviceId, secret, url } = this.options;
    const client = mqtt.connect(url, {
      clientId: `sim-${deviceId}`,
      username: deviceId,
      password: secret,
      clean: false,
      reconnectPeriod: 0,
      will: { topic: this.topics.status(deviceId), payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    this.client = client;
    client.on('message', (topic, payload) => {
      const parsed = JSON.parse(payload.toString()) as unknown;
      (topic === this.topics.errors(deviceId) ? this.errors : this.commands).push(parsed);
    });
    client.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    await client.subscribeAsync([this.topics.commands(deviceId), this.topics.errors(deviceId)], { qos: 1 });
    await client.publishAsync(this.topics.status(deviceId), 'online', { qos: 1, retain: true });
  }

  /** Publishes an event with a fresh id (or the given one, to simulate a redelivery). */
  async publish(event: Record<string, unknown>, id = `${this.options.deviceId}-${++this.counter}`): Promise<string> {
    if (!this.client) throw new Error('simulated MQTT device is not connected');
    await this.client.publishAsync(this.topics.events(this.options.deviceId), JSON.stringify({ ...event, id }), { qos: 1 });
    return id;
  }

  /** Publishes raw bytes on the events topic (for bad-input tests). */
  async publishRaw(payload: string | Buffer): Promise<void> {
    await this.client!.publishAsync(this.topics.events(this.options.deviceId), payload, { qos: 1 });
  }

  scan(data: string): Promise<string> {
    return this.publish({ kind: 'scan', data });
  }

  weight(grams: number, stable: boolean): Promise<string> {
    return this.publish({ kind: 'weight', grams, stable });
  }

  /** Pulls the plug: no DISCONNECT, so the broker publishes the last will. */
  dropConnection(): void {
    this.client?.stream.destroy();
    this.client?.end(true);
    this.client = undefined;
  }

  async reconnect(): Promise<void> {
    await this.connect();
  }

  async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await client.publishAsync(this.topics.status(this.options.deviceId), 'offline', { qos: 1, retain: true });
    await client.endAsync();
  }
}
