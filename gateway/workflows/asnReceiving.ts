/**
 * Receiving against an ASN (advance shipping notice from the OMS, `asn.received`). The receiver
 * scans the ASN's label (`ASN-{id}`, or the ASN id as a plain Code 128) or just the first case:
 * a case whose SKU is on an open ASN picks that ASN. Every case is then checked against the
 * ASN's lines: a SKU not on it is refused unless a supervisor badge accepts it as an
 * over-receipt (audited as `verification.overridden`); units beyond the expected are received
 * and flagged. CMD-CONFIRM closes the ASN (`asn.closed` with expected vs received per SKU and
 * the discrepancies, which sync pushes to the OMS); CMD-CANCEL leaves it open and goes back to
 * blind receiving.
 *
 * @example
 *   asnClosedData(progress) // { asn: 'A-1', lines: [{ sku: 'MILK', expected: 24, received: 18, delta: -6 }], discrepancies: [{ ..., kind: 'short' }] }
 */
import type { EventData } from '../log/eventCatalogue.ts';
import { msg } from '../messages/messages.ts';
import type { ReceivingContext, ReceivingState } from './receivingWorkflow.ts';
import { feedback, idle, refuse, screen, source } from './receivingEffects.ts';
import type { Decision, Effect, StationScreen } from './types.ts';

/** An ASN as the log tells it: its lines per SKU with the units received against it so far. */
export interface AsnProgress {
  asn: string;
  supplier?: string;
  expectedAt?: string;
  status: 'open' | 'closed';
  /** The ASN's SKUs in its order, then SKUs received against it that it does not list (expected 0). */
  lines: Array<{ sku: string; expected: number; received: number }>;
}

export type CaseAgainstAsn = { onAsn: true; expected: number; received: number } | { onAsn: false };

/** Where a case of `qty` units of `sku` stands on the ASN once received. */
export function caseAgainstAsn(progress: AsnProgress, sku: string, qty: number): CaseAgainstAsn {
  const line = progress.lines.find((l) => l.sku === sku && l.expected > 0);
  return line ? { onAsn: true, expected: line.expected, received: line.received + qty } : { onAsn: false };
}

/** The `asn.closed` record: every line, and those whose received differs from the expected. */
export function asnClosedData(progress: AsnProgress): EventData<'asn.closed'> {
  const lines = progress.lines.map((l) => ({ sku: l.sku, expected: l.expected, received: l.received, delta: l.received - l.expected }));
  const discrepancies = lines
    .filter((l) => l.delta !== 0)
    .map((l) => ({ ...l, kind: l.expected === 0 ? ('notOnAsn' as const) : l.delta < 0 ? ('short' as const) : ('over' as const) }));
  return { asn: progress.asn, lines, discrepancies };
}

/** The ASN's lines for the station screen, with a case just received added to its SKU. */
export function asnScreenLines(progress: AsnProgress, ctx: Pick<ReceivingContext, 'catalog'>, add?: { sku: string; qty: number }): NonNullable<StationScreen['lines']> {
  const lines = progress.lines.map((l) => ({ ...l }));
  if (add) {
    const line = lines.find((l) => l.sku === add.sku);
    if (line) line.received += add.qty;
    else lines.push({ sku: add.sku, expected: 0, received: add.qty });
  }
  return lines.map((l) => ({ sku: l.sku, name: ctx.catalog.item(l.sku)?.name ?? l.sku, qty: l.expected, done: l.received }));
}

const totals = (p: AsnProgress) => ({
  expected: p.lines.reduce((n, l) => n + l.expected, 0),
  received: p.lines.reduce((n, l) => n + l.received, 0),
});

/** A scanned ASN label: receive against it from now on. */
export function startAsn(state: ReceivingState, asnId: string, ctx: ReceivingContext): Decision<ReceivingState> {
  const progress = ctx.asn?.(asnId);
  if (!progress || progress.status !== 'open') return refuse(state, msg('asn.unknown', { asn: asnId }));
  const next: ReceivingState = { ...idle(state), asn: progress.asn };
  const m = msg('asn.start', { asn: progress.asn, supplier: progress.supplier, lines: progress.lines.filter((l) => l.expected > 0).length, ...totals(progress) });
  return { state: next, effects: [feedback(state, 'ok', m), screen(next, m, asnScreenLines(progress, ctx))] };
}

/** CMD-CANCEL: the ASN stays open (more cases may come later), the station receives blind. */
export function leaveAsn(state: ReceivingState, asnId: string, ctx: ReceivingContext): Decision<ReceivingState> {
  const progress = ctx.asn?.(asnId);
  const next = idle(state, false);
  const m = msg('asn.left', { asn: asnId, ...(progress ? totals(progress) : { received: 0, expected: 0 }) });
  return { state: next, effects: [feedback(state, 'ok', m), screen(next, m)] };
}

/** CMD-CONFIRM: close the ASN with what was received; the discrepancies go to the OMS. */
export function closeAsn(state: ReceivingState, asnId: string, ctx: ReceivingContext): Decision<ReceivingState> {
  const progress = ctx.asn?.(asnId);
  if (!progress || progress.status !== 'open') return refuse(idle(state, false), msg('asn.unknown', { asn: asnId }));
  const data = asnClosedData(progress);
  const next = idle(state, false);
  const short = data.discrepancies.filter((d) => d.kind === 'short').length;
  const m = msg('asn.closed', { asn: asnId, short, over: data.discrepancies.length - short });
  const closed: Effect = { type: 'append', event: { type: 'asn.closed', data, source: source(state) } };
  return { state: next, effects: [closed, feedback(state, 'ok', m), screen(next, m, asnScreenLines(progress, ctx))] };
}
