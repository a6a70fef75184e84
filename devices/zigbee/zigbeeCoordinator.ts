/**
 * The Zigbee coordinator: zigbee-herdsman's Controller on the configured dongle, kept running.
 * Unlike Zigbee2MQTT, which exits when its adapter disconnects, this stops the controller
 * (saving its device database), reports every Zigbee device offline, and starts a new
 * controller with capped backoff until the dongle is back; the rest of the gateway never
 * notices beyond those devices' status. It also opens the network for pairing, keeps the
 * pairing report, and tells each attached driver whether its device is reachable.
 *
 * @example
 *   const coordinator = new ZigbeeCoordinator({ config: config.zigbee, dataDir: config.dataDir, logger });
 *   await coordinator.start(); // resolves after the first attempt, dongle or not
 *   await coordinator.permitJoin(120);
 *   coordinator.status(); // { state: 'online', permitJoinUntil: '...', devices: [...], pairing: [...] }
 */
import { join } from 'node:path';
import { Controller, setLogger, type Events, type Models } from 'zigbee-herdsman';
import type { ZigbeeConfig } from '../../config/schema.ts';
import { Backoff } from '../backoff.ts';
import { Availability } from './availability.ts';
import type { DeviceLogger } from '../driver.ts';
import type { ZclCommand } from './clusterMapping.ts';
import { describeDevice, pairingSummary } from './deviceInfo.ts';
import { withAdapterFactory, type AdapterFactory } from './adapterFactory.ts';
import { loadOrCreateNetworkSecrets, zigbeeDataDir } from './networkSecrets.ts';
import { describeSerial, resolveSerialPath } from './serialPath.ts';
import type { ZigbeeDeviceInfo, ZigbeeDeviceListener, ZigbeeNetwork } from './zigbeeNetwork.ts';

export interface ZigbeeCoordinatorOptions {
  config: ZigbeeConfig;
  dataDir: string;
  logger: DeviceLogger;
  /** The configured device id of an IEEE address, for the pairing report. */
  boundDevice?: (ieee: string) => string | undefined;
  /** Builds the adapter instead of herdsman's own (the serial dongle); tests pass a stand-in. */
  createAdapter?: AdapterFactory;
}

export type CoordinatorState = 'stopped' | 'connecting' | 'online' | 'offline';

/** One entry of the pairing report: a device joined, finished its interview, or left. */
export interface PairingEvent {
  at: string;
  kind: 'joined' | 'interviewed' | 'interview-failed' | 'left';
  ieee: string;
  /** The configured device id it is bound to, if any. */
  deviceId?: string;
  summary: string;
  device?: ZigbeeDeviceInfo;
}

export interface ZigbeeStatus {
  state: CoordinatorState;
  address: string;
  lastError?: string;
  channel: number;
  panId: number;
  permitJoinUntil?: string;
  devices: Array<ZigbeeDeviceInfo & { deviceId?: string }>;
  pairing: PairingEvent[];
}

const maxPairingEvents = 50;

export class ZigbeeCoordinator implements ZigbeeNetwork {
  readonly name = 'zigbee-coordinator';
  readonly address: string;
  private controller?: Controller;
  private state: CoordinatorState = 'stopped';
  private lastError?: string;
  private running = false;
  private retryTimer?: NodeJS.Timeout;
  private availabilityTimer?: NodeJS.Timeout;
  private readonly backoff: Backoff;
  private readonly listeners = new Map<string, Set<ZigbeeDeviceListener>>();
  /** What each device's listeners were last told: "online", or the reason it is not. */
  private readonly reported = new Map<string, string>();
  private readonly availability: Availability;
  private readonly pairing: PairingEvent[] = [];
  private readonly pairingListeners = new Set<(event: PairingEvent) => void>();
  private permitJoinEnd?: number;
  /** The attempt in progress, so stop() can abort it and wait for it to let go of the port. */
  private attempt?: { abort: AbortController; done: Promise<void> };

  constructor(private readonly options: ZigbeeCoordinatorOptions) {
    this.address = `${options.config.adapter} on ${describeSerial(options.config.serial)}`;
    this.availability = new Availability(options.config.availability, options.logger);
    this.backoff = new Backoff({ initialMs: options.config.reconnect.initialMs, maxMs: options.config.reconnect.maxMs });
  }

  get panId(): number {
    const p = this.options.config.panId;
    return typeof p === 'number' ? p : parseInt(p, 16);
  }

  get online(): boolean {
    return this.state === 'online';
  }

  async start(): Promise<void> {
    this.running = true;
    routeHerdsmanLogs(this.options.logger);
    this.state = 'connecting';
    await this.tryConnect();
    const everyMs = this.options.config.availability.checkIntervalSeconds * 1000;
    this.availabilityTimer = setInterval(() => void this.checkAvailability(), everyMs);
    this.availabilityTimer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.retryTimer);
    clearInterval(this.availabilityTimer);
    this.attempt?.abort.abort();
    await this.attempt?.done;
    const controller = this.controller;
    this.controller = undefined;
    this.permitJoinEnd = undefined;
    await controller?.stop().catch((err: Error) => this.options.logger.warn({ component: 'zigbee', err: err.message }, `stopping the Zigbee coordinator: ${err.message}`));
    this.state = 'stopped';
    this.reportAll();
  }

  /** Opens the network for `seconds` (1-254; 0 closes it) so new devices can join. */
  async permitJoin(seconds: number): Promise<{ seconds: number; until?: string }> {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 254) throw new Error(`permit join takes 0 to 254 seconds (Zigbee allows no more), not ${seconds}`);
    const controller = this.requireController('open the network for pairing');
    await controller.permitJoin(seconds);
    this.permitJoinEnd = seconds > 0 ? Date.now() + seconds * 1000 : undefined;
    this.options.logger.info({ component: 'zigbee', seconds }, seconds > 0 ? `Zigbee network open for pairing for ${seconds} s` : 'Zigbee network closed for pairing');
    return { seconds, ...(this.permitJoinEnd ? { until: new Date(this.permitJoinEnd).toISOString() } : {}) };
  }

  status(): ZigbeeStatus {
    const devices: ZigbeeStatus['devices'] = [];
    if (this.controller) {
      for (const d of this.controller.getDevicesIterator((x) => x.type !== 'Coordinator')) {
        const info = describeDevice(d);
        devices.push({ ...info, ...this.boundTo(info.ieee) });
      }
    }
    const open = this.permitJoinEnd !== undefined && this.permitJoinEnd > Date.now();
    return {
      state: this.state,
      address: this.address,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      channel: this.options.config.channel,
      panId: this.panId,
      ...(open ? { permitJoinUntil: new Date(this.permitJoinEnd!).toISOString() } : {}),
      devices,
      pairing: [...this.pairing],
    };
  }

  /** Called for every join, interview result and leave; returns the unsubscribe function. */
  onPairing(listener: (event: PairingEvent) => void): () => void {
    this.pairingListeners.add(listener);
    return () => this.pairingListeners.delete(listener);
  }

  attach(ieee: string, listener: ZigbeeDeviceListener): () => void {
    const key = ieee.toLowerCase();
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    const [online, reason] = this.presenceOf(key);
    if (!this.reported.has(key)) this.reported.set(key, online ? 'online' : (reason ?? 'offline'));
    listener.presence(online, reason);
    return () => {
      set.delete(listener);
      if (set.size === 0) {
        this.listeners.delete(key);
        this.reported.delete(key);
      }
    };
  }

  device(ieee: string): ZigbeeDeviceInfo | undefined {
    const d = this.controller?.getDeviceByIeeeAddr(ieee.toLowerCase());
    return d ? describeDevice(d) : undefined;
  }

  async send(ieee: string, endpointId: number, commands: ZclCommand[]): Promise<void> {
    const controller = this.requireController('send to a Zigbee device');
    const device = controller.getDeviceByIeeeAddr(ieee.toLowerCase());
    if (!device) throw new Error(`Zigbee device ${ieee} has not joined the network; pair it (darkstore-gateway zigbee permit-join 120) and check its IEEE address in the config`);
    const endpoint = device.getEndpoint(endpointId);
    if (!endpoint) throw new Error(`Zigbee device ${ieee} has no endpoint ${endpointId}; pair it again so its interview is fresh`);
    for (const c of commands) {
      try {
        // Cluster and command are checked by our own mapping's types; herdsman's generics cannot see through a union.
        await endpoint.command(c.cluster, c.command, c.payload as never);
      } catch (err) {
        throw new Error(`Zigbee device ${ieee} endpoint ${endpointId}: ${c.cluster}.${c.command} was not acknowledged (${firstLine(err)}); is it in range and powered?`);
      }
    }
  }

  private requireController(what: string): Controller {
    if (!this.controller) {
      throw new Error(`cannot ${what}: the Zigbee coordinator (${this.address}) is ${this.state}${this.lastError ? ` (${this.lastError})` : ''}; check the dongle and the zigbee section of the config`);
    }
    return this.controller;
  }

  private tryConnect(): Promise<void> {
    const abort = new AbortController();
    const done = this.connect(abort.signal).finally(() => {
      if (this.attempt?.abort === abort) this.attempt = undefined;
    });
    this.attempt = { abort, done };
    return done;
  }

  private async connect(signal: AbortSignal): Promise<void> {
    if (!this.running) return;
    const { config, dataDir, logger } = this.options;
    let controller: Controller | undefined;
    try {
      const secrets = loadOrCreateNetworkSecrets(dataDir, logger);
      const dir = zigbeeDataDir(dataDir);
      const path = this.options.createAdapter ? config.serial.path : await resolveSerialPath(config.serial);
      controller = new Controller({
        network: { panID: this.panId, extendedPanID: secrets.extendedPanId, channelList: [config.channel], networkKey: secrets.networkKey },
        serialPort: { path, adapter: config.adapter, baudRate: config.serial.baudRate, rtscts: config.serial.rtscts },
        databasePath: join(dir, 'database.db'),
        databaseBackupPath: join(dir, 'database.db.backup'),
        backupPath: join(dir, 'coordinator-backup.json'),
        adapter: { disableLED: false },
        acceptJoiningDeviceHandler: async () => true,
      });
      this.listen(controller);
      await withAdapterFactory(this.options.createAdapter, () => controller!.start(signal));
    } catch (err) {
      // A failed start may leave herdsman's database open and its caches filled; stop() clears both.
      await controller?.stop().catch(() => undefined);
      // Aborted by stop(): not an outage.
      if (!this.running) return;
      this.goOffline(`cannot start: ${firstLine(err)}`);
      this.schedule();
      return;
    }
    if (!this.running) {
      await controller.stop().catch(() => undefined);
      return;
    }
    this.controller = controller;
    this.backoff.reset();
    const was = this.state;
    this.state = 'online';
    this.lastError = undefined;
    logger.info({ component: 'zigbee', address: this.address }, `Zigbee coordinator ${this.address} is ${was === 'offline' ? 'back ' : ''}online (channel ${config.channel}, PAN id 0x${this.panId.toString(16)})`);
    this.reportAll();
  }

  private listen(controller: Controller): void {
    const mine = () => this.controller === controller;
    controller.on('adapterDisconnected', () => void this.onDisconnected(controller));
    controller.on('message', (m) => mine() && this.onMessage(m));
    controller.on('deviceJoined', ({ device }) => mine() && this.recordPairing('joined', device, 'joined; interviewing'));
    controller.on('deviceInterview', ({ status, device }) => {
      if (!mine() || status === 'started') return;
      this.recordPairing(status === 'successful' ? 'interviewed' : 'interview-failed', device);
      this.report(device.ieeeAddr);
    });
    controller.on('deviceAnnounce', ({ device }) => mine() && this.report(device.ieeeAddr));
    controller.on('deviceLeave', ({ ieeeAddr }) => {
      if (!mine()) return;
      this.recordPairing('left', undefined, 'left the network', ieeeAddr);
      this.report(ieeeAddr);
    });
  }

  private async onDisconnected(controller: Controller): Promise<void> {
    if (this.controller !== controller) return;
    this.controller = undefined;
    this.permitJoinEnd = undefined;
    // Saves herdsman's device database and clears its caches before a new controller loads them.
    await controller.stop().catch(() => undefined);
    this.goOffline('the coordinator disconnected (dongle unplugged or reset); reconnecting');
    this.schedule();
  }

  private goOffline(reason: string): void {
    const was = this.state;
    this.state = 'offline';
    this.lastError = reason;
    if (was !== 'offline') this.options.logger.warn({ component: 'zigbee', address: this.address, reason }, `Zigbee coordinator ${this.address} is offline: ${reason}`);
    this.reportAll();
  }

  private schedule(): void {
    if (!this.running) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.tryConnect(), this.backoff.next());
  }

  private onMessage(m: Events.MessagePayload): void {
    const key = m.device.ieeeAddr.toLowerCase();
    this.report(key);
    const set = this.listeners.get(key);
    if (!set || Buffer.isBuffer(m.data) || Array.isArray(m.data)) return;
    const message = { cluster: m.cluster, type: m.type, data: m.data as Record<string, unknown>, endpoint: m.endpoint.ID, linkQuality: m.linkquality };
    for (const listener of set) listener.message(message);
  }

  private recordPairing(kind: PairingEvent['kind'], device: Models.Device | undefined, note?: string, ieeeAddr?: string): void {
    const info = device ? describeDevice(device) : undefined;
    const ieee = (info?.ieee ?? ieeeAddr ?? '').toLowerCase();
    const { deviceId } = this.boundTo(ieee);
    const summary = info && kind !== 'joined' ? pairingSummary(info, deviceId) : `${ieee} ${note ?? kind}${deviceId ? ` (device "${deviceId}")` : ''}`;
    const event: PairingEvent = { at: new Date().toISOString(), kind, ieee, ...(deviceId ? { deviceId } : {}), summary, ...(info ? { device: info } : {}) };
    this.pairing.push(event);
    if (this.pairing.length > maxPairingEvents) this.pairing.shift();
    const log = kind === 'interview-failed' ? 'warn' : 'info';
    this.options.logger[log]({ component: 'zigbee', ieee, deviceId, kind }, `Zigbee ${kind}: ${summary}`);
    for (const listener of this.pairingListeners) listener(event);
  }

  private boundTo(ieee: string): { deviceId?: string } {
    const deviceId = this.options.boundDevice?.(ieee);
    return deviceId ? { deviceId } : {};
  }

  private presenceOf(ieee: string): [boolean, string?] {
    if (!this.controller) return [false, `the Zigbee coordinator (${this.address}) is ${this.state}${this.lastError ? `: ${this.lastError}` : ''}`];
    const device = this.controller.getDeviceByIeeeAddr(ieee);
    if (!device) return [false, `not paired (or left the network): run "darkstore-gateway zigbee permit-join 120" and put it in pairing mode`];
    const info = describeDevice(device);
    if (info.interview !== 'successful') return [false, `interview ${info.interview}${info.interview === 'failed' ? ': pair it again, close to the coordinator' : ''}`];
    const away = this.availability.awayReason(device, info);
    if (away) return [false, away];
    return [true];
  }

  /** Tells a device's listeners when its presence changed since the last report. */
  private report(ieee: string): void {
    const key = ieee.toLowerCase();
    const set = this.listeners.get(key);
    if (!set) return;
    const [online, reason] = this.presenceOf(key);
    // A new reason while offline is news too ("not paired" becomes "interview failed").
    const told = online ? 'online' : (reason ?? 'offline');
    if (this.reported.get(key) === told) return;
    this.reported.set(key, told);
    for (const listener of set) listener.presence(online, reason);
  }

  private reportAll(): void {
    for (const ieee of this.listeners.keys()) this.report(ieee);
  }

  /** Pings quiet mains devices, then reports whoever came or went. */
  private async checkAvailability(): Promise<void> {
    const controller = this.controller;
    if (!controller) return;
    const devices = [...this.listeners.keys()].flatMap((ieee) => controller.getDeviceByIeeeAddr(ieee) ?? []);
    await this.availability.pingQuiet(devices);
    this.reportAll();
  }
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0]!;
}

/** herdsman logs through one global logger; its chatter goes to debug, its warnings and errors to ours. */
function routeHerdsmanLogs(logger: DeviceLogger): void {
  const text = (m: string | (() => string)) => (typeof m === 'function' ? m() : m);
  // herdsman builds many debug messages lazily (JSON of every frame); build them only when debug is on.
  const levelCheck = (logger as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.bind(logger);
  const debug = (m: string | (() => string), ns: string) => {
    if (levelCheck && !levelCheck('debug')) return;
    logger.debug({ component: 'zigbee-herdsman', ns }, text(m));
  };
  setLogger({
    debug,
    info: debug,
    warning: (m, ns) => logger.warn({ component: 'zigbee-herdsman', ns }, text(m)),
    error: (m, ns) => logger.error({ component: 'zigbee-herdsman', ns }, m),
  });
}
