/**
 * The gateway's own MQTT connection, to the embedded broker or an external one: it receives
 * device events and status per the device contract, answers malformed payloads on the device's
 * errors topic, and publishes commands and station state. Reconnects by itself (mqtt.js), with
 * a persistent session so QoS 1 device events published while it was away still arrive.
 */
import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import {
  contractTopics,
  deviceCommandPayloadSchema,
  parseDeviceEventPayload,
  parseDeviceTopic,
  type ContractTopics,
  type DeviceCommandPayload,
  type DeviceErrorPayload,
} from '../../devices/contract/deviceContract.ts';
import type { MqttDeviceInbound } from '../../devices/transports/mqttDevice.ts';
import type { EventBus } from '../core/eventBus.ts';
import type { Metrics } from '../core/metrics.ts';
import { RecentIds } from './recentIds.ts';

export interface GatewayMqttLinkOptions {
  url: string;
  username?: string;
  password?: string;
  clientId: string;
  caFile?: string;
  topicRoot: string;
  storeId: string;
  /** Ids of configured devices; messages from others are answered with an error. */
  deviceIds: () => ReadonlySet<string>;
  bus: EventBus;
  logger: Logger;
  metrics: Metrics;
  /**
   * Where per-device traffic goes once checked (the device registry's MQTT drivers, which keep
   * health and decode scans). Without it, events and status go straight to the bus.
   */
  inbound?: MqttDeviceInbound;
  /** Least time between two publishes of one station's screen; 100 ms when not given. */
  screenIntervalMs?: number;
}

interface ScreenSlot {
  /** The newest state not yet handed to the client; serialised only when it goes out. */
  state?: unknown;
  waiters: Array<{ resolve: () => void; reject: (err: Error) => void }>;
  /** A publish of this station's screen is on its way, or scheduled. */
  busy: boolean;
  /** When the last one went out (performance.now()). */
  sentAt: number;
}

export class GatewayMqttLink {
  readonly name = 'mqtt-link';
  readonly topics: ContractTopics;
  private readonly options: GatewayMqttLinkOptions;
  private readonly recent = new RecentIds(4096);
  private client?: MqttClient;
  /** Per station: the newest screen not yet handed to the client, and who waits for it. */
  private readonly screens = new Map<string, ScreenSlot>();

  constructor(options: GatewayMqttLinkOptions) {
    this.options = options;
    this.topics = contractTopics(options.topicRoot);
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  async start(): Promise<void> {
    const { url, username, password, clientId, caFile, storeId, logger } = this.options;
    const statusTopic = this.topics.gatewayStatus(storeId);
    const client = mqtt.connect(url, {
      username,
      password,
      clientId,
      clean: false,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      ca: caFile ? readFileSync(caFile) : undefined,
      will: { topic: statusTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
      // MQTT.js logs through \`debug\` a dozen times per packet; even switched off, each call costs
      // (about 5 % of the gateway's CPU per scan at 200 stations). DEBUG=mqttjs* still turns it on.
      log: process.env.DEBUG ? undefined : () => {},
    });
    this.client = client;
    client.on('connect', () => {
      // A verdict follows the PUBACK of its scan within a millisecond: with Nagle on, the second
      // small write waits for the device's delayed ACK (~40 ms on Linux).
      (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
      logger.info({ component: this.name, url }, 'connected to the MQTT broker');
      client.publish(statusTopic, 'online', { qos: 1, retain: true });
      client.subscribe([this.topics.allEvents, this.topics.allStatus], { qos: 1 }, (err) => {
        if (err) logger.error({ component: this.name, err: err.message }, 'subscribing to device topics failed');
      });
    });
    client.on('close', () => logger.debug({ component: this.name }, 'MQTT connection closed; reconnecting'));
    client.on('error', (err) => logger.warn({ component: this.name, url, err: err.message }, 'MQTT connection error; retrying'));
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    // Start waits for the first connection so the gateway says "ready" truthfully; the link
    // keeps retrying in the background when the broker is not there yet.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        logger.warn({ component: this.name, url }, 'MQTT broker not reachable yet; still trying in the background');
        resolve();
      }, 5000);
      client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    // Screens still waiting for their turn go out before the link closes (when it can).
    await Promise.all(
      [...this.screens].filter(([, slot]) => slot.state !== undefined).map(([stationId, slot]) => {
        const { state, waiters } = slot;
        slot.state = undefined;
        slot.waiters = [];
        const sent = client.connected
          ? this.publishScreen(stationId, state)
          : Promise.reject(new Error(`MQTT link is stopping while disconnected; station ${stationId}'s screen was not published`));
        return sent.then(
          () => waiters.forEach((w) => w.resolve()),
          (err: Error) => waiters.forEach((w) => w.reject(err)),
        );
      }),
    );
    this.client = undefined;
    if (client.connected) {
      await new Promise<void>((resolve) =>
        client.publish(this.topics.gatewayStatus(this.options.storeId), 'offline', { qos: 1, retain: true }, () => resolve()),
      );
    }
    await client.endAsync(false);
  }

  /** Sends a command to a device (QoS 1). Resolves when the broker has it. */
  async sendCommand(deviceId: string, command: DeviceCommandPayload): Promise<void> {
    const valid = deviceCommandPayloadSchema.parse(command);
    await this.publish(this.topics.commands(deviceId), JSON.stringify(valid), false);
  }

  /**
   * Publishes what a station screen shows now, retained. Latest wins: a screen goes out on the
   * next turn of the event loop, after the verdicts of this one, and at most once per
   * `screenIntervalMs` per station; states that come faster replace each other and the last one
   * goes out at the end of the interval. A screen therefore always ends on the station's latest
   * state, without one broker publish per scan when a station scans in bursts. Resolves when the
   * broker has this state or a later one of the same station.
   */
  publishStationState(stationId: string, state: unknown): Promise<void> {
    let slot = this.screens.get(stationId);
    if (!slot) {
      slot = { waiters: [], busy: false, sentAt: -Infinity };
      this.screens.set(stationId, slot);
    }
    slot.state = state;
    const delivered = new Promise<void>((resolve, reject) => slot.waiters.push({ resolve, reject }));
    if (!slot.busy) {
      slot.busy = true;
      this.scheduleScreen(stationId, slot);
    }
    return delivered;
  }

  private scheduleScreen(stationId: string, slot: ScreenSlot): void {
    const wait = slot.sentAt + (this.options.screenIntervalMs ?? 100) - performance.now();
    if (wait <= 0) setImmediate(() => this.sendScreen(stationId, slot));
    else setTimeout(() => this.sendScreen(stationId, slot), wait).unref();
  }

  private sendScreen(stationId: string, slot: ScreenSlot): void {
    const { state, waiters } = slot;
    slot.state = undefined;
    slot.waiters = [];
    if (state === undefined) {
      slot.busy = false;
      return;
    }
    slot.sentAt = performance.now();
    const next = () => {
      if (slot.state === undefined) slot.busy = false;
      else this.scheduleScreen(stationId, slot);
    };
    this.publishScreen(stationId, state).then(
      () => {
        for (const w of waiters) w.resolve();
        next();
      },
      (err: Error) => {
        for (const w of waiters) w.reject(err);
        next();
      },
    );
  }

  /** Async so that a state JSON cannot serialise rejects its waiters instead of throwing in a timer. */
  private async publishScreen(stationId: string, state: unknown): Promise<void> {
    await this.publish(this.topics.stationState(stationId), JSON.stringify(state), true);
  }

  private async publish(topic: string, payload: string, retain: boolean): Promise<void> {
    if (!this.client) throw new Error(`MQTT link is stopped; cannot publish to ${topic}`);
    await this.client.publishAsync(topic, payload, { qos: 1, retain });
  }

  private onMessage(topic: string, payload: Buffer): void {
    const parsed = parseDeviceTopic(this.options.topicRoot, topic);
    if (!parsed) return;
    const { deviceId, leaf } = parsed;
    if (leaf === 'status') {
      const status = payload.toString('utf8').trim();
      if (status !== 'online' && status !== 'offline') return;
      if (this.options.inbound) this.options.inbound.status(deviceId, status === 'online');
      else this.options.bus.emitDeviceStatus({ deviceId, online: status === 'online' });
      return;
    }
    if (leaf !== 'events') return;
    if (!this.options.deviceIds().has(deviceId)) {
      this.answerError(deviceId, topic, payload, 'invalid-payload', `device "${deviceId}" is not in this store's config; add it under devices`);
      return;
    }
    const result = parseDeviceEventPayload(payload);
    if (!result.ok) {
      this.answerError(deviceId, topic, payload, result.error, result.message);
      return;
    }
    const event = result.event;
    if (event.id !== undefined && this.recent.seen(`${deviceId}/${event.id}`)) {
      this.options.metrics.deviceDuplicates.inc();
      return;
    }
    this.options.metrics.deviceMessages.inc({ kind: event.kind });
    if (this.options.inbound) this.options.inbound.event(deviceId, event);
    else this.options.bus.emitDeviceEvent(deviceId, event);
  }

  private answerError(deviceId: string, topic: string, payload: Buffer, error: DeviceErrorPayload['error'], message: string): void {
    this.options.metrics.devicePayloadErrors.inc({ device: deviceId, error });
    this.options.logger.warn(
      { component: this.name, deviceId, topic, error, payloadHex: payload.subarray(0, 64).toString('hex') },
      `device payload refused: ${message}`,
    );
    this.options.inbound?.refused(deviceId, message, payload);
    const answer: DeviceErrorPayload = { error, message, topic, at: new Date().toISOString() };
    this.client?.publish(this.topics.errors(deviceId), JSON.stringify(answer), { qos: 1 });
  }
}
