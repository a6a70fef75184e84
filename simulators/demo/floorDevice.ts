/**
 * A simulated MQTT floor device worked by a simulated person: it publishes events per the
 * device contract and waits for the gateway's answer (feedback, light, print commands),
 * measuring how long a verdict took.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { contractTopics, type DeviceCommandPayload } from '../../devices/contract/deviceContract.ts';

type Feedback = Extract<DeviceCommandPayload, { kind: 'feedback' }>;

export class SimulatedFloorDevice {
  private client?: MqttClient;
  private counter = 0;
  private waiters: Array<{ match: (c: DeviceCommandPayload) => boolean; resolve: (c: DeviceCommandPayload) => void }> = [];
  readonly received: DeviceCommandPayload[] = [];
  /** Feedback that came while no action was waiting for one, oldest first (the holder takes it with `takeUnanswered`). */
  private unanswered: Feedback[] = [];
  /** Called with every command the gateway sends this device (e.g. a printer's print jobs). */
  onCommand?: (command: DeviceCommandPayload) => void;
  private readonly topics;

  constructor(
    readonly deviceId: string,
    private readonly options: { url: string; secret: string; topicRoot?: string },
  ) {
    this.topics = contractTopics(options.topicRoot ?? 'dsgw/v1');
  }

  async connect(): Promise<void> {
    const client = mqtt.connect(this.options.url, {
      clientId: `sim-${this.deviceId}`,
      username: this.deviceId,
      password: this.options.secret,
      reconnectPeriod: 1000,
      will: { topic: this.topics.status(this.deviceId), payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    this.client = client;
    client.on('error', () => undefined);
    client.on('connect', () => {
      // A scanner's one small packet must not wait for Nagle and a delayed ACK (~40 ms).
      (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
      // Back after the broker restarted (a gateway restart): say so, as a real device does on each connect.
      if (this.announced) void client.publishAsync(this.topics.status(this.deviceId), 'online', { qos: 1, retain: true }).catch(() => undefined);
    });
    client.on('message', (_topic, payload) => {
      let command: DeviceCommandPayload;
      try {
        command = JSON.parse(payload.toString()) as DeviceCommandPayload;
      } catch {
        return;
      }
      this.received.push(command);
      this.onCommand?.(command);
      if (this.received.length > 200) this.received.shift();
      const i = this.waiters.findIndex((w) => w.match(command));
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(command);
      else if (command.kind === 'feedback') {
        // Nobody was waiting for it: a message out of the blue, e.g. "order O-1 was cancelled".
        this.unanswered.push(command);
        if (this.unanswered.length > 100) this.unanswered.shift();
      }
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    await client.subscribeAsync(this.topics.commands(this.deviceId), { qos: 1 });
    await client.publishAsync(this.topics.status(this.deviceId), 'online', { qos: 1, retain: true });
    this.announced = true;
  }
  private announced = false;

  /** Whether the device is connected to the broker now (a person sees the scanner's status LED). */
  get connected(): boolean {
    return this.client?.connected === true && this.unplugged === undefined;
  }

  async close(): Promise<void> {
    await this.client?.endAsync(true);
  }

  /** Pulls the plug for `ms`: the connection drops without a goodbye, then comes back. */
  async unplug(ms: number): Promise<void> {
    let replugged!: () => void;
    this.unplugged = new Promise<void>((resolve) => (replugged = resolve));
    await this.client?.endAsync(true);
    await new Promise((r) => setTimeout(r, ms));
    await this.connect();
    this.unplugged = undefined;
    replugged();
  }
  private unplugged?: Promise<void>;

  /** Publishes an event; a person holding an unplugged scanner waits until it works again. */
  async send(event: Record<string, unknown>): Promise<void> {
    this.counter += 1;
    const payload = JSON.stringify({ ...event, id: `${this.deviceId}-${Date.now()}-${this.counter}` });
    for (let attempt = 0; ; attempt++) {
      await this.unplugged;
      try {
        await this.client!.publishAsync(this.topics.events(this.deviceId), payload, { qos: 1 });
        return;
      } catch (err) {
        if (attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /** The next command matching `match`, or undefined after `timeoutMs`. */
  next(match: (c: DeviceCommandPayload) => boolean, timeoutMs = 10_000): Promise<DeviceCommandPayload | undefined> {
    return new Promise((resolve) => {
      const waiter = { match, resolve: (c: DeviceCommandPayload | undefined) => resolve(c) };
      this.waiters.push(waiter as never);
      setTimeout(() => {
        const i = this.waiters.indexOf(waiter as never);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          resolve(undefined);
        }
      }, timeoutMs).unref();
    });
  }

  /** The feedback that came with no action waiting for it since the last call. */
  takeUnanswered(): Feedback[] {
    const out = this.unanswered;
    this.unanswered = [];
    return out;
  }

  /** Sends an event and waits for the scanner's feedback; returns it with the verdict time. */
  async act(event: Record<string, unknown>, feedbackFrom: SimulatedFloorDevice = this): Promise<{ feedback?: Feedback; ms: number }> {
    const started = performance.now();
    const answer = feedbackFrom.next((c) => c.kind === 'feedback');
    await this.send(event);
    const feedback = (await answer) as Feedback | undefined;
    return { feedback, ms: performance.now() - started };
  }

  scan(data: string): Promise<{ feedback?: Feedback; ms: number }> {
    return this.act({ kind: 'scan', data });
  }
}
