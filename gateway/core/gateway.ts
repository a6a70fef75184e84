/**
 * The composition root. It builds the shared parts (config, event log, event bus, metrics,
 * broker, MQTT link, HTTP) and starts them in order; `stop()` stops them in reverse. Components
 * get what they need through their constructors and do nothing until `start()`.
 *
 * @example
 *   const gateway = new Gateway({ config: loadConfigFile('config/examples/store.yaml') });
 *   await gateway.start();
 *   console.log(gateway.describe().join('\n'));
 *   await gateway.stop();
 */
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../../config/schema.ts';
import { EmbeddedBroker, gatewayUsername } from '../broker/embeddedBroker.ts';
import { GatewayMqttLink } from '../broker/gatewayMqttLink.ts';
import { CloudSync } from '../../cloud-sync/cloudSync.ts';
import { HttpServer } from '../http/httpServer.ts';
import { EventLog } from '../log/eventLog.ts';
import { syncPortsFor } from '../sync/syncAdapters.ts';
import { DeviceStatusTracker } from './deviceStatusTracker.ts';
import { EventBus } from './eventBus.ts';
import { createLogger } from './logger.ts';
import { Metrics } from './metrics.ts';
import { gatewayVersion } from './version.ts';

export interface Component {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  config: GatewayConfig;
  logger?: Logger;
  /** Where the config came from, for messages. */
  configSource?: string;
}

export function eventLogFile(config: GatewayConfig): string {
  return join(resolve(config.dataDir), 'gateway.db');
}

export class Gateway {
  readonly config: GatewayConfig;
  readonly logger: Logger;
  readonly bus = new EventBus();
  readonly metrics = new Metrics();
  log!: EventLog;
  broker?: EmbeddedBroker;
  link!: GatewayMqttLink;
  http!: HttpServer;
  deviceStatus!: DeviceStatusTracker;
  sync?: CloudSync;
  private readonly configSource: string;
  private started: Component[] = [];

  constructor(options: GatewayOptions) {
    this.config = options.config;
    this.logger = options.logger ?? createLogger({ level: options.config.logging.level });
    this.configSource = options.configSource ?? 'config';
  }

  async start(): Promise<void> {
    const { config, logger, metrics, bus } = this;
    bus.onListenerError((err, event) => logger.error({ component: 'bus', event, err: (err as Error)?.message }, 'an event listener failed'));
    try {
      await this.startComponent({
        name: 'event-log',
        start: async () => {
          this.log = EventLog.open({
            file: eventLogFile(config),
            durability: config.durability,
            onCommitted: (events, ms) => {
              metrics.logCommitBatch.observe(events.length);
              metrics.logCommitSeconds.observe(ms / 1000);
              for (const e of events) metrics.logAppends.inc({ type: e.type });
              bus.emitEventsCommitted(events);
            },
          });
        },
        stop: async () => this.log.close(),
      });

      const broker = config.broker;
      if (broker.mode === 'embedded') {
        this.broker = new EmbeddedBroker({ ...broker, devices: config.devices, logger, metrics });
        await this.startComponent(this.broker);
      }
      const deviceIds = new Set(config.devices.filter((d) => d.enabled).map((d) => d.id));
      this.link = new GatewayMqttLink({
        ...(broker.mode === 'embedded'
          ? { url: this.broker!.url, username: gatewayUsername, password: this.broker!.gatewayPassword }
          : { url: broker.url, username: broker.username, password: broker.password, caFile: broker.ca }),
        clientId: broker.mode === 'external' && broker.clientId ? broker.clientId : `dsgw-gateway-${config.store.id}`,
        topicRoot: broker.topicRoot,
        storeId: config.store.id,
        deviceIds: () => deviceIds,
        bus,
        logger,
        metrics,
      });
      this.deviceStatus = new DeviceStatusTracker({ bus, log: this.log, logger, metrics });
      await this.startComponent(this.deviceStatus);
      await this.startComponent(this.link);

      if (config.cloud?.enabled) {
        const sync = new CloudSync({ ...syncPortsFor(this.log), config: config.cloud, storeId: config.store.id, logger, registry: metrics.registry });
        this.sync = sync;
        bus.onEventsCommitted(this, () => sync.notifyCommitted());
        await this.startComponent(sync);
      }

      this.http = new HttpServer({
        host: config.http.host,
        port: config.http.port,
        logger,
        metrics,
        version: gatewayVersion,
        storeId: config.store.id,
        readiness: [{ name: 'mqtt-link', check: () => this.link.connected || 'not connected to the MQTT broker' }],
        degraded: () => [this.sync?.degradedReason()].filter((r): r is string => r !== undefined),
      });
      await this.startComponent(this.http);
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  async stop(): Promise<void> {
    const components = this.started.reverse();
    this.started = [];
    for (const c of components) {
      try {
        await c.stop();
      } catch (err) {
        this.logger.error({ component: c.name, err: (err as Error).message }, 'stopping failed');
      }
    }
    this.bus.removeOwner(this);
  }

  /** What runs where, for the start banner. */
  describe(): string[] {
    const c = this.config;
    const lines = [
      `darkstore-gateway ${gatewayVersion} for store "${c.store.id}" (config: ${this.configSource})`,
      `  event log   ${this.log.file} (durability ${c.durability}, ${this.log.count()} events)`,
    ];
    if (this.broker) lines.push(`  MQTT broker ${this.broker.url.replace('127.0.0.1', c.broker.mode === 'embedded' ? c.broker.host : '')} (embedded; devices log in with their id and secret)`);
    else if (c.broker.mode === 'external') lines.push(`  MQTT broker ${c.broker.url} (external)`);
    lines.push(`  HTTP        ${this.http.url}  (/healthz /readyz /metrics)`);
    if (c.cloud?.enabled) lines.push(`  cloud sync  ${c.cloud.url} over ${c.cloud.transport} (darkstore-gateway sync status)`);
    lines.push(`  devices     ${c.devices.length} configured, stations ${c.stations.length}, bins ${c.layout.bins.length}`);
    return lines;
  }

  private async startComponent(component: Component): Promise<void> {
    await component.start();
    this.started.push(component);
    this.logger.debug({ component: component.name }, 'started');
  }
}
