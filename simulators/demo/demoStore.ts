/**
 * A living dark store on one machine: the simulated cloud OMS, the gateway (a child process, so
 * a fault can SIGKILL it), simulated devices of every class on their transports (floorDevices.ts:
 * TCP label printer, serial scanner and scale on pseudo-terminals, the rest MQTT), and simulated
 * staff working a shift through them. This (with its CLI entry points) is the one place that
 * starts simulators beside the gateway. The demo reads the gateway only from outside: its admin
 * API and its MQTT broker, as a store's other systems would.
 *
 * @example
 *   const store = await startDemoStore({ configFile: 'data/store.yaml', speed: 1 });
 *   console.log(renderSummary(store));
 *   await store.stop();
 */
import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfigFile } from '../../config/loadConfig.ts';
import type { GatewayConfig } from '../../config/schema.ts';
import { ConfigFile } from '../../gateway/admin/configFile.ts';
import { explainListenError } from '../../gateway/core/portInUse.ts';
import { startCloudOms, type CloudOms } from '../cloud-oms/cloudOms.ts';
import { seededRandom, type CatalogItem } from '../cloud-oms/groceryCatalog.ts';
import { CustomerCancellations } from './customerCancellations.ts';
import { runBatchPicker } from './batchPicker.ts';
import { prepareFloorDevices, type FloorDevices, type FloorLights } from './floorDevices.ts';
import { FloorWorld, isoDay } from './floorWorld.ts';
import { freePort, GatewayProcess } from './gatewayProcess.ts';
import { GatewayWatcher } from './gatewayWatcher.ts';
import { Pace } from './pace.ts';
import { defaultMistakeRates, ShiftStats, type MistakeRates } from './shiftStats.ts';
import { runDispatcher, runPacker, runPicker, runReceiver, type OrderView, type Screen, type StaffContext } from './staff.ts';

export interface DemoStoreOptions {
  /** The config file the gateway runs; the console may change it. The demo writes into it the
   * address of the simulated OMS (cloud.url) when it differs. */
  configFile: string;
  /** Free ports for the gateway's HTTP and MQTT broker instead of the file's (tests, a second
   * demo): the gateway then runs a copy of the file (NAME.ephemeral-ports.yaml) holding them. */
  ephemeralPorts?: boolean;
  /** Port of the simulated OMS; 0 = ephemeral. Defaults to the one in cloud.url. */
  omsPort?: number;
  speed?: number | 'max';
  rates?: MistakeRates;
  /** Release this many orders in all, then stop releasing (default: keep going). */
  orders?: number;
  /** Human-pace time between released orders (default 12 s per pick station). */
  orderEveryMs?: number;
  /** Where the gateway process writes its output (JSON log lines), so a terminal shows only the summary. */
  logFile: string;
  seed?: number;
  /** The share of released orders whose customer cancels them at a random moment (default 0.02; 0: none). */
  cancelRate?: number;
  /** Whether socat is there for the serial devices (found on PATH when not given). */
  socat?: boolean;
  /** Where one-line notices go (socat missing); stderr when not given. */
  notice?: (line: string) => void;
}

export interface DemoStore {
  gateway: GatewayProcess;
  /** What the demo last read from the gateway: sync status and device health. */
  watcher: GatewayWatcher;
  oms: CloudOms;
  world: FloorWorld;
  stats: ShiftStats;
  config: GatewayConfig;
  /** The gateway's MQTT broker, where the simulated devices connect. */
  brokerUrl: string;
  /** The simulated devices on their transports. */
  floor: FloorDevices;
  /** Orders released by the shift so far. */
  released: string[];
  /** The share of released orders the simulated OMS cancels. */
  cancelRate: number;
  stop(): Promise<void>;
  /** SIGKILLs the gateway process and starts it again on the same data, as after a power cut. */
  killGateway(downMs?: number): Promise<void>;
}

export async function startDemoStore(options: DemoStoreOptions): Promise<DemoStore> {
  const random = seededRandom(options.seed ?? 7);
  const base = loadConfigFile(options.configFile);
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
  let gateway: GatewayProcess;
  let config: GatewayConfig;
  let floor: FloorDevices | undefined;
  try {
    // The gateway process reads its config file only: what the demo decides at run time goes in
    // it. Free ports go into a copy beside it, so the store's own file keeps its ports.
    const ports = options.ephemeralPorts ? { http: await freePort(), broker: await freePort() } : undefined;
    const runFile = ports ? options.configFile.replace(/(\.ya?ml)?$/, '.ephemeral-ports.yaml') : options.configFile;
    if (ports) copyFileSync(options.configFile, runFile);
    // The devices on real transports first: the gateway opens their ptys and port as it starts.
    floor = await prepareFloorDevices(base, { dataDir, configFile: runFile, socat: options.socat, notice: options.notice });
    const cloudChanged = base.cloud?.url !== oms.url || base.cloud?.token !== token || base.cloud?.enabled !== true;
    config = !ports && !cloudChanged
      ? loadConfigFile(runFile)
      : await new ConfigFile(runFile).update((doc) => {
          doc.setIn(['cloud', 'url'], oms.url);
          doc.setIn(['cloud', 'token'], token);
          doc.setIn(['cloud', 'enabled'], true);
          if (ports) {
            doc.setIn(['http', 'port'], ports.http);
            if (base.broker.mode === 'embedded') doc.setIn(['broker', 'port'], ports.broker);
          }
        });
    floor.config = config;
    const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host;
    const admin = config.http.tokens.find((t) => t.role === 'admin' && t.token)?.token;
    if (!admin) throw new Error(`the demo reads the gateway through its admin API and needs an admin token with a plain "token" in ${options.configFile} (http.tokens)`);
    gateway = await GatewayProcess.start({ configFile: runFile, logFile: options.logFile, httpUrl: `http://${host}:${config.http.port}`, token: admin });
  } catch (err) {
    await floor?.close();
    await oms.stop();
    throw err;
  }
  const stats = new ShiftStats();
  const watcher = new GatewayWatcher(gateway, stats);
  watcher.start();

  // The shelf: what the gateway already believes is there (a restarted demo), else opening stock.
  const catalog = new Map(oms.catalog.map((c) => [c.sku, c]));
  const world = new FloorWorld();
  const bins = config.layout.bins.filter((b) => config.stations.some((s) => s.kind === 'pick' && (!s.zone || s.zone === b.zone)));
  const existing = (await stockRows(gateway)).filter((r) => r.qty > 0 && catalog.has(r.sku));
  if (existing.length > 0) {
    for (const r of existing) {
      const bin = bins.find((b) => b.id === r.bin);
      if (bin) world.putAway(bin.id, bin.zone, catalog.get(r.sku)!, r.lot, r.expiry ?? isoDay(60), r.qty);
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
  await waitUntil(async () => {
    const [items, stock] = await Promise.all([gateway.api<{ total: number }>('/api/v1/catalog?limit=1'), gateway.api<{ total: number }>('/api/v1/stock?limit=1')]);
    return items.total >= catalog.size && stock.total >= world.slots.length;
  }, 60_000);

  const brokerUrl = config.broker.mode === 'external' ? config.broker.url : `mqtt://${config.broker.host === '0.0.0.0' || config.broker.host === '::' ? '127.0.0.1' : config.broker.host}:${config.broker.port}`;
  await floor.connect({ brokerUrl, api: (path) => gateway.api(path), screen: (stationId) => gateway.api<Screen>(`/api/v1/stations/${stationId}/screen`) });

  const controller = new AbortController();
  const pace = new Pace(options.speed ?? 1, random);
  const cancelRate = options.cancelRate ?? 0.02;
  const cancellations = new CustomerCancellations({ rate: cancelRate, seed: (options.seed ?? 7) + 1, cancel: (orderId) => oms.cancelOrder(config.store.id, orderId) });
  const ctx: StaffContext = {
    world,
    stats,
    rates: options.rates ?? defaultMistakeRates,
    pace,
    random,
    signal: controller.signal,
    screen: (stationId) => gateway.api<Screen>(`/api/v1/stations/${stationId}/screen`),
    order: (orderId) => gateway.api<OrderView>(`/api/v1/orders/${encodeURIComponent(orderId)}`),
    orderEvents: async (orderId, type) => (await gateway.api<{ events: Array<{ type: string; data: Record<string, unknown> }> }>(`/api/v1/events?order=${encodeURIComponent(orderId)}&type=${type}&limit=10`)).events,
    deviceOnline: async (deviceId) => (await floor.health()).get(deviceId) === 'online',
    otherItem: (item) => {
      const others = world.slots.map((s) => s.item).filter((i) => i.sku !== item.sku);
      return others[Math.floor(random() * others.length)] ?? item;
    },
    orderReached: (orderId, moment) => cancellations.reached(orderId, moment),
  };
  const loops: Promise<void>[] = [];
  for (const s of config.stations) {
    const { scanner, lights, scale, printer, eye } = floor.station(s.id);
    if (!scanner) continue;
    if (s.kind === 'pick') {
      // A batch station's put wall lights report to it without being among its devices.
      const putWall = s.batch && (floor.device(s.batch.putWall[0]!.light.device) as FloorLights | undefined);
      if (lights && putWall) loops.push(runBatchPicker(ctx, s.id, scanner, lights, putWall));
      else if (lights) loops.push(runPicker(ctx, s.id, scanner, lights));
    } else if (s.kind === 'pack') {
      if (scale && printer) loops.push(runPacker(ctx, s.id, scanner, scale, printer, s.packagingGrams ?? config.workflows.packagingGrams, s.trustPick));
    } else if (s.kind === 'dispatch') {
      if (eye) loops.push(runDispatcher(ctx, s.id, scanner, eye));
    } else if (s.kind === 'receiving') {
      loops.push(runReceiver(ctx, s.id, scanner, bins));
    }
  }

  // Customers: orders of 1-4 lines from what is on the shelf, released through the OMS.
  const released: string[] = [];
  const pickStations = config.stations.filter((s) => s.kind === 'pick').length || 1;
  // How many orders the pick stations take at once: a batch station takes up to its maxOrders.
  const pickCapacity = config.stations.filter((s) => s.kind === 'pick').reduce((n, s) => n + (s.batch?.maxOrders ?? 1), 0) || 1;
  const releaseEvery = (options.orderEveryMs ?? 12_000) / pickStations;
  const runId = Date.now().toString(36).toUpperCase();
  loops.push(
    (async () => {
      while (!controller.signal.aborted && (options.orders === undefined || released.length < options.orders)) {
        // Keep a small queue ahead of the pickers, as an OMS batching orders would.
        const waiting = stats.orders.released - stats.orders.picked - stats.orders.cancelled;
        if (waiting < pickCapacity * 2) {
          const items = shuffled(world.orderable(), random).slice(0, 1 + Math.floor(random() * 4));
          if (items.length > 0) {
            const orderId = `${config.store.id}-${runId}-${String(released.length + 1).padStart(5, '0')}`;
            const order = { orderId, priority: random() < 0.1 ? 1 : 0, dueAt: new Date(Date.now() + 30 * 60_000).toISOString(), shortCode: String(100 + (released.length % 900)), lines: items.map((item: CatalogItem, i) => ({ line: i + 1, sku: item.sku, qty: 1 + Math.floor(random() * 2) })) };
            oms.db.addFeedItem(config.store.id, 'order.released', order, `${orderId}-released`);
            released.push(orderId);
            cancellations.released(orderId);
          }
        }
        await pace.wait(releaseEvery, controller.signal);
        if (options.speed === 'max') await pace.idle(controller.signal);
      }
    })(),
  );

  const store: DemoStore = {
    gateway,
    watcher,
    oms,
    world,
    stats,
    config,
    brokerUrl,
    floor,
    released,
    cancelRate,
    async killGateway(downMs = 1000) {
      await gateway.kill();
      await new Promise((r) => setTimeout(r, downMs));
      await gateway.restart();
    },
    async stop() {
      controller.abort();
      await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, 3000))]);
      await watcher.stop();
      // The gateway first: it closes the serial ports and the printer connection before their simulators go.
      await gateway.stop();
      await floor.close();
      await oms.stop();
    },
  };
  return store;
}

/** Every stock row of the gateway (sku, bin, lot), read page by page from its admin API. */
export async function stockRows(gateway: GatewayProcess): Promise<Array<{ sku: string; bin: string; lot: string; expiry: string | null; qty: number }>> {
  const rows: Array<{ sku: string; bin: string; lot: string; expiry: string | null; qty: number }> = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await gateway.api<{ rows: typeof rows; total: number }>(`/api/v1/stock?limit=1000&offset=${offset}`);
    rows.push(...page.rows);
    if (rows.length >= page.total || page.rows.length === 0) return rows;
  }
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function waitUntil(done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`the demo store did not get its catalog and opening stock from the simulated OMS within ${timeoutMs / 1000} s; see the gateway log (sync)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
