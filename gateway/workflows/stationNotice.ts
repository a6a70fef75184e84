/**
 * A notice on a pick station's screen: news the picker must not miss though the screen moved on
 * (an order cancelled under their hands, and the next order or batch took the screen at once).
 * It stays above the task until the picker's next scan or button press on that task; a scan at
 * an idle station does not count, as it was in flight when the cancellation came (the next task
 * is assigned only after the cancellation's effects are out).
 *
 * @example
 *   return applySeeingNotice(state, input, ctx, state.order !== undefined, decide, (s) => screen(s, nextOf(s)));
 */
import type { Message } from '../messages/messages.ts';
import type { Decision, Effect } from './types.ts';

export function applySeeingNotice<S extends { notice?: Message }, I extends { kind: string }, C>(
  state: S,
  input: I,
  ctx: C,
  onTask: boolean,
  decide: (state: S, input: I, ctx: C) => Decision<S>,
  redraw: (state: S) => Effect,
): Decision<S> {
  if (!state.notice || !onTask || (input.kind !== 'scan' && input.kind !== 'button' && input.kind !== 'unreadable')) return decide(state, input, ctx);
  const { notice: _seen, ...rest } = state;
  const decision = decide(rest as S, input, ctx);
  // A tote or bin scan answers on the scanner only: the screen still loses the notice now.
  if (!decision.effects.some((e) => e.type === 'screen')) decision.effects.push(redraw(decision.state));
  return decision;
}
