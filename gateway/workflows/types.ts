/**
 * What every workflow shares: the inputs a station receives, the effects a workflow asks the
 * core to carry out, and the read-only views of the local replica it decides against.
 * Workflows are `(state, input, context) -> { state, effects }` with no I/O of their own.
 */
import type { BarcodeResult } from '../../devices/barcode/index.ts';
import type { DeviceCommandPayload } from '../../devices/contract/deviceContract.ts';
import type { AppendInput } from '../log/eventLog.ts';
import type { Message } from '../messages/messages.ts';

/** A device event addressed to a station, decoded where it is a scan. */
export type StationInput =
  | { kind: 'scan'; device: string; barcode: BarcodeResult }
  | { kind: 'unreadable'; device: string; detail: string }
  | { kind: 'button'; device: string; button: 'confirm' | 'short' | 'plus' | 'minus'; address?: number | string }
  | { kind: 'weight'; device: string; grams: number; stable: boolean }
  | { kind: 'sensor'; device: string; state: 'blocked' | 'clear' };

/** What a workflow asks the core to do; the core appends first, then talks to devices. */
export type Effect =
  | { type: 'append'; event: AppendInput }
  | { type: 'command'; device: string; command: DeviceCommandPayload }
  | { type: 'feedback'; device: string; result: 'ok' | 'error'; message: Message }
  | { type: 'screen'; screen: StationScreen };

/** What a station screen shows now, published retained on dsgw/v1/stations/{id}/state. */
export interface StationScreen {
  station: string;
  kind: 'pick' | 'pack' | 'receiving' | 'dispatch';
  /** idle, picking, scanning, weighing, failed, putaway, ready, ... */
  phase: string;
  orderId?: string;
  /** The ASN a receiving station is receiving against. */
  asn?: string;
  message: Message;
  /**
   * News the person at the station must not miss though the screen moved on (an order cancelled
   * under the picker's hands, replaced at once by the next order): shown until their next scan.
   */
  notice?: Message;
  /** Lines still to do, in walking order, for pick and pack screens; an ASN's lines (qty expected, done received) at receiving. */
  lines?: Array<{ line?: number; sku: string; name: string; bin?: string; qty: number; done: number; short?: number }>;
  weight?: { grams?: number; expected: number; tolerance: number };
  /** Batch pick stations: the batch being picked. */
  batchId?: string;
  /** Batch pick stations: each put wall slot with its order, tote and lines; `put` is the quantity to put in it now. */
  slots?: Array<{
    slot: number;
    orderId?: string;
    tote?: string;
    status: 'empty' | 'open' | 'picked' | 'cancelled';
    put?: number;
    lines: Array<{ line: number; sku: string; name: string; bin?: string; qty: number; done: number; short: number }>;
  }>;
}

export interface CatalogItem {
  sku: string;
  name: string;
  unitGrams?: number;
  toleranceGrams?: number;
  variableMeasure: boolean;
  minShelfLifeDays: number;
}

/** The catalog as workflows read it (backed by the projections; a Map in tests). */
export interface CatalogView {
  item(sku: string): CatalogItem | undefined;
  skuOfGtin(gtin14: string): string | undefined;
}

export interface Decision<S> {
  state: S;
  effects: Effect[];
}
