/**
 * A living dark store on one machine: the simulated cloud OMS, the gateway, simulated devices
 * of every class on their transports (floorDevices.ts: TCP label printer, serial scanner and
 * scale on pseudo-terminals, the rest MQTT), and simulated staff working a shift through them. This
 * (with its CLI entry points) is the one place that starts simulators beside the gateway.
 *
 * @example
 *   const store = await startDemoStore({ configFile: 'data/store.yaml', speed: 1 });
 *   console.log(renderSummary(store));
 *   await store.stop();
 */
import { join, resolve } from 'node:path';
import pino, { type Logger } from 'pino';
import { loadConfigFile } from '../../config/loadConfig.ts';
import { configSchema, type GatewayConfig } from '../../config/schema.ts';
import { ConfigFile } from '../../gateway/admin/configFile.ts';
import { Gateway } from '../../gateway/core/gateway.ts';
import { explainListenError } from '../../gateway/core/portInUse.ts';
import { startCloudOms, type CloudOms } from '../cloud-oms/cloudOms.ts';
import { seededRandom, type CatalogItem } from '../cloud-oms/groceryCatalog.ts';
import { prepareFloorDevices, type FloorDevices } from './floorDevices.ts';
import { FloorWorld, isoDay } from './floorWorld.ts';
import { Pace } from './pace.ts';
import { defaultMistakeRates, ShiftStats, type MistakeRates } from './shiftStats.ts';
import { runDispatcher, runPacker, runPicker, runReceiver, type Screen, type StaffContext } from './staff.ts';

export interface DemoStoreOptions {
  /** A config file to run (the console may change it); or a config object. */
  configFile?: string;
  config?: GatewayConfig;
  /** Port of the simulated OMS; 0 = ephemeral. Defaults to the one in cloud.url. */
  omsPort?: number;
  speed?: number | 'max';
  rates?: MistakeRates;
  /** Release this many orders in all, then stop releasing (default: keep going). */
  orders?: number;
  /** Human-pace time between released orders (default 12 s per pick station). */
  orderEveryMs?: number;
  logger?: Logger;
  /** Where the gateway logs (JSON lines), so a terminal shows only the summary. */
  logFile?: string;
  seed?: number;
  /** Whether socat is there for the serial devices (found on PATH when not given). */
  socat?: boolean;
  /** Where one-line notices go (socat missing); stderr when not given. */
  notice?: (line: string) => void;
}

export interface DemoStore {
  gateway: Gateway;
  oms: CloudOms;
  world: FloorWorld;
  stats: ShiftStats;
  config: GatewayConfig;
  /** The simulated devices on their transports. */
  floor: FloorDevices;
  /** Orders released by the shift so far. */
  released: string[];
  stop(): Promise<void>;
  /** Stops the gateway and starts a new one on the same data, as after a crash and a restart. */
  restartGateway(): Promise<void>;
}

export async function startDemoStore(options: DemoStoreOptions): Promise<DemoStore> {
  const logger = options.logger ?? (options.logFile ? pino({ level: 'info' }, pino.destination({ dest: options.logFile, mkdir: true, sync: false })) : pino({ level: 'warn' }));
  const random = seededRandom(options.seed ?? 7);
  const base = options.config ?? loadConfigFile(options.configFile!);
  const cloudUrl = new URL(base.cloud?.url ?? 'http://127.0.0.1:8090');
  const token = base.cloud?.token ?? 'demo-cloud-token';
  const dataDir = resolve(base.dataDir);

  const omsPort = options.omsPort ?? Number(cloudUrl.port || 8090);
  const oms = await startCloudOms({
    port: omsPort,
    file: join(dataDir, 'oms.db'),
    tokens: { [base.store.id]: token },
    catalogSize: 400,
    seedCatalog: true,
  }).catch((err: unknown) => {
    // The simulated OMS listens where cloud.url points; say which setting moves it.
    throw explainListenError(err, cloudUrl.hostname, omsPort, 'the port of cloud.url');
  });
  // The devices on real transports first: the gateway opens their ptys and port as it starts.
  const floor = await prepareFloorDevices(base, { dataDir, configFile: options.configFile, socat: options.socat, notice: options.notice });
  let config: GatewayConfig = configSchema.parse({ ...floor.config, cloud: { ...(base.cloud ?? {}), url: oms.url, token, enabled: true } });
  const configFile = options.configFile ? new ConfigFile(options.configFile) : undefined;
  let gateway = new Gateway({ config, logger, configSource: options.configFile ?? 'demo', configFile });
  const stats = new ShiftStats();
  const watch = (g: Gateway) => g.bus.onEventsCommitted(stats, (events) => {
    for (const e of events) if (e.type.startsWith('order.')) stats.orderEvent(e.type);
  });
  await gateway.start();
  watch(gateway);
  config = gateway.config;

  // The shelf: what the gateway already believes is there (a restarted demo), else opening stock.
  const catalog = new Map(oms.catalog.map((c) => [c.sku, c]));
  const world = new FloorWorld();
  const bins = config.layout.bins.filter((b) => config.stations.some((s) => s.kind === 'pick' && (!s.zone || s.zone === b.zone)));
  const existing = gateway.log.projections.rows('stock').filter((r) => Number(r.qty) > 0 && catalog.has(String(r.sku)));
  if (existing.length > 0) {
    for (const r of existing) {
      const bin = bins.find((b) => b.id === r.bin);
      if (bin) world.putAway(bin.id, bin.zone, catalog.get(String(r.sku))!, String(r.lot), String(r.expiry ?? isoDay(60)), Number(r.qty));
    }
  } else {
    const assortment = oms.catalog.filter((c) => !c.variableMeasure && c.unitGrams > 0 && c.unitGrams < 2500 && (!c.lotTracked || c.minShelfLifeDays < 20)).slice(0, bins.length);
    world.stockShelves(bins, assortment, 12);
    for (const slot of world.slots) {
      oms.db.addFeedItem(config.store.id, 'stock.adjusted', { sku: slot.item.sku, bin: slot.bin, ...(slot.item.lotTracked ? { lot: slot.lot } : {}), delta: slot.qty, reason: 'opening stock', adjustmentId: `opening-${slot.bin}` }, `opening-${slot.bin}`);
    }
    // Untracked items carry no lot in the log: keep the shelf's key the same.
    for (const slot of world.slots) if (!slot.item.lotTracked) slot.lot = '';
  }
  await waitUntil(() => gateway.log.projections.rows('catalog').length >= catalog.size && gateway.log.projections.rows('stock').length >= world.slots.length, 60_000);

  const viewer = config.http.tokens.find((t) => t.token)?.token ?? '';
  const api = async (path: string): Promise<unknown> => (await fetch(`${gateway.http.url}${path}`, { headers: { authorization: `Bearer ${viewer}` } })).json();
  const brokerUrl = gateway.broker?.url ?? (config.broker.mode === 'external' ? config.broker.url : '');
  await floor.connect({ brokerUrl, api, screen: async (stationId) => (await api(`/api/v1/stations/${stationId}/screen`)) as Screen });

  const controller = new AbortController();
  const pace = new Pace(options.speed ?? 1, random);
  const ctx: StaffContext = {
    world,
    stats,
    rates: options.rates ?? defaultMistakeRates,
    pace,
    random,
    signal: controller.signal,
    screen: async (stationId) => (await api(`/api/v1/stations/${stationId}/screen`)) as Screen,
    otherItem: (item) => {
      const others = world.slots.map((s) => s.item).filter((i) => i.sku !== item.sku);
      return others[Math.floor(random() * others.length)] ?? item;
    },
  };
  const loops: Promise<void>[] = [];
  for (const s of config.stations) {
    const { scanner, lights, scale, printer, eye } = floor.station(s.id);
    if (!scanner) continue;
    if (s.kind === 'pick') {
      if (lights) loops.push(runPicker(ctx, s.id, scanner, lights));
    } else if (s.kind === 'pack') {
      if (scale && printer) loops.push(runPacker(ctx, scanner, scale, printer, s.packagingGrams ?? config.workflows.packagingGrams));
    } else if (s.kind === 'dispatch') {
      if (eye) loops.push(runDispatcher(ctx, scanner, eye));
    } else if (s.kind === 'receiving') {
      loops.push(runReceiver(ctx, s.id, scanner, bins));
    }
  }

  // Customers: orders of 1-4 lines from what is on the shelf, released through the OMS.
  const released: string[] = [];
  const pickStations = config.stations.filter((s) => s.kind === 'pick').length || 1;
  const releaseEvery = (options.orderEveryMs ?? 12_000) / pickStations;
  const runId = Date.now().toString(36).toUpperCase();
  loops.push(
    (async () => {
      while (!controller.signal.aborted && (options.orders === undefined || released.length < options.orders)) {
        // Keep a small queue ahead of the pickers, as an OMS batching orders would.
        const waiting = stats.orders.released - stats.orders.picked - stats.orders.cancelled;
        if (waiting < pickStations * 2) {
          const items = shuffled(world.orderable(), random).slice(0, 1 + Math.floor(random() * 4));
          if (items.length > 0) {
            const orderId = `${config.store.id}-${runId}-${String(released.length + 1).padStart(5, '0')}`;
            const order = { orderId, priority: random() < 0.1 ? 1 : 0, dueAt: new Date(Date.now() + 30 * 60_000).toISOString(), shortCode: String(100 + (released.length % 900)), lines: items.map((item: CatalogItem, i) => ({ line: i + 1, sku: item.sku, qty: 1 + Math.floor(random() * 2) })) };
            oms.db.addFeedItem(config.store.id, 'order.released', order, `${orderId}-released`);
            released.push(orderId);
          }
        }
        await pace.wait(releaseEvery, controller.signal);
        if (options.speed === 'max') await pace.idle(controller.signal);
      }
    })(),
  );

  const store: DemoStore = {
    get gateway() {
      return gateway;
    },
    oms,
    world,
    stats,
    config,
    floor,
    released,
    async restartGateway() {
      gateway.bus.removeOwner(stats);
      // The same ports again, so the devices and staff find the gateway where it was.
      const pinned = configSchema.parse({
        ...config,
        broker: config.broker.mode === 'embedded' ? { ...config.broker, port: gateway.broker!.port } : config.broker,
        http: { ...config.http, port: gateway.http.port },
      });
      await gateway.stop();
      gateway = new Gateway({ config: pinned, logger, configSource: options.configFile ?? 'demo', configFile });
      await gateway.start();
      watch(gateway);
    },
    async stop() {
      controller.abort();
      await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, 3000))]);
      gateway.bus.removeOwner(stats);
      await gateway.stop();
      await floor.close();
      await oms.stop();
    },
  };
  return store;
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`the demo store did not get its catalog and opening stock from the simulated OMS within ${timeoutMs / 1000} s; see the gateway log (sync)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
