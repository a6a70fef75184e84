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
import { AdminApi } from '../admin/adminApi.ts';
import type { ConfigFile } from '../admin/configFile.ts';
import { DeviceRegistry } from '../../devices/registry.ts';
import { EmbeddedBroker, gatewayUsername } from '../broker/embeddedBroker.ts';
import { GatewayMqttLink } from '../broker/gatewayMqttLink.ts';
import { CloudSync } from '../../cloud-sync/cloudSync.ts';
import { HttpServer } from '../http/httpServer.ts';
import { EventLog } from '../log/eventLog.ts';
import { Stations } from '../workflows/stations.ts';
import { TaskScheduler } from '../workflows/taskScheduler.ts';
import { ConsoleDeviceActions } from './consoleDeviceActions.ts';
import { DeviceCommandRouter } from './deviceCommandRouter.ts';
import { DeviceActivityRecorder } from './deviceActivityRecorder.ts';
import { syncPortsFor } from '../sync/syncAdapters.ts';
import { ZigbeeCoordinator } from '../../devices/zigbee/zigbeeCoordinator.ts';
import type { AdapterFactory } from '../../devices/zigbee/adapterFactory.ts';
import { addZigbeeRoutes } from '../admin/routes/zigbeeRoutes.ts';
import { ZigbeePairingRecorder } from './zigbeePairingRecorder.ts';
import { ConveyorMonitor } from './conveyorMonitor.ts';
import { EventLogPrintJournal } from './eventLogPrintJournal.ts';
import { DeviceStatusTracker } from './deviceStatusTracker.ts';
import { EventBus, type StationScreenUpdate } from './eventBus.ts';
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
  /** Where the config came from, for messages; when it is a file, the console may change it. */
  configSource?: string;
  /** The writable config file behind `config`, for changes made in the console or API. */
  configFile?: ConfigFile;
  /** Builds the Zigbee adapter instead of the serial dongle (tests pass a stand-in radio). */
  zigbeeAdapter?: AdapterFactory;
}

export function eventLogFile(config: GatewayConfig): string {
  return join(resolve(config.dataDir), 'gateway.db');
}

export class Gateway {
  /** The config in force; replaced as a whole by `applyConfig`. */
  config: GatewayConfig;
  readonly configFile?: ConfigFile;
  readonly logger: Logger;
  readonly bus = new EventBus();
  readonly metrics = new Metrics();
  log!: EventLog;
  broker?: EmbeddedBroker;
  link!: GatewayMqttLink;
  http!: HttpServer;
  admin!: AdminApi;
  deviceStatus!: DeviceStatusTracker;
  stations!: Stations;
  /** The device drivers: `devices.send(deviceId, command)`, `devices.health(deviceId)`, `devices.apply(config)`. */
  devices!: DeviceRegistry;
  /** Tote passages and jams per photo-eye: `conveyor.counts()`. */
  conveyor!: ConveyorMonitor;
  sync?: CloudSync;
  /** The Zigbee coordinator, when the config has a zigbee section. */
  zigbee?: ZigbeeCoordinator;
  private readonly configSource: string;
  private readonly zigbeeAdapter?: AdapterFactory;
  private started: Component[] = [];

  constructor(options: GatewayOptions) {
    this.config = options.config;
    this.logger = options.logger ?? createLogger({ level: options.config.logging.level });
    this.configSource = options.configSource ?? 'config';
    this.configFile = options.configFile;
    this.zigbeeAdapter = options.zigbeeAdapter;
  }

  async start(): Promise<void> {
    const { config, logger, metrics, bus } = this;
    this.enabledDeviceIds = new Set(config.devices.filter((d) => d.enabled).map((d) => d.id));
    bus.onListenerError((err, event) => logger.error({ component: 'bus', event, err: (err as Error)?.message }, 'an event listener failed'));
    // Scans that arrive before the stations listen wait for them (released below).
    bus.holdDeviceEvents();
    try {
      await this.startComponent({
        name: 'event-log',
        start: async () => {
          this.log = EventLog.open({
            file: eventLogFile(config),
            durability: config.durability,
            onUpgradeProgress: (message) => logger.info({ component: 'event-log' }, message),
            onCheckpointError: (message) => logger.warn({ component: 'event-log' }, message),
            onCommitted: (events, ms) => {
              metrics.logCommitBatch.observe(events.length);
              metrics.logCommitSeconds.observe(ms / 1000);
              // One increment per type and commit, not per event: a group commit of 200 scans has two types.
              const perType = new Map<string, number>();
              for (const e of events) perType.set(e.type, (perType.get(e.type) ?? 0) + 1);
              for (const [type, n] of perType) metrics.logAppends.inc({ type }, n);
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
      if (config.zigbee) {
        // Started before the drivers, which attach to it; it never fails the start: without its
        // dongle it is offline and keeps retrying, and only the Zigbee devices are offline.
        const zigbeeIds = (ieee: string) => this.config.devices.find((d) => d.transport.type === 'zigbee' && d.transport.ieee.toLowerCase() === ieee)?.id;
        this.zigbee = new ZigbeeCoordinator({ config: config.zigbee, dataDir: config.dataDir, logger, boundDevice: zigbeeIds, createAdapter: this.zigbeeAdapter });
        await this.startComponent(this.zigbee);
        await this.startComponent(new ZigbeePairingRecorder({ coordinator: this.zigbee, log: this.log, logger }));
      }
      // Started before the link: the link delivers retained status and queued QoS 1 events
      // right after it connects, and MQTT drivers must be there to receive them.
      this.devices = new DeviceRegistry({
        config,
        sink: { event: (deviceId, event) => bus.emitDeviceEvent(deviceId, event), status: (deviceId, online, reason) => bus.emitDeviceStatus({ deviceId, online, reason }) },
        logger,
        mqtt: { sendCommand: (deviceId, command) => this.link.sendCommand(deviceId, command) },
        zigbee: this.zigbee,
        printJournal: new EventLogPrintJournal(this.log),
      });
      metrics.watchDevices(() => this.devices.healthAll());
      this.link = new GatewayMqttLink({
        ...(broker.mode === 'embedded'
          ? { url: this.broker!.url, username: gatewayUsername, password: this.broker!.gatewayPassword }
          : { url: broker.url, username: broker.username, password: broker.password, caFile: broker.ca }),
        clientId: broker.mode === 'external' && broker.clientId ? broker.clientId : `dsgw-gateway-${config.store.id}`,
        topicRoot: broker.topicRoot,
        storeId: config.store.id,
        deviceIds: () => this.enabledDeviceIds,
        bus,
        logger,
        metrics,
        inbound: this.devices.mqttInbound,
      });
      this.deviceStatus = new DeviceStatusTracker({ bus, log: this.log, logger, metrics });
      await this.startComponent(this.deviceStatus);
      await this.startComponent(new DeviceActivityRecorder({ bus, log: this.log, logger }));
      this.conveyor = new ConveyorMonitor({ bus, log: this.log, logger, config: () => this.config });
      await this.startComponent(this.conveyor);
      await this.startComponent(this.devices);
      await this.startComponent(this.link);
      this.stations = new Stations({
        config,
        log: this.log,
        bus,
        metrics,
        logger,
        commander: { send: (deviceId, command) => this.commands.sendCommand(deviceId, command) },
        publishScreen: async (stationId, screen) => {
          // Screens in the browser (SSE) and on the broker (retained) show the same state.
          this.stationScreens.set(stationId, screen);
          bus.emitStationScreen(screen);
          await this.link.publishStationState(stationId, screen);
        },
      });
      await this.startComponent(this.stations);
      const { delivered, dropped, droppedBy } = bus.releaseDeviceEvents();
      if (delivered > 0) logger.info({ component: 'gateway', delivered }, `${delivered} device event(s) that arrived while the gateway was starting went to the stations now`);
      if (dropped > 0) {
        const devices = Object.entries(droppedBy).map(([id, n]) => `${id} (${n})`).join(', ');
        logger.warn({ component: 'gateway', dropped, droppedBy }, `${dropped} device event(s) that arrived while the gateway was starting were dropped (more than the 10000 held), the oldest first, from ${devices}: a scan among them got no verdict; scan it again`);
      }
      await this.startComponent(new TaskScheduler({ config: () => this.config, log: this.log, bus, logger }));

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
        degraded: () => [this.sync?.degradedReason(), this.zigbeeDegraded()].filter((r): r is string => r !== undefined),
      });
      this.admin = new AdminApi({
        app: this.http.app,
        config: () => this.config,
        log: this.log,
        bus,
        logger,
        metrics,
        configChanges: this.configFile ? { file: this.configFile, apply: (next, change) => this.applyConfig(next, change) } : undefined,
        deviceHealth: (id) => ({ ...this.devices.health(id), online: this.deviceStatus.isOnline(id) }),
        stationScreen: (id) => this.stationScreens.get(id),
        sync: () => this.sync,
        extraRoutes: [(router) => addZigbeeRoutes(router, () => this.zigbee)],
        deviceActions: new ConsoleDeviceActions({ config: () => this.config, sender: () => this.commands, drivers: () => this.devices, bus, health: (id) => this.devices.health(id) }),
      });
      await this.startComponent(this.admin);
      await this.startComponent(this.http);
    } catch (err) {
      bus.releaseDeviceEvents();
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
    lines.push(`  admin API   ${this.http.url}/api/v1  (docs: ${this.http.url}/docs)`);
    const admin = c.http.tokens.find((t) => t.role === 'admin' && t.token?.startsWith('demo-'));
    if (admin) lines.push(`  demo token  ${admin.token}  (admin; demo only)`);
    if (c.cloud?.enabled) lines.push(`  cloud sync  ${c.cloud.url} over ${c.cloud.transport} (darkstore-gateway sync status)`);
    if (this.zigbee) lines.push(`  zigbee      ${this.zigbee.address}, channel ${c.zigbee!.channel} (${this.zigbee.status().state}; darkstore-gateway zigbee permit-join 120)`);
    lines.push(`  devices     ${c.devices.length} configured, stations ${c.stations.length}, bins ${c.layout.bins.length}`);
    return lines;
  }

  private enabledDeviceIds: ReadonlySet<string> = new Set();
  /** Commands to any device, however it is attached. */
  readonly commands = new DeviceCommandRouter({ config: () => this.config, drivers: () => this.devices, mqtt: () => this.link });
  /** The last screen of each station, for a screen that opens later. */
  readonly stationScreens = new Map<string, StationScreenUpdate>();

  /**
   * Puts a changed config in force without a restart: the broker admits added devices and
   * forgets removed ones at once. Records `config.changed` with who made the change.
   */
  async applyConfig(next: GatewayConfig, change: { by: string; summary: string }): Promise<void> {
    this.config = next;
    this.enabledDeviceIds = new Set(next.devices.filter((d) => d.enabled).map((d) => d.id));
    await this.broker?.updateDevices(next.devices);
    // Only the drivers whose config changed restart.
    await this.devices.apply(next);
    await this.log.append({ type: 'config.changed', data: change, source: { actor: change.by, origin: 'admin-api' } });
    this.logger.info({ component: 'gateway', by: change.by }, `config changed: ${change.summary}`);
  }

  private zigbeeDegraded(): string | undefined {
    const status = this.zigbee?.status();
    return status && status.state !== 'online' ? `Zigbee coordinator ${status.address} is ${status.state}${status.lastError ? `: ${status.lastError}` : ''}` : undefined;
  }

  private async startComponent(component: Component): Promise<void> {
    await component.start();
    this.started.push(component);
    this.logger.debug({ component: component.name }, 'started');
  }
}
