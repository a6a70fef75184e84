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
import { DeviceRegistry } from '../../devices/registry.ts';
import { EmbeddedBroker, gatewayUsername } from '../broker/embeddedBroker.ts';
import { GatewayMqttLink } from '../broker/gatewayMqttLink.ts';
import { HttpServer } from '../http/httpServer.ts';
import { EventLog } from '../log/eventLog.ts';
import { DeviceActivityRecorder } from './deviceActivityRecorder.ts';
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
  /** The device drivers: `devices.send(deviceId, command)`, `devices.health(deviceId)`, `devices.apply(config)`. */
  devices!: DeviceRegistry;
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
      // Started before the link: the link delivers retained status and queued QoS 1 events
      // right after it connects, and MQTT drivers must be there to receive them.
      this.devices = new DeviceRegistry({
        config,
        sink: { event: (deviceId, event) => bus.emitDeviceEvent(deviceId, event), status: (deviceId, online, reason) => bus.emitDeviceStatus({ deviceId, online, reason }) },
        logger,
        mqtt: { sendCommand: (deviceId, command) => this.link.sendCommand(deviceId, command) },
      });
      metrics.watchDevices(() => this.devices.healthAll());
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
        inbound: this.devices.mqttInbound,
      });
      this.deviceStatus = new DeviceStatusTracker({ bus, log: this.log, logger, metrics });
      await this.startComponent(this.deviceStatus);
      await this.startComponent(new DeviceActivityRecorder({ bus, log: this.log, logger }));
      await this.startComponent(this.devices);
      await this.startComponent(this.link);

      this.http = new HttpServer({
        host: config.http.host,
        port: config.http.port,
        logger,
        metrics,
        version: gatewayVersion,
        storeId: config.store.id,
        readiness: [{ name: 'mqtt-link', check: () => this.link.connected || 'not connected to the MQTT broker' }],
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
    lines.push(`  devices     ${c.devices.length} configured, stations ${c.stations.length}, bins ${c.layout.bins.length}`);
    return lines;
  }

  private async startComponent(component: Component): Promise<void> {
    await component.start();
    this.started.push(component);
    this.logger.debug({ component: component.name }, 'started');
  }
}
