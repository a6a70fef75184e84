/**
 * The receiving dock as a state machine (blind receiving: every case scanned is booked).
 * A GS1-128 case scan gives GTIN, lot, expiry and count (AI 30/37); an expired lot or one with
 * less than the SKU's minimum shelf life is refused. Otherwise `stock.received` books it into
 * the dock bin and a putaway bin is suggested and lit; scanning that bin records
 * `stock.putaway`, a wrong bin is refused.
 *
 * @example
 *   let s = initialReceivingState({ station: 'recv-1', scanner: 'scanner-4', dockBin: 'DOCK' });
 *   ({ state: s, effects } = applyReceiving(s, { kind: 'scan', device: 'scanner-4', barcode: caseScan }, ctx));
 *   ({ state: s, effects } = applyReceiving(s, { kind: 'scan', device: 'scanner-4', barcode: decodeBarcode('BIN-A-01') }, ctx));
 */
import { msg, type Message } from '../messages/messages.ts';
import type { PutawaySuggestion } from './putawayPlanner.ts';
import { scannedItem } from './scannedItem.ts';
import { checkShelfLife } from './shelfLife.ts';
import type { CatalogView, Decision, Effect, StationInput } from './types.ts';

export interface PendingPutaway {
  sku: string;
  name: string;
  lot?: string;
  expiry?: string;
  qty: number;
  toBin: string;
  light?: { device: string; address: number | string };
}

export interface ReceivingState {
  station: string;
  scanner: string;
  dockBin: string;
  putaway?: PendingPutaway;
}

export interface ReceivingContext {
  catalog: CatalogView;
  today: string;
  suggestBin(sku: string, qty: number): PutawaySuggestion | undefined;
}

export function initialReceivingState(init: ReceivingState): ReceivingState {
  return { ...init };
}

export function applyReceiving(state: ReceivingState, input: StationInput, ctx: ReceivingContext): Decision<ReceivingState> {
  if (input.kind === 'unreadable') return refuse(state, msg('scan.unreadable', { detail: input.detail }));
  if (input.kind !== 'scan') return { state, effects: [] };
  const label = input.barcode.storeLabel;
  if (label?.kind === 'bin') {
    if (!state.putaway) return refuse(state, msg('scan.notExpected', { what: 'bin', hint: 'scan a case first' }));
    return putaway(state, state.putaway, label.id);
  }
  if (state.putaway) return refuse(state, msg('receive.binFirst', { bin: state.putaway.toBin }));
  const item = scannedItem(input.barcode);
  if (!item) return refuse(state, msg('receive.scanCase'));
  const sku = ctx.catalog.skuOfGtin(item.gtin);
  const entry = sku === undefined ? undefined : ctx.catalog.item(sku);
  if (!sku || !entry) return refuse(state, msg('receive.unknownItem', { gtin: item.gtin }));
  const shelfLife = checkShelfLife({ expiry: item.expiry, minDays: entry.minShelfLifeDays, today: ctx.today });
  if (!shelfLife.ok) {
    return refuse(
      state,
      shelfLife.reason === 'expired'
        ? msg('receive.expired', { lot: item.lot, expiry: item.expiry, sku })
        : msg('receive.shortShelfLife', { lot: item.lot, expiry: item.expiry, daysLeft: shelfLife.daysLeft, minDays: entry.minShelfLifeDays, sku }),
    );
  }
  const received: Effect = {
    type: 'append',
    event: {
      type: 'stock.received',
      data: { sku, bin: state.dockBin, ...(item.lot ? { lot: item.lot } : {}), ...(item.expiry ? { expiry: item.expiry } : {}), qty: item.count },
      source: source(state),
    },
  };
  const suggestion = ctx.suggestBin(sku, item.count);
  if (!suggestion) {
    const m = msg('receive.noBin', { qty: item.count, name: entry.name, dock: state.dockBin });
    return { state, effects: [received, feedback(state, 'ok', m), screen(state, m)] };
  }
  const pending: PendingPutaway = {
    sku,
    name: entry.name,
    ...(item.lot ? { lot: item.lot } : {}),
    ...(item.expiry ? { expiry: item.expiry } : {}),
    qty: item.count,
    toBin: suggestion.bin,
    ...(suggestion.light ? { light: suggestion.light } : {}),
  };
  const next = { ...state, putaway: pending };
  const m = msg('receive.received', { qty: item.count, name: entry.name, lot: item.lot, bin: suggestion.bin });
  const effects: Effect[] = [received];
  if (suggestion.light) effects.push({ type: 'command', device: suggestion.light.device, command: { kind: 'light', address: suggestion.light.address, color: 'blue', blink: true, text: String(item.count) } });
  effects.push(feedback(state, 'ok', m), screen(next, m));
  return { state: next, effects };
}

function putaway(state: ReceivingState, p: PendingPutaway, bin: string): Decision<ReceivingState> {
  if (bin !== p.toBin) return refuse(state, msg('receive.wrongBin', { scanned: bin, expected: p.toBin, name: p.name, sku: p.sku }));
  const next: ReceivingState = { station: state.station, scanner: state.scanner, dockBin: state.dockBin };
  const m = msg('receive.putaway', { qty: p.qty, name: p.name, bin });
  const effects: Effect[] = [
    {
      type: 'append',
      event: {
        type: 'stock.putaway',
        data: { sku: p.sku, fromBin: state.dockBin, toBin: bin, ...(p.lot ? { lot: p.lot } : {}), ...(p.expiry ? { expiry: p.expiry } : {}), qty: p.qty },
        source: source(state),
      },
    },
  ];
  if (p.light) effects.push({ type: 'command', device: p.light.device, command: { kind: 'light', address: p.light.address, color: 'off' } });
  effects.push(feedback(state, 'ok', m), screen(next, m));
  return { state: next, effects };
}

function refuse(state: ReceivingState, failure: Message): Decision<ReceivingState> {
  return {
    state,
    effects: [
      { type: 'append', event: { type: 'verification.failed', data: { station: state.station, reason: failure.key, params: failure.params }, source: source(state) } },
      feedback(state, 'error', failure),
    ],
  };
}

const screen = (state: ReceivingState, message: Message): Effect => ({
  type: 'screen',
  screen: { station: state.station, kind: 'receiving', phase: state.putaway ? 'putaway' : 'idle', message },
});
const feedback = (state: ReceivingState, result: 'ok' | 'error', message: Message): Effect => ({ type: 'feedback', device: state.scanner, result, message });
const source = (state: ReceivingState) => ({ station: state.station, device: state.scanner });
