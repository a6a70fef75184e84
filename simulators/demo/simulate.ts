/**
 * `darkstore-gateway simulate --orders N --stations S --speed X|max [--faults] [--batch] [--trust-pick] [--json] [--report-dir DIR]`:
 * a whole shift, headless and as fast as asked, ending with a report. The exit code is 1 when a
 * mistake got through, the stock of the gateway and the OMS differ, or orders did not finish.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { startDemoStore, stockRows, type DemoStore } from './demoStore.ts';
import { printerOutOfPaper } from './printerFault.ts';
import { shiftConfigInput } from './shiftConfig.ts';
import { shiftSvg } from './shiftPlot.ts';
import { cancelledWhere, cancelledWhereText, mistakeKinds, type CancelledWhere } from './shiftStats.ts';

export const simulateUsage = 'simulate [--orders N] [--stations S] [--speed X|max] [--faults] [--cancel-rate R] [--batch] [--trust-pick] [--json] [--report-dir DIR] [--keep-data]';

export interface ShiftReport {
  ok: boolean;
  /** `dispatched` leaves out orders cancelled after all; `cancelled` counts every order the OMS cancelled. */
  orders: { requested: number; released: number; picked: number; packed: number; dispatched: number; cancelled: number; emptyAfterShorts: number };
  /**
   * Orders the simulated OMS cancelled (a share `rate` of those released, at random moments),
   * by where they were when the staff dealt with them, with a message they heard there; and
   * the units that went into the returns tote, were put back on the shelves, and are left
   * (a unit left in the tote or an open return task fails the run).
   */
  cancellations: {
    rate: number;
    byWhere: Record<CancelledWhere, number>;
    told: Partial<Record<CancelledWhere, string>>;
    units: { toReturnsTote: number; putBack: number; leftInTote: number; openReturnTasks: number };
  };
  scans: number;
  mistakes: Record<string, { made: number; caught: number; missed: number }>;
  stock: { gatewayVsOms: 'equal' | string[]; gatewayVsShelf: 'equal' | string[] };
  latencyMs: { p50: number; p90: number; p99: number };
  eventsSynced: number;
  /** Bag labels: distinct SSCCs that came out of the printers against bags packed; a missing one fails the run. */
  labels: { bagsPacked: number; printed: number; missing: string[] };
  /**
   * With --batch: the batch station's batches, the orders that went over its put wall (the most
   * at once), and the puts confirmed by the slot's light button or by a scan of the tote.
   */
  batch?: { station: string; batches: number; orders: number; mostOrdersOnWall: number; putsByButton: number; putsByTote: number; cancelledOnWall: number; told?: string };
  /** With --trust-pick: orders packed at the station that trusts the pick, those in several bags weighed together, and their bags. */
  trustPick?: { station: string; orders: number; weighedTogether: number; bags: number };
  /** Each device with the transport its simulator ran on and its health at the end. */
  devices: Array<{ id: string; transport: string; state: string }>;
  faults: string[];
  /** How many times the gateway process started (2 after a kill and restart). */
  gatewayStarts: number;
  /** What the faults did, as the store admin saw it. */
  incidents: string[];
  wallSeconds: number;
  problems: string[];
}

export async function simulateCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        orders: { type: 'string', default: '50' },
        stations: { type: 'string', default: '2' },
        speed: { type: 'string', default: 'max' },
        faults: { type: 'boolean', default: false },
        'cancel-rate': { type: 'string', default: '0.02' },
        batch: { type: 'boolean', default: false },
        'trust-pick': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'report-dir': { type: 'string' },
        'keep-data': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\nUsage: darkstore-gateway ${simulateUsage}`);
    return 2;
  }
  if (values.help) {
    console.log(`Run a simulated shift headless and report what happened.\n\nUsage: darkstore-gateway ${simulateUsage}`);
    return 0;
  }
  const orders = Number(values.orders);
  const stations = Number(values.stations);
  const speed = values.speed === 'max' ? 'max' : Number(values.speed);
  if (!Number.isInteger(orders) || orders < 1) return usageError(`--orders expects a whole number of at least 1, found "${values.orders}"`);
  if (!Number.isInteger(stations) || stations < 1 || stations > 20) return usageError(`--stations expects 1 to 20, found "${values.stations}"`);
  if (speed !== 'max' && !(speed > 0)) return usageError(`--speed expects a positive number or "max", found "${values.speed}"`);
  const cancelRate = Number(values['cancel-rate']);
  if (!(cancelRate >= 0 && cancelRate <= 1)) return usageError(`--cancel-rate expects a share of the orders from 0 to 1 (0.05 cancels 5 %), found "${values['cancel-rate']}"`);

  const dataDir = mkdtempSync(join(tmpdir(), 'dsgw-simulate-'));
  const started = Date.now();
  const logFile = join(dataDir, 'gateway.log');
  const configFile = join(dataDir, 'store.yaml');
  writeFileSync(configFile, stringify(shiftConfigInput({ stations, dataDir, batch: values.batch, trustPick: values['trust-pick'] })));
  let store: DemoStore;
  try {
    store = await startDemoStore({ configFile, ephemeralPorts: true, omsPort: 0, speed, orders, orderEveryMs: 6000, logFile, cancelRate });
  } catch (err) {
    console.error(`the simulated store could not start: ${(err as Error).message}`);
    return 1;
  }
  const faults: string[] = [];
  // On a terminal the bar redraws in place; in a log (CI, a pipe) a plain line every 10 s says
  // the run is alive and how far it got. --json keeps stderr quiet for scripts.
  let lastLine = 0;
  const progress = (text: string) => {
    if (values.json) return;
    if (process.stderr.isTTY) process.stderr.write(`\r${text}\x1b[K`);
    else if (Date.now() - lastLine >= 10_000) {
      lastLine = Date.now();
      process.stderr.write(`${text.replace(/^\[[#.]*\] /, '')}\n`);
    }
  };
  try {
    await runShift(store, orders, values.faults, faults, progress);
    if (!values.json && process.stderr.isTTY) process.stderr.write('\n');
    const report = await finalReport(store, orders, faults, (Date.now() - started) / 1000);
    if (values['report-dir']) {
      mkdirSync(values['report-dir'], { recursive: true });
      writeFileSync(join(values['report-dir'], 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
      writeFileSync(join(values['report-dir'], 'shift.svg'), shiftSvg({ dispatchTimes: store.stats.dispatchTimes, latency: store.stats.latencyTimeline, title: `simulate --orders ${orders} --stations ${stations} --speed ${values.speed}${values.faults ? ' --faults' : ''} --cancel-rate ${cancelRate}${values.batch ? ' --batch' : ''}${values['trust-pick'] ? ' --trust-pick' : ''}` }));
    }
    console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.ok ? 0 : 1;
  } finally {
    await store.stop();
    if (!values['keep-data']) rmSync(dataDir, { recursive: true, force: true });
    else console.error(`data kept in ${dataDir} (gateway log: ${logFile})`);
  }
}

function usageError(message: string): number {
  console.error(`${message}\nUsage: darkstore-gateway ${simulateUsage}`);
  return 2;
}

/** Open return putaway tasks at the gateway (units of cancelled orders not back on a shelf yet). */
async function openReturnTasks(store: DemoStore): Promise<number> {
  return (await store.gateway.api<{ total: number }>('/api/v1/tasks?kind=putaway&limit=1')).total;
}

/**
 * Runs until every requested order is dispatched, cancelled or emptied by shorts, and the units
 * of cancelled orders are back on the shelves, injecting faults on the way.
 */
async function runShift(store: DemoStore, orders: number, withFaults: boolean, faults: string[], progress: (t: string) => void): Promise<void> {
  const { world } = store;
  const finished = () => store.stats.finishedOrders();
  // A cancelled order's units may still be in a tote, a bag or the returns tote; the gateway's open returns say so too.
  let returnsOpen = 0;
  const returnsLeft = async () => {
    if (world.totesToPack.length + world.bagsToDispatch.length + world.returnsTote.length > 0) return true;
    returnsOpen = await openReturnTasks(store).catch(() => returnsOpen || 1);
    return returnsOpen > 0;
  };
  const plan = withFaults
    ? [
        { at: 0.1, name: 'printer out of paper', run: async () => void store.floor.incidents.push(await printerOutOfPaper(store.floor)) },
        { at: 0.2, name: 'cloud down', run: () => cloudOutage(store) },
        { at: 0.4, name: 'scanner unplugged', run: () => unplug(store, 'scanner-pick-1') },
        { at: 0.6, name: 'gateway killed (SIGKILL) and restarted', run: () => store.killGateway() },
      ]
    : [];
  let last = -1;
  let lastChange = Date.now();
  // Faults run beside the shift, one after the other; the shift waits for the last one.
  let faultChain: Promise<void> = Promise.resolve();
  let faultsRunning = 0;
  while (finished() < orders || plan.length > 0 || faultsRunning > 0 || (await returnsLeft())) {
    const done = finished();
    // Progress is orders finished, or units put back once the orders are.
    const moved = done + world.unitsPutBack;
    if (moved !== last) {
      last = moved;
      lastChange = Date.now();
    }
    if (Date.now() - lastChange > 90_000) {
      store.stats.problems.push(done < orders ? `the shift stalled: ${done} of ${orders} orders finished, nothing moved for 90 s` : `the shift stalled: ${world.returnsTote.length} units in the returns tote, nothing put back for 90 s`);
      break;
    }
    const next = plan[0];
    if (next && (done >= next.at * orders || finished() >= orders)) {
      plan.shift();
      faults.push(next.name);
      faultsRunning += 1;
      faultChain = faultChain.then(next.run).catch((err: Error) => {
        store.stats.problems.push(`fault "${next.name}" failed: ${err.message}`);
      }).finally(() => (faultsRunning -= 1));
    }
    const o = store.stats.orders;
    const width = 30;
    const filled = Math.round((done / orders) * width);
    progress(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${orders} orders  released ${o.released} picked ${o.picked} packed ${o.packed} dispatched ${o.dispatched}${o.cancelled ? ` cancelled ${o.cancelled}` : ''}  ${faults.length ? `faults: ${faults.join(', ')}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function cloudOutage(store: DemoStore): Promise<void> {
  store.oms.faults.set({ rates: { error5xx: 1 } });
  await new Promise((r) => setTimeout(r, 3000));
  store.oms.faults.set({ rates: {} });
}

async function unplug(store: DemoStore, deviceId: string): Promise<void> {
  await store.floor.device(deviceId)?.unplug(1500);
}

async function finalReport(store: DemoStore, orders: number, faults: string[], wallSeconds: number): Promise<ShiftReport> {
  const { gateway, oms, stats, world, config } = store;
  // Let the last events reach the OMS.
  let sync = await gateway.api<{ backlog: number; pushCursor: number; lastSeq: number }>('/api/v1/sync');
  for (let i = 0; i < 300 && sync.backlog > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    sync = await gateway.api('/api/v1/sync');
  }
  await store.watcher.catchUp();
  const lastSeq = sync.lastSeq;
  const gatewayStock = new Map((await stockRows(gateway)).map((r) => [`${r.sku}|${r.bin}|${r.lot}`, r.qty]));
  const omsStock = new Map([...oms.db.stockAsOf(config.store.id, lastSeq).values()].map((r) => [`${r.sku}|${r.bin}|${r.lot}`, r.qty]));
  const diff = (a: Map<string, number>, b: Map<string, number>, names: [string, string]) => {
    const out: string[] = [];
    for (const key of new Set([...a.keys(), ...b.keys()])) {
      const x = a.get(key) ?? 0;
      const y = b.get(key) ?? 0;
      if (x !== y) out.push(`${key}: ${names[0]} ${x}, ${names[1]} ${y}`);
    }
    return out.length === 0 ? ('equal' as const) : out;
  };
  const vsOms = diff(gatewayStock, omsStock, ['gateway', 'OMS']);
  const vsShelf = diff(gatewayStock, world.shelfStock(), ['gateway', 'shelf']);
  const o = stats.orders;
  const finished = stats.finishedOrders() >= orders;
  const openReturns = await openReturnTasks(store).catch(() => -1);
  const units = { toReturnsTote: world.unitsReturned, putBack: world.unitsPutBack, leftInTote: world.returnsTote.length, openReturnTasks: openReturns };
  const returnsDone = units.leftInTote === 0 && units.openReturnTasks === 0;
  const labels = store.floor.labelAudit(world.bagsPacked);
  // Devices reconnect a second or two after a restart at the very end: give them that.
  await store.floor.waitOnline(store.floor.transports().map((d) => d.id), 5000).catch(() => false);
  const health = await store.floor.health().catch(() => new Map<string, string>());
  const report: ShiftReport = {
    ok: finished && returnsDone && stats.allCaught() && vsOms === 'equal' && vsShelf === 'equal' && labels.missing.length === 0,
    orders: { requested: orders, released: o.released, picked: o.picked, packed: o.packed, dispatched: o.dispatched, cancelled: o.cancelled, emptyAfterShorts: stats.emptyOrders },
    cancellations: { rate: store.cancelRate, byWhere: stats.cancelledByWhere(), told: stats.toldAt, units },
    scans: stats.scans,
    mistakes: Object.fromEntries(mistakeKinds.map((k) => [k, stats.mistakes[k]])),
    stock: { gatewayVsOms: vsOms, gatewayVsShelf: vsShelf },
    latencyMs: { p50: round(stats.latency(50)), p90: round(stats.latency(90)), p99: round(stats.latency(99)) },
    eventsSynced: sync.pushCursor,
    labels,
    ...stationWork(store),
    devices: store.floor.transports().map((d) => ({ ...d, state: health.get(d.id) ?? 'unknown' })),
    faults,
    gatewayStarts: gateway.starts,
    incidents: store.floor.incidents,
    wallSeconds: round(wallSeconds),
    problems: [...stats.problems, ...gateway.unexpectedExits],
  };
  return report;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** What the batch station and the station that trusts the pick did, when the store has them. */
function stationWork(store: DemoStore): Pick<ShiftReport, 'batch' | 'trustPick'> {
  const { stats, config } = store;
  const batchStation = config.stations.find((s) => s.kind === 'pick' && s.batch);
  const trustStation = config.stations.find((s) => s.kind === 'pack' && s.trustPick);
  const b = stats.batch;
  const t = stats.trustPick;
  return {
    ...(batchStation ? { batch: { station: batchStation.id, batches: b.batches.size, orders: b.orders.size, mostOrdersOnWall: b.biggest, putsByButton: b.putsByButton, putsByTote: b.putsByTote, cancelledOnWall: b.cancelledOnWall, ...(b.told ? { told: b.told } : {}) } } : {}),
    ...(trustStation ? { trustPick: { station: trustStation.id, orders: t.orders, weighedTogether: t.weighedTogether, bags: t.bagsTogether } } : {}),
  };
}

export function formatReport(r: ShiftReport): string {
  const notDispatched = [r.orders.cancelled ? `${r.orders.cancelled} cancelled` : '', r.orders.emptyAfterShorts ? `${r.orders.emptyAfterShorts} emptied by short picks` : ''].filter(Boolean).join(', ');
  const c = r.cancellations;
  const where = cancelledWhere.filter((w) => c.byWhere[w] > 0).map((w) => `${c.byWhere[w]} ${cancelledWhereText[w]}`).join(', ');
  const lines = [
    `shift ${r.ok ? 'OK' : 'FAILED'}: ${r.orders.dispatched} of ${r.orders.requested} orders dispatched${notDispatched ? ` (${notDispatched})` : ''} in ${r.wallSeconds} s`,
    `orders      released ${r.orders.released}, picked ${r.orders.picked}, packed ${r.orders.packed}, dispatched ${r.orders.dispatched}, cancelled ${r.orders.cancelled}`,
    `cancelled   ${r.orders.cancelled} of ${r.orders.released} (rate ${c.rate})${where ? `: ${where}` : ''}`,
    `returns     ${c.units.toReturnsTote} units into the returns tote, ${c.units.putBack} put back on the shelves${c.units.leftInTote ? `, ${c.units.leftInTote} LEFT in the tote` : ''}${c.units.openReturnTasks ? `, ${c.units.openReturnTasks} return tasks OPEN` : ''}`,
    // What the staff were told, one message per place.
    ...cancelledWhere.filter((w) => c.told[w]).map((w) => `  ${cancelledWhereText[w]}: "${c.told[w]}"`),
    `scans       ${r.scans}`,
    `mistakes    ${Object.entries(r.mistakes).map(([k, m]) => `${k} ${m.caught}/${m.made}${m.missed ? ` (${m.missed} MISSED)` : ''}`).join(', ')}  (caught/made)`,
    `stock       gateway vs OMS: ${r.stock.gatewayVsOms === 'equal' ? 'equal' : `${r.stock.gatewayVsOms.length} differences`}; gateway vs shelf: ${r.stock.gatewayVsShelf === 'equal' ? 'equal' : `${r.stock.gatewayVsShelf.length} differences`}`,
    `verdicts    p50 ${r.latencyMs.p50} ms, p90 ${r.latencyMs.p90} ms, p99 ${r.latencyMs.p99} ms`,
    `synced      ${r.eventsSynced} events`,
    `labels      ${r.labels.printed} printed for ${r.labels.bagsPacked} bags packed${r.labels.missing.length ? `, ${r.labels.missing.length} MISSING` : ', none missing'}`,
    ...(r.batch ? [`batch       ${r.batch.station}: ${r.batch.orders} orders in ${r.batch.batches} batches (up to ${r.batch.mostOrdersOnWall} on the put wall), ${r.batch.putsByButton + r.batch.putsByTote} puts confirmed (${r.batch.putsByButton} by the slot's button, ${r.batch.putsByTote} by a tote scan)${r.batch.cancelledOnWall ? `; ${r.batch.cancelledOnWall} ${r.batch.cancelledOnWall === 1 ? 'order' : 'orders'} cancelled on the wall, tote taken out` : ''}`, ...(r.batch.told ? [`  on the batch wall: "${r.batch.told}"`] : [])] : []),
    ...(r.trustPick ? [`trust pick  ${r.trustPick.station}: ${r.trustPick.orders} orders packed without unit scans, ${r.trustPick.weighedTogether} of them in several bags weighed together (${r.trustPick.bags} bags)`] : []),
    `devices     ${devicesLine(r.devices)}`,
    `faults      ${r.faults.length ? r.faults.join(', ') : 'none'}${r.gatewayStarts > 1 ? ` (the gateway process started ${r.gatewayStarts} times)` : ''}`,
    ...r.incidents.map((i) => `  ${i}`),
  ];
  lines.push(...r.labels.missing.slice(0, 10).map((m) => `  ${m}`));
  for (const list of [r.stock.gatewayVsOms, r.stock.gatewayVsShelf]) if (list !== 'equal') lines.push(...list.slice(0, 10).map((d) => `  ${d}`));
  if (r.problems.length) lines.push('problems', ...r.problems.slice(0, 10).map((p) => `  ${p}`));
  return lines.join('\n');
}

/** "scanner-pick-1 serial /dev/pts/5, printer-pack-1 tcp 127.0.0.1:40123; 7 on mqtt; all online" */
function devicesLine(devices: ShiftReport['devices']): string {
  const real = devices.filter((d) => d.transport !== 'mqtt');
  const mqtt = devices.length - real.length;
  const down = devices.filter((d) => d.state !== 'online');
  return [real.map((d) => `${d.id} ${d.transport}`).join(', '), mqtt ? `${mqtt} on mqtt` : '', down.length ? down.map((d) => `${d.id} ${d.state}`).join(', ') : 'all online'].filter(Boolean).join('; ');
}
