/**
 * The Stations component: the imperative shell around the workflows. It routes device events to
 * the station that owns the device, decodes scans, runs the station's state machine against the
 * local replica, and hands the effects to the executor. Each station handles one input at a
 * time, in arrival order, so its state and the log agree; stations run side by side.
 * Released orders go to free pick stations by priority and due time; a batch pick station takes
 * up to its `batch.maxOrders` at once (batchPickWorkflow.ts) and resumes its batch after a restart.
 *
 * @example
 *   const stations = new Stations({ config, log, bus, metrics, logger, commander, publishScreen });
 *   await stations.start();   // listens to device events and committed orders
 *   await stations.stop();
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { GatewayConfig, StationConfig } from '../../config/schema.ts';
import { renderLabel } from '../../devices/printers/labelTemplates.ts';
import { BarcodeError, decodeBarcode, SsccGenerator, type BarcodeOptions, type BarcodeResult } from '../../devices/barcode/index.ts';
import type { DeviceEvent, EventBus } from '../core/eventBus.ts';
import type { Metrics } from '../core/metrics.ts';
import type { LoggedEvent } from '../log/eventCatalogue.ts';
import type { EventLog } from '../log/eventLog.ts';
import { applyBatchPick, initialBatchPickState, type BatchPickInput, type BatchPickState } from './batchPickWorkflow.ts';
import { planBatch, resumeBatch } from './batchPlanner.ts';
import { applyDispatch, cancelDispatch, initialDispatchState, type DispatchState } from './dispatchWorkflow.ts';
import { EffectExecutor, type DeviceCommander, type ScreenUpdate } from './effectExecutor.ts';
import { applyPack, bagLabelDocument, bagLabelFields, cancelPack, initialPackState, type PackContext, type PackState } from './packWorkflow.ts';
import { compareOrders, planPickLines, takeOrderFor, type ReleasedOrder, type StockRow } from './pickPlanner.ts';
import { applyPick, initialPickState, type PickInput, type PickState } from './pickWorkflow.ts';
import { suggestPutawayBin } from './putawayPlanner.ts';
import { countResult, replenishmentNeeds } from './replenishment.ts';
import { applyReceiving, initialReceivingState, resumePutaway, type ReceivingState, type TaskAtBin } from './receivingWorkflow.ts';
import { BackOfHouseLedger } from './backOfHouseLedger.ts';
import { ReplicaViews } from './replicaViews.ts';
import { storeDate } from './shelfLife.ts';
import type { Decision, Effect, StationInput } from './types.ts';
import type { EventData } from '../log/eventCatalogue.ts';

/** What a station's queue carries: device inputs, and the assignments and cancellations of the shell. */
type StationWork = PickInput | BatchPickInput;

export interface StationsOptions {
  config: GatewayConfig;
  log: EventLog;
  bus: EventBus;
  metrics: Metrics;
  logger: Logger;
  commander: DeviceCommander;
  publishScreen(stationId: string, screen: ScreenUpdate): Promise<void>;
  /** The clock, for shelf-life dates; tests pin it. */
  now?: () => Date;
}

type Runtime =
  | { kind: 'pick'; config: StationConfig; state: PickState; queue: Promise<void> }
  | { kind: 'batchPick'; config: StationConfig; state: BatchPickState; queue: Promise<void> }
  | { kind: 'pack'; config: StationConfig; state: PackState; queue: Promise<void> }
  | { kind: 'dispatch'; config: StationConfig; state: DispatchState; queue: Promise<void> }
  | { kind: 'receiving'; config: StationConfig; state: ReceivingState; queue: Promise<void> };

export class Stations {
  readonly name = 'stations';
  private readonly options: StationsOptions;
  private readonly stations = new Map<string, Runtime>();
  private readonly byDevice = new Map<string, Runtime>();
  /** Orders handed to a station (kept so a later release does not hand them out twice). */
  private readonly assigned = new Set<string>();
  /** Pick stations with an assignment queued but not yet applied. */
  private readonly pendingAssign = new Set<Runtime>();
  /** Batch stations whose batch from before a restart was looked for (once, at the first assignment). */
  private readonly resumeChecked = new Set<Runtime>();
  /** Open tasks by id (task.created without task.completed), rebuilt from the log on start. */
  private readonly openTasks = new Map<string, { kind: string; sku?: string; bin: string }>();
  private views!: ReplicaViews;
  private ledger!: BackOfHouseLedger;
  private executor!: EffectExecutor;
  private sscc!: SsccGenerator;
  /** Devices that went offline, with the reason (a pack station tells the packer when its printer cannot print). */
  private readonly deviceFaults = new Map<string, string>();
  /** What each pick station's `station.<id>.pickOrder` kv entry holds ('' for none), as read or written here. */
  private readonly storedPickOrders = new Map<string, string>();

  constructor(options: StationsOptions) {
    this.options = options;
  }

  async start(): Promise<void> {
    const { config, log, bus, logger } = this.options;
    this.views = new ReplicaViews(log);
    this.ledger = new BackOfHouseLedger(log, () => config.layout.bins);
    // Folded here, not at the first case scan: on a long log that takes a moment.
    this.ledger.openTasks();
    this.executor = new EffectExecutor({
      log,
      commander: this.options.commander,
      publishScreen: this.options.publishScreen,
      language: config.store.language,
      onDeviceError: (deviceId, err) => logger.warn({ component: this.name, deviceId, err: err.message }, 'a device command was not delivered'),
    });
    const ssccConfig = config.barcodes.sscc ?? { companyPrefix: '0000000', extensionDigit: 0 };
    if (!config.barcodes.sscc) logger.warn({ component: this.name }, 'barcodes.sscc is not configured: bag labels use company prefix 0000000; set your GS1 company prefix');
    const key = `sscc.next.${ssccConfig.extensionDigit}${ssccConfig.companyPrefix}`;
    this.sscc = new SsccGenerator({
      ...ssccConfig,
      store: { load: () => BigInt(log.getKv(key) ?? '1'), save: (next) => log.setKv(key, next.toString()) },
    });
    for (const station of config.stations) this.addStation(station);
    this.loadBagTemplates();
    for (const e of log.query({ type: 'task.', limit: 1_000_000 })) this.trackTask(e);
    this.resumeReceiving();
    this.printLostLabels();
    // A cancellation committed just before a stop may not have its return tasks yet.
    for (const orderId of this.views.recentlyCancelled(100)) this.returnUnitsOfCancelled(orderId);
    bus.onDeviceEvent(this, (deviceId, event) => this.onDeviceEvent(deviceId, event));
    bus.onDeviceStatus(this, (change) => (change.online ? this.deviceFaults.delete(change.deviceId) : this.deviceFaults.set(change.deviceId, change.reason ?? 'offline')));
    bus.onEventsCommitted(this, (events) => this.onCommitted(events));
    this.assignOrders();
  }

  async stop(): Promise<void> {
    this.options.bus.removeOwner(this);
    await Promise.all([...this.stations.values()].map((s) => s.queue));
  }

  /** What each station is doing, for tests and the admin pages. */
  stationState(stationId: string): unknown {
    return this.stations.get(stationId)?.state;
  }

  /** Each pack station's bag label template, from its printer's templates folder; checked once here. */
  private readonly bagTemplates = new Map<string, string>();
  private loadBagTemplates(): void {
    const { config, logger } = this.options;
    for (const station of config.stations.filter((s) => s.kind === 'pack')) {
      const printerId = station.devices.find((d) => config.devices.find((x) => x.id === d)?.class === 'printer') ?? config.workflows.printer;
      const folder = config.devices.find((d) => d.id === printerId)?.printer.templates;
      if (!folder) continue;
      const file = join(folder, 'bag.zpl');
      if (!existsSync(file)) continue;
      const template = readFileSync(file, 'utf8');
      try {
        renderLabel(template, { store: 'x', shortCode: 'x', orderId: 'x', itemCount: 1, sscc: '000000000000000000', weightKg: '0.00', bag: '' }, file);
        this.bagTemplates.set(station.id, template);
      } catch (err) {
        logger.error({ component: this.name, station: station.id, err: (err as Error).message }, `${(err as Error).message}; pack station ${station.id} prints the built-in bag label until the template is fixed`);
      }
    }
  }

  /**
   * A bag passed (`label.printed` committed) just before a crash can have lost its print job: the
   * job is queued only after the commit. On start, the label of a bag still waiting for dispatch,
   * committed in the last minutes before the stop, whose SSCC is in no print job, is printed again
   * on its printer when that printer keeps a print queue (serial or TCP ZPL; an MQTT printer takes
   * the command with no journal here). The job id is the document's hash: a label re-rendered
   * exactly as before prints once.
   */
  private printLostLabels(): void {
    const { log, logger, commander, config } = this.options;
    const lastAt = log.query({ limit: 1, descending: true })[0]?.at;
    if (!lastAt) return;
    // The crash window: labels from long before the stop were printed, or their bags were seen without one.
    const since = new Date(Date.parse(lastAt) - 10 * 60_000).toISOString();
    const labels = [...log.eventsSince(since)].filter((e) => e.type === 'label.printed');
    if (labels.length === 0) return;
    const jobs = log.query({ type: 'print.queued', limit: 1000, descending: true }).map((e) => String((e.data as { document?: string }).document ?? ''));
    for (const e of labels) {
      const { orderId, sscc, printer, station, bag } = e.data as EventData<'label.printed'>;
      if (jobs.some((doc) => doc.includes(sscc))) continue;
      // Only the bag's latest label, and only while the bag waits for dispatch (not cancelled, not
      // gone); a bag of an order in several bags waits also while the next bag is being packed.
      const status = this.views.orderStatus(orderId)?.status;
      if (status !== 'packed' && !(status === 'picked' && bag !== undefined)) continue;
      const latest = log.query({ orderId, type: 'label.printed', limit: 1000, descending: true }).find((l) => (l.data as EventData<'label.printed'>).bag === bag);
      if (latest?.seq !== e.seq) continue;
      if (bag !== undefined && this.views.bag(sscc)?.dispatched?.includes(sscc)) continue;
      const device = config.devices.find((d) => d.id === printer);
      if (!device || device.class !== 'printer' || device.transport.type === 'mqtt' || device.printer.language !== 'zpl') {
        const why = !device ? `printer ${printer} is no longer in the config` : `${printer} is not a ZPL printer with a print queue here, so it cannot be sent again safely`;
        logger.warn({ component: this.name, orderId, sscc, printer }, `the bag label of order ${orderId} (SSCC ${sscc}) may not have printed before the gateway stopped, and ${why}: check the bag at dispatch`);
        continue;
      }
      const order = this.views.orderToPack(orderId);
      // The label as the pass printed it, from the same events (packWorkflow.bagLabelFields).
      const packed = log.query({ orderId, type: 'order.packed', limit: 1, descending: true })[0]?.data as EventData<'order.packed'> | undefined;
      const orderUnits = (order?.items ?? []).reduce((n, i) => n + i.qty, 0);
      const fields = bagLabelFields({ sscc, ...(bag !== undefined ? { bag } : {}), ...(packed ? { packed } : {}), passed: order?.bags ?? [], orderUnits });
      const document = bagLabelDocument(
        { orderId, ...(order?.shortCode ? { shortCode: order.shortCode } : {}), sscc, ...fields },
        { storeName: config.store.name ?? config.store.id, ...(this.bagTemplates.get(station) ? { bagLabelTemplate: this.bagTemplates.get(station) } : {}) },
      );
      logger.warn({ component: this.name, orderId, sscc, printer }, `the bag label of order ${orderId} (SSCC ${sscc}) was never queued for printing (the gateway stopped right after the bag passed): printing it now on ${printer}`);
      commander.send(printer, { kind: 'print', format: 'zpl', document }).catch((err: Error) => logger.error({ component: this.name, orderId, sscc, printer, err: err.message }, `the lost bag label of order ${orderId} could not be queued on ${printer}: ${err.message}; reprint it for the bag at dispatch`));
    }
  }

  /**
   * Every station that could hold the order hears of the cancellation through its queue, so it
   * comes after any decision in flight or queued (an assignment, the last scan, a weight): the
   * pick station that has it stops and turns its lights off, the pack station stops the bag, the
   * dispatch point keeps the bag back. Once they all have, the units picked for it get their
   * return tasks from the log, wherever they are now.
   */
  private cancelOrder(orderId: string): void {
    const holders = [...this.stations.values()].filter((s) => s.kind === 'pick' || s.kind === 'batchPick' || s.kind === 'pack' || s.kind === 'dispatch');
    for (const s of holders) this.enqueue(s, { kind: 'cancel', orderId });
    // enqueue() catches a failed input, so these queues never reject.
    void Promise.all(holders.map((s) => s.queue))
      .then(() => this.returnUnitsOfCancelled(orderId))
      .catch((err: Error) => this.options.logger.error({ component: this.name, orderId, err: err.message }, `the return tasks of cancelled order ${orderId} could not be created: ${err.message}; the gateway looks again at its next start`));
  }

  /**
   * The units picked for a cancelled order and not dispatched (in a tote mid-pick, on a batch
   * wall, in packing, in a bag) go back through one putaway task per line and bin, read from its
   * `stock.picked` events. Task ids are fixed per order, line and bin, so a cancellation seen
   * twice (a redelivery, a restart) creates each task once; an order with putaway tasks already
   * (made by an earlier release of the gateway) gets none.
   */
  private returnUnitsOfCancelled(orderId: string): void {
    const { log, logger } = this.options;
    // Everything about the order comes after its release: read from there (type, seq index), not from the start of the log.
    const releasedSeq = this.views.releasedSeq(orderId);
    // Never released in this store: nothing of it was picked here.
    if (releasedSeq === undefined) return;
    const since = { orderId, afterSeq: releasedSeq - 1 };
    if (log.query({ type: 'order.dispatched', ...since, limit: 1 }).length > 0) return;
    if (log.query({ type: 'task.created', ...since, limit: 1000 }).some((e) => (e.data as { kind: string }).kind === 'putaway')) return;
    const lines = new Map<string, { line?: number; sku: string; bin: string; qty: number }>();
    for (const e of log.query({ type: 'stock.picked', ...since, limit: 10_000 })) {
      const d = e.data as EventData<'stock.picked'>;
      const key = `${d.line ?? ''}\u0000${d.bin}`;
      const entry = lines.get(key) ?? { ...(d.line !== undefined ? { line: d.line } : {}), sku: d.substituteFor ?? d.sku, bin: d.bin, qty: 0 };
      entry.qty += d.qty;
      lines.set(key, entry);
    }
    // Bags of an order packed in several that left before the cancellation took their units with them.
    const gone = this.views.dispatchedBagItems(orderId, releasedSeq);
    const left = [...lines.values()].map((l) => {
      const away = Math.min(l.qty, gone.units.get(l.sku) ?? 0);
      if (away > 0) gone.units.set(l.sku, gone.units.get(l.sku)! - away);
      return { ...l, picked: l.qty, qty: l.qty - away };
    });
    const effects: Effect[] = left
      .map((l, i, all) => {
        // The ledger reads the line back from `return-{orderId}-{line}`; a line picked from two bins gets one task per bin.
        const taskId = `return-${orderId}-${l.line ?? i + 1}${all.some((o) => o !== l && o.line === l.line) ? `-${l.bin}` : ''}`;
        const fewer = l.qty < l.picked ? { qty: l.qty } : {};
        // Bags nobody scanned into left: the worker scans each unit that is here, and only those go back.
        const counted = gone.unknownContents ? { countUnits: true } : {};
        return { l, event: { type: 'task.created', id: `task.created:${taskId}`, data: { taskId, kind: 'putaway', sku: l.sku, bin: l.bin, reason: 'order cancelled', orderId, ...fewer, ...counted }, source: { orderId } } };
      })
      .filter(({ l }) => l.qty > 0)
      .map(({ event }) => ({ type: 'append', event }) as Effect);
    if (gone.bags.length > 0) {
      const which = gone.bags.map((b) => `SSCC ${b.sscc}${b.courier ? ` with ${b.courier}` : ''}`).join(', ');
      // Bags weighed together at a station that trusts the pick: nobody scanned what each held.
      const all = gone.unknownContents === gone.bags.length;
      const units = gone.unknownContents
        ? `what ${all ? 'they' : `${gone.unknownContents} of them`} held was never scanned (weighed together at a station that trusts the pick), so the return tasks ask the worker to scan each unit that is here, up to every unit picked${all ? '' : ' but those of the bags scanned'}, and put back those`
        : 'their units are not put back';
      logger.warn({ component: this.name, orderId, bags: gone.bags }, `order ${orderId} was cancelled after ${gone.bags.length} of its bags left (${which}): ${units}; tell the courier or the OMS`);
    }
    if (effects.length === 0) return;
    logger.info({ component: this.name, orderId, tasks: effects.length }, `order ${orderId} was cancelled with units picked: ${effects.length} putaway task(s) bring them back to their bins`);
    this.executor.execute(effects).catch((err: Error) => logger.error({ component: this.name, orderId, err: err.message }, `the return tasks of cancelled order ${orderId} could not be recorded: ${err.message}; the gateway looks again at its next start`));
  }

  /** A case received before a restart but not put away is still on the dock: its station asks for the bin again. */
  private resumeReceiving(): void {
    for (const runtime of this.stations.values()) {
      if (runtime.kind !== 'receiving' || runtime.state.scanner === '-') continue;
      const last = this.options.log
        .query({ device: runtime.state.scanner, type: 'stock.', limit: 20, descending: true })
        .find((e) => e.type === 'stock.received' || e.type === 'stock.putaway');
      const received = last?.type === 'stock.received' ? (last.data as { sku: string; bin: string; lot?: string; expiry?: string; qty: number }) : undefined;
      if (!received || received.bin !== runtime.state.dockBin) continue;
      const dock = runtime.state.dockBin;
      const decision = resumePutaway(runtime.state, received, {
        catalog: this.views.catalog,
        today: storeDate(this.now(), this.options.config.store.timezone),
        suggestBin: (sku, qty) => suggestPutawayBin(sku, qty, this.views.allStock(), this.options.config.layout.bins, [dock], this.emptyFacesFor([sku])),
      });
      runtime.queue = runtime.queue
        .then(async () => {
          await this.executor.execute(decision.effects);
          runtime.state = decision.state;
        })
        .catch((err: Error) => this.options.logger.error({ component: this.name, station: runtime.config.id, err: err.message }, 'resuming the putaway failed; scan the case again'));
    }
  }

  private addStation(station: StationConfig): void {
    const devices = this.options.config.devices.filter((d) => station.devices.includes(d.id));
    const ofClass = (c: string) => devices.find((d) => d.class === c)?.id;
    const scanner = ofClass('scanner') ?? '-';
    let runtime: Runtime;
    if (station.kind === 'pick' && station.batch) {
      const slots = station.batch.putWall.map((s) => ({ slot: s.slot, light: s.light }));
      runtime = {
        kind: 'batchPick',
        config: station,
        state: initialBatchPickState({ station: station.id, scanner, requireBinScan: station.requireBinScan, requireToteScan: station.batch.requireToteScan, slots }),
        queue: Promise.resolve(),
      };
      for (const bin of this.options.config.layout.bins) if (bin.light && (!station.zone || bin.zone === station.zone)) this.byDevice.set(bin.light.device, runtime);
      // The put wall's lights report their confirm buttons to this station.
      for (const s of slots) this.byDevice.set(s.light.device, runtime);
    } else if (station.kind === 'pick') {
      runtime = { kind: 'pick', config: station, state: initialPickState({ station: station.id, scanner, requireBinScan: station.requireBinScan }), queue: Promise.resolve() };
      // The lights of the station's zone report their buttons to this station.
      for (const bin of this.options.config.layout.bins) if (bin.light && (!station.zone || bin.zone === station.zone)) this.byDevice.set(bin.light.device, runtime);
    } else if (station.kind === 'pack') {
      const printer = ofClass('printer') ?? this.options.config.workflows.printer;
      const scale = ofClass('scale');
      runtime = { kind: 'pack', config: station, state: initialPackState({ station: station.id, scanner, ...(scale ? { scale } : {}), ...(printer ? { printer } : {}), trustPick: station.trustPick }), queue: Promise.resolve() };
    } else if (station.kind === 'dispatch') {
      const sensor = ofClass('sensor');
      runtime = { kind: 'dispatch', config: station, state: initialDispatchState({ station: station.id, scanner, ...(sensor ? { sensor } : {}) }), queue: Promise.resolve() };
    } else {
      runtime = { kind: 'receiving', config: station, state: initialReceivingState({ station: station.id, scanner, dockBin: station.dockBin ?? 'DOCK' }), queue: Promise.resolve() };
    }
    this.stations.set(station.id, runtime);
    for (const d of devices) this.byDevice.set(d.id, runtime);
  }

  private onDeviceEvent(deviceId: string, event: DeviceEvent): void {
    const runtime = this.byDevice.get(deviceId);
    if (!runtime) return;
    const input = this.toInput(deviceId, event);
    if (input.kind === 'scan' || input.kind === 'unreadable') this.options.metrics.floorScans.inc({ station: runtime.config.id });
    this.enqueue(runtime, input);
  }

  private toInput(deviceId: string, event: DeviceEvent): StationInput {
    switch (event.kind) {
      case 'scan': {
        const decoded = (event as { barcode?: BarcodeResult }).barcode;
        if (decoded) return { kind: 'scan', device: deviceId, barcode: decoded };
        try {
          return { kind: 'scan', device: deviceId, barcode: decodeBarcode(event.data, this.barcodeOptions(deviceId)) };
        } catch (err) {
          if (err instanceof BarcodeError) return { kind: 'unreadable', device: deviceId, detail: err.message };
          throw err;
        }
      }
      case 'weight':
        return { kind: 'weight', device: deviceId, grams: event.grams, stable: event.stable };
      case 'button':
        return { kind: 'button', device: deviceId, button: event.button, ...(event.address !== undefined ? { address: event.address } : {}) };
      case 'sensor':
        return { kind: 'sensor', device: deviceId, state: event.state };
    }
  }

  private barcodeOptions(deviceId: string): BarcodeOptions {
    const store = this.options.config.barcodes;
    const device = this.options.config.devices.find((d) => d.id === deviceId)?.barcodes;
    return { ...store, ...device, now: this.now() } as BarcodeOptions;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private enqueue(runtime: Runtime, input: StationWork): void {
    runtime.queue = runtime.queue
      .then(() => this.process(runtime, input))
      .catch((err: Error) => this.options.logger.error({ component: this.name, station: runtime.config.id, err: err.message }, 'a station input failed; the station state is unchanged'));
  }

  private async process(runtime: Runtime, input: StationWork): Promise<void> {
    const decision = this.decide(runtime, input);
    if (!decision) return;
    if (runtime.kind === 'pick') this.rememberPickOrder(runtime.config.id, (decision.state as PickState).order);
    await this.executor.execute(decision.effects);
    // State moves on only once its events are committed: a failed commit leaves the station where it was.
    runtime.state = decision.state as never;
    if (this.isFree(runtime)) this.assignOrders();
  }

  private decide(runtime: Runtime, input: StationWork): Decision<unknown> | undefined {
    const { config } = this.options;
    const catalog = this.views.catalog;
    switch (runtime.kind) {
      case 'pick':
        if (input.kind === 'assign' && !('order' in input)) return undefined;
        return applyPick(runtime.state, input, { catalog, today: storeDate(this.now(), config.store.timezone) });
      case 'batchPick':
        if (input.kind === 'assign' && !('batch' in input)) return undefined;
        return applyBatchPick(runtime.state, input, { catalog, today: storeDate(this.now(), config.store.timezone) });
      case 'pack': {
        if (input.kind === 'assign') return undefined;
        if (input.kind === 'cancel') return cancelPack(runtime.state, input.orderId);
        const ctx: PackContext = {
          catalog,
          settings: {
            packagingGrams: runtime.config.packagingGrams ?? config.workflows.packagingGrams,
            toleranceGrams: runtime.config.weightTolerance?.grams ?? config.workflows.weightTolerance.grams,
            tolerancePercent: runtime.config.weightTolerance?.percent ?? config.workflows.weightTolerance.percent,
          },
          supervisors: config.workflows.supervisorBadges,
          storeName: config.store.name ?? config.store.id,
          ...(this.bagTemplates.get(runtime.config.id) ? { bagLabelTemplate: this.bagTemplates.get(runtime.config.id) } : {}),
          findOrder: (id) => this.views.orderToPack(id),
          nextSscc: () => this.sscc.next(),
        };
        const printerFault = runtime.state.printer ? this.deviceFaults.get(runtime.state.printer) : undefined;
        return applyPack(runtime.state, input, printerFault ? { ...ctx, printerFault } : ctx);
      }
      case 'dispatch':
        if (input.kind === 'assign') return undefined;
        if (input.kind === 'cancel') return cancelDispatch(runtime.state, input.orderId);
        return applyDispatch(runtime.state, input, { findBag: (id) => this.views.bag(id) });
      case 'receiving': {
        if (input.kind === 'assign' || input.kind === 'cancel') return undefined;
        const dock = runtime.state.dockBin;
        return applyReceiving(runtime.state, input, {
          catalog,
          today: storeDate(this.now(), config.store.timezone),
          suggestBin: (sku, qty) => suggestPutawayBin(sku, qty, this.views.allStock(), config.layout.bins, [dock], this.emptyFacesFor([sku])),
          taskAtBin: (bin) => this.taskAtBin(bin),
          countResult: (sku, bin, counted) => countResult(sku, bin, counted, this.views.stockOf([sku])),
          // Receiving against ASNs and putting back cancelled orders' units (asnReceiving.ts, returnPutaway.ts).
          asn: (id) => this.ledger.asn(id),
          openAsnFor: (sku) => this.ledger.openAsnFor(sku),
          supervisors: config.workflows.supervisorBadges,
          openReturns: () => this.ledger.openReturns(),
        });
      }
    }
  }

  private onCommitted(events: LoggedEvent[]): void {
    let released = false;
    const movedSkus = new Set<string>();
    for (const e of events) {
      this.count(e);
      this.trackTask(e);
      if (e.type === 'stock.picked' || e.type === 'stock.moved' || e.type === 'stock.counted' || e.type === 'stock.adjusted') movedSkus.add((e.data as { sku: string }).sku);
      if (e.type === 'order.released') {
        released = true;
        const { orderId } = e.data as { orderId: string };
        // The projection keeps a cancellation final, so this release is not picked; say so, as an
        // admin looking for the order would otherwise find nothing.
        const cancelled = this.views.orderStatus(orderId)?.status === 'cancelled' && this.options.log.query({ orderId, type: 'order.cancelled', limit: 1 })[0];
        if (cancelled && cancelled.seq < e.seq) {
          this.options.logger.info({ component: this.name, orderId, seq: e.seq }, `order ${orderId} was released after the OMS had cancelled it; it stays cancelled and is not picked`);
        }
      }
      if (e.type === 'order.cancelled') this.cancelOrder((e.data as { orderId: string }).orderId);
    }
    if (released) this.assignOrders();
    // Without pick faces in the layout there is nothing to replenish.
    if (movedSkus.size > 0 && this.options.config.layout.bins.some((b) => b.pickFace)) this.createReplenishments([...movedSkus]);
  }

  private trackTask(e: LoggedEvent): void {
    if (e.type === 'task.created') {
      const d = e.data as { taskId: string; kind: string; sku?: string; bin: string };
      this.openTasks.set(d.taskId, { kind: d.kind, bin: d.bin, ...(d.sku ? { sku: d.sku } : {}) });
    } else if (e.type === 'task.completed') this.openTasks.delete((e.data as { taskId: string }).taskId);
  }

  /**
   * Empty pick faces slotted for one of `skus` (face -> SKU): faces whose `pickFace.sku` is one of
   * them, and faces where one of them had stock and nothing is left.
   */
  private emptyFacesFor(skus: readonly string[], rows: readonly StockRow[] = this.views.stockOf([...skus])): Map<string, string> {
    // Candidates: faces slotted for one of them, and faces where they had stock and have none now.
    const emptied = new Set(rows.filter((r) => r.qty === 0).map((r) => r.bin));
    for (const r of rows) if (r.qty !== 0) emptied.delete(r.bin);
    const faces = this.options.config.layout.bins.filter((b) => b.pickFace && ((b.pickFace.sku !== undefined && skus.includes(b.pickFace.sku)) || emptied.has(b.id)));
    const empty = this.views.emptyPickFaces(faces);
    for (const [bin, sku] of empty) if (!skus.includes(sku)) empty.delete(bin);
    return empty;
  }

  /** Pick faces of the SKUs that moved, below their minimum, get a replenishment task; the first reserve source lights up. */
  private createReplenishments(skus: string[]): void {
    const open = new Set([...this.openTasks.values()].filter((t) => t.kind === 'replenish').map((t) => t.bin));
    const rows = this.views.stockOf(skus);
    const needs = replenishmentNeeds(rows.filter((s) => s.qty !== 0), this.options.config.layout.bins, open, this.emptyFacesFor(skus, rows));
    if (needs.length === 0) return;
    const bins = new Map(this.options.config.layout.bins.map((b) => [b.id, b]));
    const effects = needs.flatMap((n): Effect[] => {
      const taskId = `replenish-${n.toBin}-${n.sku}-${Date.now()}`;
      // Reserve it now: the next commit must not create the same task before this one lands.
      this.openTasks.set(taskId, { kind: 'replenish', sku: n.sku, bin: n.toBin });
      const light = bins.get(n.sources[0]!.bin)?.light;
      return [
        { type: 'append', event: { type: 'task.created', id: taskId, data: { taskId, kind: 'replenish', sku: n.sku, bin: n.toBin, reason: 'pick face below its minimum' }, source: { taskId } } },
        ...(light ? [{ type: 'command' as const, device: light.device, command: { kind: 'light' as const, address: light.address, color: 'blue' as const, text: String(Math.min(n.qty, n.sources[0]!.qty)) } }] : []),
      ];
    });
    this.executor.execute(effects).catch((err: Error) => this.options.logger.error({ component: this.name, err: err.message }, 'creating replenishment tasks failed'));
  }

  private taskAtBin(bin: string): TaskAtBin | undefined {
    const name = (sku: string) => this.views.catalog.item(sku)?.name ?? sku;
    for (const [taskId, t] of this.openTasks) {
      if (t.kind === 'count' && t.bin === bin && t.sku) return { kind: 'count', taskId, sku: t.sku, name: name(t.sku), bin };
      if (t.kind !== 'replenish' || !t.sku) continue;
      const need = this.options.config.layout.bins.find((b) => b.id === t.bin)?.pickFace;
      const stock = this.views.stockOf([t.sku]);
      const lot = stock.filter((s) => s.bin === bin && s.qty > 0).sort((a, b) => ((a.expiry ?? '9999') < (b.expiry ?? '9999') ? -1 : 1))[0];
      if (!lot || !need || bin === t.bin) continue;
      const held = stock.filter((s) => s.bin === t.bin).reduce((n, s) => n + s.qty, 0);
      const qty = Math.min(lot.qty, Math.max(1, need.max - held));
      return { kind: 'replenish', taskId, sku: t.sku, name: name(t.sku), fromBin: bin, lot: lot.lot, qty, toBin: t.bin };
    }
    return undefined;
  }

  /**
   * Orders that belong to a single-order pick station: the one it remembers working on, or one
   * with units already picked there (after a restart), if that station still exists.
   */
  private ordersStartedAt(waiting: readonly ReleasedOrder[]): Map<string, string> {
    const pickStations = new Set([...this.stations.values()].filter((s) => s.kind === 'pick').map((s) => s.config.id));
    const startedAt = new Map<string, string>();
    for (const id of pickStations) {
      const remembered = this.rememberedPickOrder(id);
      if (remembered) startedAt.set(remembered.orderId, id);
    }
    for (const o of waiting) {
      if (startedAt.has(o.orderId) || !o.lines.some((l) => (l.picked ?? 0) + (l.short ?? 0) > 0)) continue;
      const at = this.views.pickingStation(o.orderId);
      if (at && pickStations.has(at)) startedAt.set(o.orderId, at);
    }
    return startedAt;
  }

  /**
   * Which order (and tote) each pick station is working, kept in the log's key-value table before
   * the picker hears of it: after a crash the station gets the same order and tote back, even
   * when no unit was picked yet, and a scan that reaches the restarted gateway late counts for
   * the order the picker was working on.
   */
  private rememberPickOrder(stationId: string, order: PickState['order']): void {
    const value = order ? JSON.stringify({ orderId: order.orderId, ...(order.tote ? { tote: order.tote } : {}) }) : '';
    // Every scan passes here: what this station last stored is known, so only a change costs a write.
    if (this.storedPickOrder(stationId) === value) return;
    this.options.log.setKv(`station.${stationId}.pickOrder`, value);
    this.storedPickOrders.set(stationId, value);
  }

  private rememberedPickOrder(stationId: string): { orderId: string; tote?: string } | undefined {
    const value = this.storedPickOrder(stationId);
    return value ? (JSON.parse(value) as { orderId: string; tote?: string }) : undefined;
  }

  /** The kv value of a station's pick order; read from the log once, then kept as this class writes it. */
  private storedPickOrder(stationId: string): string {
    let value = this.storedPickOrders.get(stationId);
    if (value === undefined) {
      value = this.options.log.getKv(`station.${stationId}.pickOrder`) ?? '';
      this.storedPickOrders.set(stationId, value);
    }
    return value;
  }


  /** A pick station with no order or batch and no assignment on its way. */
  private isFree(s: Runtime): s is Extract<Runtime, { kind: 'pick' | 'batchPick' }> {
    if (this.pendingAssign.has(s)) return false;
    return (s.kind === 'pick' && !s.state.order) || (s.kind === 'batchPick' && !s.state.batch);
  }

  /** Gives each free pick station the next order (priority, then due time), a batch station its next batch. */
  private assignOrders(): void {
    const free = [...this.stations.values()].filter((s) => this.isFree(s));
    if (free.length === 0) return;
    const toPick = this.views.ordersToPick();
    const planLines = (order: ReleasedOrder) => planPickLines(order, this.views.stockOf(order.lines.map((l) => l.sku)), this.options.config.layout.bins, this.views.catalog);
    // A batch interrupted by a restart goes back to its station first, in the same slots.
    for (const station of free) {
      if (station.kind !== 'batchPick' || this.resumeChecked.has(station)) continue;
      this.resumeChecked.add(station);
      const slots = station.state.slots.map((s) => s.slot);
      // The station's last batch, the totes scanned since, and its latest pick and put since: a
      // bounded read however long the log (only the last pick can be waiting for its put).
      const { log } = this.options;
      const started = log.query({ type: 'batch.started', descending: true, limit: 10_000 }).find((e) => (e.data as { station: string }).station === station.config.id);
      const latest = (type: string) => (started ? log.query({ type, afterSeq: started.seq, station: station.config.id, descending: true, limit: 1 }) : []);
      const totes = started ? log.query({ type: 'batch.toteAssigned', afterSeq: started.seq, limit: 100_000 }) : [];
      const events = started ? [started, ...totes, ...latest('batch.put'), ...latest('stock.picked')].sort((a, b) => a.seq - b.seq) : [];
      const plan = resumeBatch({
        station: station.config.id,
        events,
        toPick: toPick.filter((o) => !this.assigned.has(o.orderId)),
        slots,
        planLines,
        orderStatus: (orderId) => this.views.orderStatus(orderId)?.status,
        releasedOrder: (orderId) => this.views.releasedOrder(orderId),
        itemName: (sku) => this.views.catalog.item(sku)?.name ?? sku,
      });
      if (plan) this.hand(station, { kind: 'assign', batch: plan }, plan.orders.map((o) => o.orderId));
    }
    const waiting = toPick.filter((o) => !this.assigned.has(o.orderId) && o.lines.some((l) => l.qty - (l.picked ?? 0) - (l.short ?? 0) > 0)).sort(compareOrders);
    const startedAt = this.ordersStartedAt(waiting);
    for (const station of free) {
      if (waiting.length === 0) break;
      if (!this.isFree(station)) continue;
      if (station.kind === 'pick') {
        const order = takeOrderFor(station.config.id, waiting, startedAt);
        if (!order) continue;
        const remembered = this.rememberedPickOrder(station.config.id);
        const tote = remembered?.orderId === order.orderId ? remembered.tote : undefined;
        this.hand(station, { kind: 'assign', order: { orderId: order.orderId, lines: planLines(order), ...(tote ? { tote } : {}) } }, [order.orderId]);
        continue;
      }
      const batchConfig = station.config.batch!;
      // Orders half picked at a single-order station stay there (their tote is there).
      const open = waiting.filter((o) => !startedAt.has(o.orderId));
      const grouping = { groupBy: batchConfig.groupBy, lookAhead: batchConfig.lookAhead ?? 3 * batchConfig.maxOrders };
      const plan = planBatch({ batchId: `B-${station.config.id}-${Date.now().toString(36)}`, waiting: open, maxOrders: batchConfig.maxOrders, slots: station.state.slots.map((s) => s.slot), planLines, grouping });
      if (!plan) continue;
      const ids = new Set(plan.orders.map((o) => o.orderId));
      waiting.splice(0, waiting.length, ...waiting.filter((o) => !ids.has(o.orderId)));
      this.hand(station, { kind: 'assign', batch: plan }, [...ids]);
    }
  }

  /** Queues an assignment; its orders are taken at once so no other station gets them. */
  private hand(station: Runtime, work: StationWork, orderIds: string[]): void {
    for (const id of orderIds) this.assigned.add(id);
    this.pendingAssign.add(station);
    this.enqueue(station, work);
    station.queue = station.queue.finally(() => this.pendingAssign.delete(station));
  }

  /** Accuracy metrics, read from what was committed so they agree with the log. */
  private count(e: LoggedEvent): void {
    const station = e.source.station;
    if (!station) return;
    const m = this.options.metrics;
    switch (e.type) {
      case 'stock.picked':
        m.floorVerdicts.inc({ station, result: 'ok' });
        break;
      case 'verification.failed': {
        const reason = (e.data as { reason: string }).reason;
        m.floorVerdicts.inc({ station, result: 'failed' });
        m.floorFailures.inc({ station, reason });
        if (reason === 'pack.weightOutOfTolerance') m.floorOutOfTolerance.inc({ station });
        break;
      }
      case 'stock.short':
        m.floorShortPicks.inc({ station }, (e.data as { qty: number }).qty);
        break;
      case 'verification.overridden':
        m.floorOverrides.inc({ station });
        break;
      case 'order.packed':
      case 'order.dispatched':
        m.floorVerdicts.inc({ station, result: 'ok' });
        break;
      default:
        break;
    }
  }
}
