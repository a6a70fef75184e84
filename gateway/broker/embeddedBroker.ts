/**
 * The embedded MQTT broker (aedes). Policy plugs in through aedes' hooks: only configured
 * devices with their secret may connect, and each device is confined to its own topics of the
 * device contract. The gateway's own connection uses a per-process credential and is privileged.
 * When a device connects or drops, the broker publishes its retained status for it, so a device
 * that forgot its last will still shows offline.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { readFileSync } from 'node:fs';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes, type AuthenticateError, type Client, type Subscription } from 'aedes';
import type { Logger } from 'pino';
import { contractTopics } from '../../devices/contract/deviceContract.ts';
import type { DeviceConfig } from '../../config/schema.ts';
import type { Metrics } from '../core/metrics.ts';
import { explainListenError } from '../core/portInUse.ts';
import { hashSecret, verifySecret } from './deviceSecrets.ts';
import { deviceMayPublish, deviceMaySubscribe } from './topicAcl.ts';

export const gatewayUsername = '$gateway';

export interface EmbeddedBrokerOptions {
  host: string;
  port: number;
  tls?: { port: number; cert: string; key: string; ca?: string };
  topicRoot: string;
  devices: DeviceConfig[];
  logger: Logger;
  metrics: Metrics;
}

type Identity = { kind: 'gateway' } | { kind: 'device'; deviceId: string };

export class EmbeddedBroker {
  readonly name = 'broker';
  /** The gateway's own credential for this process run; never logged, never stored. */
  readonly gatewayPassword = randomBytes(24).toString('hex');
  private readonly options: EmbeddedBrokerOptions;
  private readonly identities = new WeakMap<Client, Identity>();
  private secretHashes = new Map<string, string>();
  private plainSecrets = new Map<string, string>();
  private aedes?: Aedes;
  private servers: Server[] = [];
  private boundPort = 0;

  constructor(options: EmbeddedBrokerOptions) {
    this.options = options;
  }

  /** The port actually bound (differs from the configured one when that is 0). */
  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    const host = this.options.host === '0.0.0.0' || this.options.host === '::' ? '127.0.0.1' : this.options.host;
    return `mqtt://${host}:${this.boundPort}`;
  }

  async start(): Promise<void> {
    this.secretHashes = await hashDeviceSecrets(this.options.devices, new Map(), new Map());
    this.plainSecrets = new Map(this.options.devices.filter((d) => d.secret).map((d) => [d.id, d.secret!]));
    const aedes = await Aedes.createBroker({
      authenticate: (client, username, password, done) => void this.authenticate(client, username, password, done),
      authorizePublish: (client, packet, done) => this.authorizePublish(client, packet.topic, done),
      authorizeSubscribe: (client, sub, done) => this.authorizeSubscribe(client, sub, done),
    });
    this.aedes = aedes;
    const { logger, metrics } = this.options;
    aedes.on('clientReady', (client) => {
      metrics.brokerClients.set(aedes.connectedClients);
      const identity = this.identities.get(client);
      if (identity?.kind === 'device') this.publishStatus(identity.deviceId, 'online');
    });
    aedes.on('clientDisconnect', (client) => {
      metrics.brokerClients.set(aedes.connectedClients);
      const identity = this.identities.get(client);
      if (identity?.kind === 'device') this.publishStatus(identity.deviceId, 'offline');
    });
    aedes.on('publish', (_packet, client) => {
      if (client) metrics.brokerMessages.inc();
    });
    aedes.on('clientError', (client, err) => logger.debug({ component: 'broker', clientId: client?.id, err: err.message }, 'MQTT client error'));
    aedes.on('connectionError', (client, err) => logger.debug({ component: 'broker', clientId: client?.id, err: err.message }, 'MQTT connection error'));

    const { host, port, tls } = this.options;
    // Verdicts are small packets: without noDelay, Nagle and delayed ACKs add ~40 ms per hop.
    const plain = createServer({ noDelay: true }, aedes.handle);
    await listen(plain, host, port, 'broker.port');
    this.servers.push(plain);
    this.boundPort = (plain.address() as AddressInfo).port;
    if (tls) {
      const secure = createTlsServer(
        { cert: readFileSync(tls.cert), key: readFileSync(tls.key), ca: tls.ca ? readFileSync(tls.ca) : undefined },
        aedes.handle,
      );
      await listen(secure, host, tls.port, 'broker.tls.port');
      this.servers.push(secure);
    }
  }

  /** Admits added devices and forgets removed or disabled ones; connected clients of removed devices are dropped. */
  async updateDevices(devices: DeviceConfig[]): Promise<void> {
    const previous = this.secretHashes;
    this.secretHashes = await hashDeviceSecrets(devices, previous, this.plainSecrets);
    this.plainSecrets = new Map(devices.filter((d) => d.secret).map((d) => [d.id, d.secret!]));
    for (const id of previous.keys()) {
      if (!this.secretHashes.has(id)) this.disconnectDevice(id);
    }
  }

  private disconnectDevice(deviceId: string): void {
    const clients = (this.aedes as unknown as { clients?: Record<string, Client> } | undefined)?.clients ?? {};
    for (const client of Object.values(clients)) {
      const identity = this.identities.get(client);
      if (identity?.kind === 'device' && identity.deviceId === deviceId) client.close();
    }
  }

  async stop(): Promise<void> {
    const aedes = this.aedes;
    this.aedes = undefined;
    if (aedes) await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    this.servers = [];
  }

  private async authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): Promise<void> {
    const { logger, metrics } = this.options;
    const refuse = (reason: string, returnCode: 4 | 5) => {
      metrics.brokerAuthFailures.inc({ reason });
      logger.warn({ component: 'broker', clientId: client.id, username, reason, remote: remoteOf(client) }, 'MQTT connection refused');
      const err = Object.assign(new Error(`connection refused: ${reason}`), { returnCode }) as AuthenticateError;
      done(err, null);
    };
    if (username === gatewayUsername) {
      if (password && safeEqual(password.toString('utf8'), this.gatewayPassword)) {
        this.identities.set(client, { kind: 'gateway' });
        return done(null, true);
      }
      return refuse('wrong gateway credential', 4);
    }
    if (!username) return refuse('no username (a device connects with its device id as username)', 4);
    const hash = this.secretHashes.get(username);
    if (!hash) return refuse(`unknown device "${username}" (not in the config, or disabled)`, 5);
    if (!password || !(await verifySecret(password.toString('utf8'), hash))) return refuse(`wrong secret for device "${username}"`, 4);
    this.identities.set(client, { kind: 'device', deviceId: username });
    logger.info({ component: 'broker', deviceId: username, clientId: client.id }, 'device connected');
    done(null, true);
  }

  private authorizePublish(client: Client | null, topic: string, done: (error?: Error | null) => void): void {
    if (client === null) return done(null); // the broker's own publishes (status on behalf, wills)
    const identity = this.identities.get(client);
    if (identity?.kind === 'gateway') return done(null);
    if (identity?.kind === 'device' && deviceMayPublish(this.options.topicRoot, identity.deviceId, topic)) return done(null);
    this.options.metrics.brokerAclDenied.inc({ action: 'publish' });
    this.options.logger.warn(
      { component: 'broker', deviceId: identity?.kind === 'device' ? identity.deviceId : undefined, topic },
      'publish outside the device\'s own topics refused; a device publishes only to its events and status topics',
    );
    done(new Error(`not allowed to publish to ${topic}`));
  }

  private authorizeSubscribe(client: Client, sub: Subscription, done: (error: Error | null, sub?: Subscription | null) => void): void {
    const identity = this.identities.get(client);
    if (identity?.kind === 'gateway') return done(null, sub);
    if (identity?.kind === 'device' && deviceMaySubscribe(this.options.topicRoot, identity.deviceId, sub.topic)) return done(null, sub);
    this.options.metrics.brokerAclDenied.inc({ action: 'subscribe' });
    this.options.logger.warn(
      { component: 'broker', deviceId: identity?.kind === 'device' ? identity.deviceId : undefined, topic: sub.topic },
      'subscribe outside the device\'s own topics refused; a device reads only its commands and errors topics',
    );
    // A null subscription answers SUBACK 0x80 (failure) and keeps the client connected.
    done(null, null);
  }

  private publishStatus(deviceId: string, status: 'online' | 'offline'): void {
    this.aedes?.publish(
      { cmd: 'publish', topic: contractTopics(this.options.topicRoot).status(deviceId), payload: Buffer.from(status), qos: 1, retain: true, dup: false },
      () => undefined,
    );
  }
}

/** Hashes plain secrets; a device whose secret did not change keeps its hash (scrypt is slow on purpose). */
async function hashDeviceSecrets(devices: DeviceConfig[], previousHashes: Map<string, string>, previousSecrets: Map<string, string>): Promise<Map<string, string>> {
  const entries = await Promise.all(
    devices
      .filter((d) => d.enabled && (d.secret || d.secretHash))
      .map(async (d) => {
        if (d.secretHash) return [d.id, d.secretHash] as const;
        const unchanged = previousSecrets.get(d.id) === d.secret && previousHashes.get(d.id);
        return [d.id, unchanged || (await hashSecret(d.secret!))] as const;
      }),
  );
  return new Map(entries);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function remoteOf(client: Client): string | undefined {
  const conn = (client as unknown as { conn?: { remoteAddress?: string } }).conn;
  return conn?.remoteAddress;
}

function listen(server: Server, host: string, port: number, setting: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(explainListenError(err, host, port, setting));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
