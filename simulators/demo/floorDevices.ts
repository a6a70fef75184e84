/**
 * The demo store's devices, each on a real transport where the demo can give it one: the pack
 * stations' label printers are ZPL printers on TCP (the printer simulator, on a free port); the
 * first pick station's scanner and the pack stations' scales are serial devices on socat
 * pseudo-terminals (scanner: barcode + CR, good/bad read bytes back; scale: MT-SICS), when socat
 * is installed; everything else speaks the MQTT device contract. The simulated staff work them
 * through one small interface per class (scan, press, weigh, readLabel, block), whatever the
 * transport. The simulators live in this process, so a restarted gateway finds the same
 * pseudo-terminals and port again and reconnects.
 *
 * @example
 *   const floor = await prepareFloorDevices(config, { dataDir, configFile }); // before the gateway starts
 *   // ... start the gateway on floor.config ...
 *   await floor.connect({ brokerUrl, screen, api });
 *   const { scanner } = floor.station('pick-1');
 *   await scanner!.scan(']E04006381333931'); // { feedback: { result: 'ok', message: '...' }, ms: 3.1 }
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { configSchema, type DeviceConfig, type GatewayConfig } from '../../config/schema.ts';
import { ConfigFile } from '../../gateway/admin/configFile.ts';
import { SerialScaleSimulator, SerialScannerSimulator } from '../serialDevice.ts';
import { TcpPrinterSimulator, type PrintedLabel } from '../tcpPrinter.ts';
import { SimulatedFloorDevice } from './floorDevice.ts';

export const socatMissingNotice = 'socat not found: serial scanners and scales are simulated over MQTT; install socat to use pseudo-terminals';

/** What a person learns from a scan or an action: the beep (ok / error) and what the screen or device says. */
export interface Verdict {
  result: 'ok' | 'error';
  message?: string;
}
export interface Answer {
  feedback?: Verdict;
  /** Action started -> verdict received. */
  ms: number;
}

interface FloorDevice {
  readonly id: string;
  /** e.g. "serial /dev/pts/5", "tcp 127.0.0.1:40123", "mqtt". */
  transport(): string;
  /** Pulls the plug (cable, USB adapter, Wi-Fi) for `ms`, then plugs it back in. */
  unplug(ms: number): Promise<void>;
  close(): Promise<void>;
}

export interface FloorScanner extends FloorDevice {
  scan(data: string): Promise<Answer>;
  /** Starts waiting for the next verdict on this scanner (registered at once, so call it before the action). */
  nextVerdict(timeoutMs?: number): Promise<Verdict | undefined>;
  /**
   * What the scanner said since the last call while nobody was waiting for an answer, oldest
   * first: a message out of the blue, such as "order O-1 was cancelled: stop, ...". A serial
   * scanner only beeps: its message is what the station screen showed then.
   */
  takeNotices(): Verdict[];
}
export interface FloorLights extends FloorDevice {
  /** Presses a button; `address` says which light of a device that drives several (a put wall's slot). */
  press(button: string, scanner: FloorScanner, address?: number): Promise<Answer>;
}
export interface FloorScale extends FloorDevice {
  /** Puts a bag of `grams` on the scale and waits for the verdict on the station's scanner. */
  weigh(grams: number, scanner: FloorScanner): Promise<Answer>;
  /** Takes the bag off. */
  clear(): Promise<void>;
}
export interface PrintedBagLabel {
  sscc?: string;
  fields: string[];
}
export interface FloorPrinter extends FloorDevice {
  /**
   * The label with this SSCC once it printed; without one, the first label printed after
   * `since` (a `labels().length` taken before the bag was weighed). Undefined after `timeoutMs`.
   */
  readLabel(sscc: string | undefined, timeoutMs: number, since?: number): Promise<PrintedBagLabel | undefined>;
  /** Every label printed so far. */
  labels(): PrintedBagLabel[];
  /** Out of paper: a TCP printer answers ~HS "paper out" and prints nothing until `reload`. */
  paperOut(): Promise<void>;
  reload(): Promise<void>;
}
export interface FloorEye extends FloorDevice {
  block(scanner: FloorScanner): Promise<Answer>;
  clear(): Promise<void>;
}

export interface StationDevices {
  scanner?: FloorScanner;
  lights?: FloorLights;
  scale?: FloorScale;
  printer?: FloorPrinter;
  eye?: FloorEye;
}

export interface ConnectOptions {
  /** The gateway's MQTT broker, for the MQTT devices. */
  brokerUrl: string;
  /** What a station screen shows now (the text a person reads after a beep). */
  screen: (stationId: string) => Promise<{ text?: string; noticeText?: string; verdict?: string } | undefined>;
  /** GET on the gateway's HTTP admin API (JSON), e.g. "/api/v1/devices". */
  api: (path: string) => Promise<unknown>;
}

export interface DeviceHealthView {
  state: string;
  lastError?: { reason: string; at: string };
}

export interface FloorDevicesOptions {
  /** Where the pseudo-terminal links go (DIR/pty/<device>). */
  dataDir: string;
  /** The YAML file the gateway runs (the demo's working copy): the real transports are written into it. */
  configFile?: string;
  /** Whether socat is there; found on PATH when not given. */
  socat?: boolean;
  /** Where the one-line notices go (socat missing). */
  notice?: (line: string) => void;
}

/** Good read / bad read bytes of the demo's serial scanner (ACK / NAK). */
const goodRead = '\\x06';
const badRead = '\\x15';

export function socatAvailable(): boolean {
  return spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
}

type Role = 'serial-scanner' | 'serial-scale' | 'tcp-printer';

/** Which devices the demo puts on a real transport: pack printers on TCP; the first pick scanner and the pack scales on serial. */
export function realTransportRoles(config: GatewayConfig): Map<string, Role> {
  const roles = new Map<string, Role>();
  const cls = (id: string) => config.devices.find((d) => d.id === id && d.enabled)?.class;
  const firstPick = config.stations.find((s) => s.kind === 'pick');
  const pickScanner = firstPick?.devices.find((d) => cls(d) === 'scanner');
  if (pickScanner) roles.set(pickScanner, 'serial-scanner');
  for (const s of config.stations.filter((x) => x.kind === 'pack')) {
    for (const d of s.devices) {
      if (cls(d) === 'scale') roles.set(d, 'serial-scale');
      if (cls(d) === 'printer') roles.set(d, 'tcp-printer');
    }
  }
  return roles;
}

/**
 * Starts the simulators of the devices on real transports (pseudo-terminals, the TCP printer)
 * and returns the config with their transports: the gateway must run that one. With a config
 * file, the same transports are written into it (validated, atomically) so the console shows
 * them and a console edit keeps them.
 */
export async function prepareFloorDevices(base: GatewayConfig, options: FloorDevicesOptions): Promise<FloorDevices> {
  const roles = realTransportRoles(base);
  const socat = options.socat ?? socatAvailable();
  const notices: string[] = [];
  if (!socat && [...roles.values()].some((r) => r !== 'tcp-printer')) {
    notices.push(socatMissingNotice);
    (options.notice ?? ((line: string) => console.error(line)))(socatMissingNotice);
  }
  const floor = new FloorDevices(notices);
  const changes = new Map<string, Partial<DeviceConfig>>();
  try {
    for (const [id, role] of roles) {
      const device = base.devices.find((d) => d.id === id)!;
      if (role === 'tcp-printer') {
        const sim = new TcpPrinterSimulator();
        await sim.start();
        floor.tcpPrinters.set(id, sim);
        changes.set(id, { transport: { type: 'tcp', host: '127.0.0.1', port: sim.port, delimiter: '\\r\\n' }, printer: { ...device.printer, language: 'zpl' } });
      } else if (socat) {
        const dir = join(resolve(options.dataDir), 'pty');
        mkdirSync(dir, { recursive: true });
        const link = join(dir, id);
        // A demo that was killed leaves its links behind.
        rmSync(link, { force: true });
        rmSync(`${link}.device`, { force: true });
        if (role === 'serial-scanner') {
          const sim = new BeepingScanner({ link, delimiter: '\r' });
          await sim.start();
          floor.serialScanners.set(id, sim);
          changes.set(id, { transport: { type: 'serial', path: link, baudRate: 9600, dataBits: 8, stopBits: 1, parity: 'none', delimiter: '\\r' }, scanner: { ...device.scanner, goodRead, badRead } });
        } else {
          const sim = new SerialScaleSimulator({ link, protocol: 'mt-sics' });
          await sim.start();
          floor.serialScales.set(id, sim);
          changes.set(id, { transport: { type: 'serial', path: link, baudRate: 9600, dataBits: 8, stopBits: 1, parity: 'none', delimiter: '\\r\\n' }, protocol: 'mt-sics' });
        }
      } else {
        // The MQTT stand-in: a device that was serial in the working copy needs its secret back.
        changes.set(id, { transport: { type: 'mqtt' }, ...(device.secret || device.secretHash ? {} : { secret: `demo-${id}-secret` }) });
      }
    }
  } catch (err) {
    await floor.close();
    throw err;
  }
  floor.config = configSchema.parse({ ...base, devices: base.devices.map((d) => ({ ...d, ...(changes.get(d.id) ?? {}) })) });
  if (options.configFile) await writeTransports(options.configFile, changes);
  return floor;
}

/** Writes the devices' transports into the YAML file, only where they differ (comments stay). */
async function writeTransports(path: string, changes: Map<string, Partial<DeviceConfig>>): Promise<void> {
  const edit = (doc: Document, write: boolean): boolean => {
    let changed = false;
    const list = doc.getIn(['devices']) as { items?: unknown[] } | undefined;
    (list?.items ?? []).forEach((_, i) => {
      const id = doc.getIn(['devices', i, 'id']);
      const change = typeof id === 'string' ? changes.get(id) : undefined;
      if (!change) return;
      const set = (path: Array<string | number>, value: unknown) => {
        const now = doc.getIn(path);
        const plain = now && typeof now === 'object' && 'toJSON' in now ? (now as { toJSON(): unknown }).toJSON() : now;
        if (JSON.stringify(plain) === JSON.stringify(value)) return;
        changed = true;
        if (write) doc.setIn(path, value);
      };
      const t = change.transport!;
      set(['devices', i, 'transport'], t.type === 'serial' ? { type: 'serial', path: t.path, delimiter: t.delimiter } : t.type === 'tcp' ? { type: 'tcp', host: t.host, port: t.port } : { type: 'mqtt' });
      if (change.scanner) {
        set(['devices', i, 'scanner', 'goodRead'], goodRead);
        set(['devices', i, 'scanner', 'badRead'], badRead);
      }
      if (change.protocol) set(['devices', i, 'protocol'], change.protocol);
      if (change.secret) set(['devices', i, 'secret'], change.secret);
    });
    return changed;
  };
  // Written only when something changed (the TCP printer's port does each start).
  if (edit(parseDocument(readFileSync(path, 'utf8')), false)) await new ConfigFile(path).update((doc) => void edit(doc, true));
}

export class FloorDevices {
  /** The config the gateway must run: the devices' real transports filled in. */
  config!: GatewayConfig;
  readonly tcpPrinters = new Map<string, TcpPrinterSimulator>();
  readonly serialScanners = new Map<string, BeepingScanner>();
  readonly serialScales = new Map<string, SerialScaleSimulator>();
  private readonly mqtt = new Map<string, SimulatedFloorDevice>();
  private readonly handles = new Map<string, FloorDevice>();
  private api?: ConnectOptions['api'];

  /** What a fault did to the devices and what the admin saw, one line each (printerFault.ts). */
  readonly incidents: string[] = [];

  constructor(
    /** One-line notices for the operator, e.g. socat missing. */
    readonly notices: string[],
  ) {}

  /** Connects the MQTT devices (the broker is up now) and waits (up to 15 s) for the gateway to open the serial and TCP devices. */
  async connect(options: ConnectOptions): Promise<void> {
    const { config } = this;
    this.api = options.api;
    for (const d of config.devices.filter((x) => x.enabled)) {
      const station = config.stations.find((s) => s.devices.includes(d.id))?.id ?? '';
      const tcp = this.tcpPrinters.get(d.id);
      const serialScanner = this.serialScanners.get(d.id);
      const serialScale = this.serialScales.get(d.id);
      if (tcp) this.handles.set(d.id, new TcpPrinter(d.id, tcp));
      else if (serialScanner) this.handles.set(d.id, new SerialScanner(d.id, serialScanner, () => options.screen(station), () => this.waitOnline([d.id], 10_000)));
      else if (serialScale) this.handles.set(d.id, new SerialScale(d.id, serialScale, () => this.waitOnline([d.id], 10_000)));
      else if (d.transport.type === 'mqtt' && d.secret) {
        const device = new SimulatedFloorDevice(d.id, { url: options.brokerUrl, secret: d.secret, topicRoot: config.broker.topicRoot });
        await device.connect();
        this.mqtt.set(d.id, device);
        this.handles.set(d.id, mqttHandle(d.class, device));
      }
    }
    await this.waitOnline([...this.tcpPrinters.keys(), ...this.serialScanners.keys(), ...this.serialScales.keys()], 15_000);
  }

  /** Waits until the gateway's device health (HTTP admin API) shows these devices online; false after `timeoutMs`. */
  async waitOnline(ids: string[], timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (ids.length > 0) {
      const health = await this.health().catch(() => new Map<string, string>());
      if (ids.every((id) => health.get(id) === 'online')) return true;
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
    return true;
  }

  /** GET on the gateway's HTTP admin API, as the store admin's console does. */
  async get(path: string): Promise<unknown> {
    if (!this.api) throw new Error('the floor devices are not connected to a gateway yet');
    return this.api(path);
  }

  /** Device id -> health state, as the store admin sees it (GET /api/v1/devices). */
  async health(): Promise<Map<string, string>> {
    const body = (await this.get('/api/v1/devices')) as { devices?: Array<{ id: string; health?: DeviceHealthView }> };
    return new Map((body.devices ?? []).map((d) => [d.id, d.health?.state ?? 'unknown']));
  }

  async deviceHealth(id: string): Promise<DeviceHealthView | undefined> {
    const body = (await this.get('/api/v1/devices')) as { devices?: Array<{ id: string; health?: DeviceHealthView }> };
    return body.devices?.find((d) => d.id === id)?.health;
  }

  /** The simulated devices of a station, by role. */
  station(stationId: string): StationDevices {
    const station = this.config.stations.find((s) => s.id === stationId);
    const out: StationDevices = {};
    for (const id of station?.devices ?? []) {
      const cls = this.config.devices.find((d) => d.id === id)?.class;
      const handle = this.handles.get(id);
      if (!handle) continue;
      if (cls === 'scanner') out.scanner ??= handle as FloorScanner;
      if (cls === 'light') out.lights ??= handle as FloorLights;
      if (cls === 'scale') out.scale ??= handle as FloorScale;
      if (cls === 'printer') out.printer ??= handle as FloorPrinter;
      if (cls === 'sensor') out.eye ??= handle as FloorEye;
    }
    return out;
  }

  device(id: string): FloorDevice | undefined {
    return this.handles.get(id);
  }

  printers(): Array<{ id: string; printer: FloorPrinter }> {
    return this.config.devices.filter((d) => d.class === 'printer' && this.handles.has(d.id)).map((d) => ({ id: d.id, printer: this.handles.get(d.id) as FloorPrinter }));
  }

  /** Every bag's label must have come out of a printer: SSCCs printed (distinct) against the bags packed. */
  labelAudit(bagsPacked: Array<{ orderId: string; sscc: string }>): { bagsPacked: number; printed: number; missing: string[] } {
    const printed = new Set(this.printers().flatMap(({ printer }) => printer.labels().flatMap((l) => (l.sscc ? [l.sscc] : []))));
    const missing = bagsPacked.filter((b) => !printed.has(b.sscc)).map((b) => `order ${b.orderId}: no label with SSCC ${b.sscc} came out of a printer`);
    return { bagsPacked: bagsPacked.length, printed: printed.size, missing };
  }

  /** Every device of the config with the transport its simulator runs on ("serial /dev/pts/5", "tcp 127.0.0.1:40123", "mqtt"). */
  transports(): Array<{ id: string; transport: string }> {
    const of = (id: string, type: string) => {
      const tcp = this.tcpPrinters.get(id);
      if (tcp) return `tcp 127.0.0.1:${tcp.port}`;
      const serial = this.serialScanners.get(id) ?? this.serialScales.get(id);
      if (serial) return `serial ${ptyName(serial.gatewayPath)}${this.serialScales.has(id) ? ' (MT-SICS)' : ''}`;
      return type;
    };
    return this.config.devices.map((d) => ({ id: d.id, transport: of(d.id, d.transport.type) }));
  }

  async close(): Promise<void> {
    const all = [...this.handles.values()];
    await Promise.all(all.map((h) => h.close().catch(() => undefined)));
    // Simulators started before connect() (or when it failed) have no handle yet.
    await Promise.all([...this.tcpPrinters.values()].map((s) => s.stop().catch(() => undefined)));
    await Promise.all([...this.serialScanners.values(), ...this.serialScales.values()].map((s) => s.stop().catch(() => undefined)));
  }
}

/** A serial scanner whose beeper is the good/bad read byte the gateway writes back. */
class BeepingScanner extends SerialScannerSimulator {
  onBeep?: (result: 'ok' | 'error') => void;
  protected override onData(chunk: Buffer): void {
    for (const byte of chunk) {
      if (byte === 0x06) this.onBeep?.('ok');
      else if (byte === 0x15) this.onBeep?.('error');
    }
  }
}

function ptyName(link: string): string {
  try {
    return realpathSync(link);
  } catch {
    return `${link} (unplugged)`;
  }
}

/** Makes the plug of a serial device: while unplugged, a person holding it waits. */
class Plug {
  private unplugged?: Promise<void>;
  async pull(ms: number, device: { unplug(): Promise<void>; replug(): Promise<void> }, online: () => Promise<boolean>): Promise<void> {
    let replugged!: () => void;
    this.unplugged = new Promise<void>((r) => (replugged = r));
    try {
      await device.unplug();
      await new Promise((r) => setTimeout(r, ms));
      await device.replug();
      // The gateway opens the port again within its reconnect backoff; bytes sent before are lost.
      await online();
    } finally {
      this.unplugged = undefined;
      replugged();
    }
  }
  async ready(): Promise<void> {
    await this.unplugged;
  }
}

class SerialScanner implements FloorScanner {
  private waiters: Array<(result: 'ok' | 'error') => void> = [];
  private readonly plug = new Plug();

  constructor(
    readonly id: string,
    private readonly sim: BeepingScanner,
    private readonly screen: () => Promise<{ text?: string; noticeText?: string; verdict?: string } | undefined>,
    private readonly online: () => Promise<boolean>,
  ) {
    sim.onBeep = (result) => {
      const waiter = this.waiters.shift();
      if (waiter) return waiter(result);
      // A beep nobody scanned for: the person looks at the screen for why, the band above the task first
      // (a cancellation stays there when the next order has taken the screen).
      void this.screen()
        .catch(() => undefined)
        .then((s) => {
          const why = s?.noticeText ?? s?.text;
          this.notices.push({ result, ...(why ? { message: why } : {}) });
        });
    };
  }

  private notices: Verdict[] = [];
  takeNotices(): Verdict[] {
    const out = this.notices;
    this.notices = [];
    return out;
  }

  transport(): string {
    return `serial ${ptyName(this.sim.gatewayPath)}`;
  }

  nextVerdict(timeoutMs = 10_000): Promise<Verdict | undefined> {
    return new Promise((resolve) => {
      const waiter = (result: 'ok' | 'error') => {
        clearTimeout(timer);
        // The beep says ok or not; the station screen says what. On a busy machine the screen
        // follows the beep a moment later: after a bad beep the person looks again, up to 2 s,
        // for the screen's red verdict instead of reading the instruction still showing.
        void (async () => {
          let s = await this.screen().catch(() => undefined);
          for (let waited = 0; result === 'error' && s?.verdict !== 'error' && waited < 2000; waited += 100) {
            await new Promise((r) => setTimeout(r, 100));
            s = await this.screen().catch(() => undefined);
          }
          resolve({ result, ...(s?.text ? { message: s.text } : {}) });
        })();
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(undefined);
      }, timeoutMs);
      timer.unref();
      this.waiters.push(waiter);
    });
  }

  async scan(data: string): Promise<Answer> {
    await this.plug.ready();
    const started = performance.now();
    let beeped = 0;
    const verdict = this.nextVerdict().then((v) => ((beeped = performance.now()), v));
    await this.sim.scan(data).catch(() => undefined);
    const feedback = await verdict;
    return { feedback, ms: (feedback ? beeped : performance.now()) - started };
  }

  unplug(ms: number): Promise<void> {
    return this.plug.pull(ms, this.sim, this.online);
  }

  async close(): Promise<void> {
    await this.sim.stop();
  }
}

class SerialScale implements FloorScale {
  private readonly plug = new Plug();
  constructor(
    readonly id: string,
    private readonly sim: SerialScaleSimulator,
    private readonly online: () => Promise<boolean>,
  ) {}

  transport(): string {
    return `serial ${ptyName(this.sim.gatewayPath)} (MT-SICS)`;
  }

  async weigh(grams: number, scanner: FloorScanner): Promise<Answer> {
    await this.plug.ready();
    return answered(scanner, async () => this.sim.setWeight(grams, true));
  }

  async clear(): Promise<void> {
    this.sim.setWeight(0, true);
  }

  unplug(ms: number): Promise<void> {
    return this.plug.pull(ms, this.sim, this.online);
  }

  async close(): Promise<void> {
    await this.sim.stop();
  }
}

const ssccOf = (text: string) => /\(00\) ?(\d{18})/.exec(text)?.[1] ?? />;>800(\d{18})/.exec(text)?.[1];

function bagLabel(label: PrintedLabel): PrintedBagLabel {
  const sscc = ssccOf(label.raw);
  return { ...(sscc ? { sscc } : {}), fields: label.fields };
}

class TcpPrinter implements FloorPrinter {
  constructor(
    readonly id: string,
    private readonly sim: TcpPrinterSimulator,
  ) {}

  transport(): string {
    return `tcp 127.0.0.1:${this.sim.port}`;
  }

  async readLabel(sscc: string | undefined, timeoutMs: number, since?: number): Promise<PrintedBagLabel | undefined> {
    const from = since ?? this.sim.printed.length;
    const label = await this.sim.nextLabel((l) => (sscc ? ssccOf(l.raw) === sscc : this.sim.printed.indexOf(l) >= from), timeoutMs);
    return label && bagLabel(label);
  }

  labels(): PrintedBagLabel[] {
    return this.sim.printed.map(bagLabel);
  }

  async paperOut(): Promise<void> {
    await this.sim.setMode('paper-out');
  }

  async reload(): Promise<void> {
    await this.sim.setMode('ready');
  }

  /** Switched off for `ms`, then on again. */
  async unplug(ms: number): Promise<void> {
    await this.sim.setMode('off');
    await new Promise((r) => setTimeout(r, ms));
    await this.sim.setMode('ready');
  }

  async close(): Promise<void> {
    await this.sim.stop();
  }
}

/** Sends an action and waits for the verdict the station's scanner gets. */
async function answered(scanner: FloorScanner, action: () => Promise<void>): Promise<Answer> {
  const started = performance.now();
  const verdict = scanner.nextVerdict();
  await action();
  const feedback = await verdict;
  return { feedback, ms: performance.now() - started };
}

/** The MQTT stand-in of any class, speaking the device contract. */
function mqttHandle(cls: DeviceConfig['class'], device: SimulatedFloorDevice): FloorDevice {
  const printed: PrintedBagLabel[] = [];
  if (cls === 'printer') {
    device.onCommand = (c) => {
      if (c.kind === 'print') printed.push({ ...(ssccOf(c.document) ? { sscc: ssccOf(c.document)! } : {}), fields: [] });
    };
  }
  const handle: FloorScanner & FloorLights & FloorScale & FloorPrinter & FloorEye = {
    id: device.deviceId,
    transport: () => 'mqtt',
    unplug: (ms) => device.unplug(ms),
    close: () => device.close(),
    scan: async (data) => device.scan(data),
    nextVerdict: async (timeoutMs = 10_000) => {
      const c = await device.next((x) => x.kind === 'feedback', timeoutMs);
      return c?.kind === 'feedback' ? { result: c.result, ...(c.message ? { message: c.message } : {}) } : undefined;
    },
    takeNotices: () => device.takeUnanswered().map((c) => ({ result: c.result, ...(c.message ? { message: c.message } : {}) })),
    press: (button, scanner, address) => answered(scanner, () => device.send({ kind: 'button', button, ...(address !== undefined ? { address } : {}) })),
    weigh: (grams, scanner) => answered(scanner, () => device.send({ kind: 'weight', grams: Math.round(grams), stable: true })),
    clear: async () => {
      if (cls === 'sensor') await device.send({ kind: 'sensor', state: 'clear' });
      // The bag comes off the scale: it reads an empty pan.
      if (cls === 'scale') await device.send({ kind: 'weight', grams: 0, stable: true });
    },
    block: (scanner) => answered(scanner, () => device.send({ kind: 'sensor', state: 'blocked' })),
    readLabel: async (sscc, timeoutMs, since) => {
      const from = since ?? printed.length;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = printed.slice(sscc ? 0 : from).find((l) => !sscc || l.sscc === sscc);
        if (found) return found;
        if (Date.now() > deadline) return undefined;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    labels: () => [...printed],
    paperOut: async () => {
      throw new Error(`printer ${device.deviceId} is an MQTT stand-in; only a TCP printer can run out of paper`);
    },
    reload: async () => undefined,
  };
  return handle;
}
