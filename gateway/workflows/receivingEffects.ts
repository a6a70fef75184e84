/**
 * The effects every receiving-station decision is made of (refusal, scanner feedback, station
 * screen, event source), shared by the receiving workflow and the ASN and return-putaway rules it
 * hands scans to.
 */
import { msg, type Message } from '../messages/messages.ts';
import type { ReceivingState } from './receivingWorkflow.ts';
import type { Decision, Effect, StationScreen } from './types.ts';

export function refuse(state: ReceivingState, failure: Message): Decision<ReceivingState> {
  return {
    state,
    effects: [
      { type: 'append', event: { type: 'verification.failed', data: { station: state.station, reason: failure.key, params: failure.params }, source: source(state) } },
      feedback(state, 'error', failure),
    ],
  };
}

/** What the receiving station shows: the phase, and the ASN's lines while one is being received. */
export function screen(state: ReceivingState, message: Message, asnLines?: StationScreen['lines']): Effect {
  const phase = state.putaway ? 'putaway' : state.task ? state.task.kind : state.returns ? 'returns' : state.asn ? 'asn' : 'idle';
  return {
    type: 'screen',
    screen: { station: state.station, kind: 'receiving', phase, message, ...(state.asn ? { asn: state.asn } : {}), ...(asnLines ? { lines: asnLines } : {}) },
  };
}

export const feedback = (state: ReceivingState, result: 'ok' | 'error', message: Message): Effect => ({ type: 'feedback', device: state.scanner, result, message });
export const source = (state: ReceivingState) => ({ station: state.station, device: state.scanner });

/** The station with nothing in hand: no putaway, task, return or pending over-receipt (an ASN stays). */
export function idle(state: ReceivingState, keepAsn = true): ReceivingState {
  return { station: state.station, scanner: state.scanner, dockBin: state.dockBin, ...(keepAsn && state.asn ? { asn: state.asn } : {}) };
}

export const notExpected = (what: string, hint: string) => msg('scan.notExpected', { what, hint });
