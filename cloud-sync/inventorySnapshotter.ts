/**
 * Snapshots: the stock per (sku, bin, lot) with the log seq it reflects, sent to the OMS, whose
 * reply lists the drift. The reply is kept (state key sync.snapshot.last) for the admin and logged
 * when there is drift. An OMS that has not yet received the events up to asOfSeq answers 409
 * `behind`; the snapshot is then retried after the push has caught up.
 *
 * @example
 *   const result = await snapshotter.takeSnapshot('admin');
 *   console.log(result.drift.length, 'rows drift');
 */
import type { DriftRow } from './omsApi.ts';
import type { OmsTransport } from './omsTransport.ts';
import { syncKeys, type StockSnapshotSource, type SyncLogger, type SyncStateStore } from './syncPorts.ts';

export interface SnapshotRecord {
  trigger: string;
  takenAt: string;
  asOfSeq: number;
  rows: number;
  drift: DriftRow[];
}

export class InventorySnapshotter {
  constructor(
    private readonly options: { source: StockSnapshotSource; transport: OmsTransport; state: SyncStateStore; logger: SyncLogger },
  ) {}

  get last(): SnapshotRecord | undefined {
    const raw = this.options.state.get(syncKeys.lastSnapshot);
    return raw ? (JSON.parse(raw) as SnapshotRecord) : undefined;
  }

  /** Takes and sends one snapshot; rejects with OmsRequestError (status 409 when the OMS is behind). */
  async takeSnapshot(trigger: string): Promise<SnapshotRecord> {
    const { source, transport, state, logger } = this.options;
    const { asOfSeq, stock } = source.snapshot();
    const takenAt = new Date().toISOString();
    const reply = await transport.putInventory({ asOfSeq, takenAt, stock });
    const record: SnapshotRecord = { trigger, takenAt, asOfSeq, rows: stock.length, drift: reply.drift };
    state.set(syncKeys.lastSnapshot, JSON.stringify(record));
    if (reply.drift.length > 0) {
      logger.warn({ component: 'cloud-sync', asOfSeq, driftRows: reply.drift.length, sample: reply.drift.slice(0, 5) }, 'the OMS reports stock drift');
    } else logger.info({ component: 'cloud-sync', asOfSeq, rows: stock.length }, 'inventory snapshot matches the OMS');
    return record;
  }
}
