import { describe, expect, it } from 'vitest';
import { asnClosedData, type AsnProgress } from '../../gateway/workflows/asnReceiving.ts';
import { applyReceiving, initialReceivingState, type ReceivingContext, type ReceivingState } from '../../gateway/workflows/receivingWorkflow.ts';
import type { Effect, StationInput, StationScreen } from '../../gateway/workflows/types.ts';
import { decodeBarcode } from '../../devices/barcode/index.ts';
import { catalog, events, gtin, itemScan, label, runWorkflow, said, today } from './fixtures.ts';

/** An ASN A-1 for 12 milk and 6 yoghurt, of which `received` have arrived; the ledger is this array. */
function ctxWith(asns: AsnProgress[]): ReceivingContext {
  return {
    catalog,
    today,
    suggestBin: (sku) => ({ bin: sku === 'MILK' ? 'A-01' : 'R-01' }),
    asn: (id) => asns.find((a) => a.asn === id),
    openAsnFor: (sku) => asns.find((a) => a.status === 'open' && a.lines.some((l) => l.sku === sku && l.expected > 0)),
    supervisors: ['SUP-1'],
  };
}
const asnA1 = (received: { MILK?: number; YOG?: number; OAT?: number } = {}, status: 'open' | 'closed' = 'open'): AsnProgress => ({
  asn: 'A-1',
  supplier: 'Central DC',
  status,
  lines: [
    { sku: 'MILK', expected: 12, received: received.MILK ?? 0 },
    { sku: 'YOG', expected: 6, received: received.YOG ?? 0 },
    ...(received.OAT ? [{ sku: 'OAT', expected: 0, received: received.OAT }] : []),
  ],
});

const scan = (barcode: ReturnType<typeof label>): StationInput => ({ kind: 'scan', device: 'scanner-4', barcode });
const milkCase = scan(itemScan(gtin.milk6, { expiry: '2026-12-20', lot: 'L5', count: 6 }));
const oatCase = scan(itemScan(gtin.oat, { count: 6 }));
const start = (): ReceivingState => initialReceivingState({ station: 'recv-1', scanner: 'scanner-4', dockBin: 'DOCK' });
const run = (inputs: StationInput[], asns: AsnProgress[] = [asnA1()], state = start()) => runWorkflow(applyReceiving, state, ctxWith(asns), inputs);
const screenOf = (effects: Effect[]) => effects.find((e): e is Extract<Effect, { type: 'screen' }> => e.type === 'screen')?.screen as StationScreen;

describe('receiving against an ASN', () => {
  it.each<[string, StationInput]>([
    ['its store label', scan(label('ASN-A-1'))],
    ['its id as plain Code 128 from the delivery note', scan(decodeBarcode(']C0A-1'))],
  ])('scanning %s starts it and shows its lines, received of expected', (_name, input) => {
    const { state, effects } = run([input], [asnA1({ MILK: 6 })]);
    expect(state.asn).toBe('A-1');
    expect(said(effects[0]!)).toEqual(['ok: ASN A-1 from Central DC: 2 lines, 6 of 18 units received; scan the cases, CMD-CONFIRM closes it']);
    expect(screenOf(effects[0]!)).toMatchObject({ phase: 'asn', asn: 'A-1', lines: [{ sku: 'MILK', name: 'Whole Milk 1L', qty: 12, done: 6 }, { sku: 'YOG', qty: 6, done: 0 }] });
  });

  it('the first case of a SKU on an open ASN picks that ASN; stock.received carries it with the lot and expiry of the case', () => {
    const { state, effects } = run([milkCase]);
    expect(state.asn).toBe('A-1');
    expect(events(effects[0]!)).toEqual([{ type: 'stock.received', data: { sku: 'MILK', bin: 'DOCK', lot: 'L5', expiry: '2026-12-20', qty: 6, asn: 'A-1' }, source: { station: 'recv-1', device: 'scanner-4' } }]);
    expect(said(effects[0]!)).toEqual(['ok: received 6 x Whole Milk 1L lot L5 (ASN A-1: 6 of 12): put away to bin A-01']);
    expect(screenOf(effects[0]!).lines![0]).toMatchObject({ sku: 'MILK', qty: 12, done: 6 });
  });

  it('units beyond the expected are received and flagged', () => {
    const { effects } = run([milkCase], [asnA1({ MILK: 12 })]);
    expect(events(effects[0]!)[0]).toMatchObject({ type: 'stock.received', data: { qty: 6, asn: 'A-1' } });
    expect(said(effects[0]!)).toEqual(['ok: received 6 x Whole Milk 1L lot L5 (ASN A-1: 18 of 12, 6 over: flagged): put away to bin A-01']);
  });

  it('blind receiving goes on when no open ASN lists the item', () => {
    const { state, effects } = run([oatCase]);
    expect(state.asn).toBeUndefined();
    expect(events(effects[0]!)).toEqual([{ type: 'stock.received', data: { sku: 'OAT', bin: 'DOCK', qty: 6 }, source: expect.anything() }]);
    expect(said(effects[0]!)).toEqual(['ok: received 6 x Oat Milk 1L: put away to bin R-01']);
  });

  it.each<[string, StationInput[], AsnProgress[], string, string]>([
    ['an item not on the ASN', [scan(label('ASN-A-1')), oatCase], [asnA1()], 'asn.notOnAsn', 'error: Oat Milk 1L is not on ASN A-1: set the case aside, or a supervisor scans a badge to receive it as an over-receipt'],
    ['an ASN the OMS never sent', [scan(label('ASN-A-9'))], [asnA1()], 'asn.unknown', 'error: no open ASN A-9: it is closed or the OMS has not sent it; check the delivery note, or receive blind'],
    ['a closed ASN', [scan(label('ASN-A-1'))], [asnA1({}, 'closed')], 'asn.unknown', 'error: no open ASN A-1: it is closed or the OMS has not sent it; check the delivery note, or receive blind'],
    ['a badge that is not a supervisor\'s', [scan(label('ASN-A-1')), oatCase, scan(label('EMP-42'))], [asnA1()], 'asn.notSupervisor', 'error: badge 42 may not accept a case that is not on the ASN; ask a supervisor'],
    ['a badge with no case waiting', [scan(label('ASN-A-1')), scan(label('EMP-SUP-1'))], [asnA1()], 'scan.notExpected', 'error: badge not expected here: a badge accepts a case that is not on the ASN only'],
    ['a second case before the putaway', [milkCase, milkCase], [asnA1()], 'receive.binFirst', 'error: finish the putaway first: scan bin A-01'],
    ['closing before the putaway', [milkCase, scan(label('CMD-CONFIRM'))], [asnA1()], 'receive.binFirst', 'error: finish the putaway first: scan bin A-01'],
  ])('refuses %s', (_name, inputs, asns, reason, message) => {
    const { effects } = run(inputs, asns);
    const last = effects.at(-1)!;
    expect(events(last)).toEqual([{ type: 'verification.failed', data: expect.objectContaining({ station: 'recv-1', reason }), source: expect.anything() }]);
    expect(said(last)).toEqual([message]);
  });

  it('a refused case stays out of stock; a supervisor badge then accepts it as an over-receipt, audited', () => {
    const { state, effects } = run([scan(label('ASN-A-1')), oatCase, scan(label('EMP-SUP-1'))]);
    expect(events(effects[1]!).map((e) => e.type)).toEqual(['verification.failed']);
    expect(events(effects[2]!)).toEqual([
      { type: 'verification.overridden', data: { station: 'recv-1', reason: 'asn.notOnAsn', params: { asn: 'A-1', sku: 'OAT', qty: 6 }, supervisor: 'SUP-1' }, source: { station: 'recv-1', device: 'scanner-4', actor: 'SUP-1' } },
      { type: 'stock.received', data: { sku: 'OAT', bin: 'DOCK', qty: 6, asn: 'A-1' }, source: expect.anything() },
    ]);
    expect(said(effects[2]!)).toEqual(['ok: received 6 x Oat Milk 1L (ASN A-1: not on it, accepted by SUP-1): put away to bin R-01']);
    expect(state).toMatchObject({ asn: 'A-1', putaway: { sku: 'OAT', toBin: 'R-01' } });
    expect(state.overReceipt).toBeUndefined();
  });

  it('another scan after a refused case sets it aside: a badge no longer accepts it', () => {
    const { effects } = run([scan(label('ASN-A-1')), oatCase, scan(label('CMD-CANCEL')), scan(label('EMP-SUP-1'))]);
    expect(said(effects[2]!)).toEqual(['ok: scan a case or an item to receive it']);
    expect(events(effects[3]!).map((e) => e.data)).toEqual([expect.objectContaining({ reason: 'scan.notExpected' })]);
  });

  it('CMD-CONFIRM closes the ASN with expected vs received per SKU and the discrepancies', () => {
    const { state, effects } = run([scan(label('ASN-A-1')), scan(label('CMD-CONFIRM'))], [asnA1({ MILK: 18, OAT: 6 })]);
    expect(state.asn).toBeUndefined();
    expect(events(effects[1]!)).toEqual([
      {
        type: 'asn.closed',
        data: {
          asn: 'A-1',
          lines: [
            { sku: 'MILK', expected: 12, received: 18, delta: 6 },
            { sku: 'YOG', expected: 6, received: 0, delta: -6 },
            { sku: 'OAT', expected: 0, received: 6, delta: 6 },
          ],
          discrepancies: [
            { sku: 'MILK', expected: 12, received: 18, delta: 6, kind: 'over' },
            { sku: 'YOG', expected: 6, received: 0, delta: -6, kind: 'short' },
            { sku: 'OAT', expected: 0, received: 6, delta: 6, kind: 'notOnAsn' },
          ],
        },
        source: { station: 'recv-1', device: 'scanner-4' },
      },
    ]);
    expect(said(effects[1]!)).toEqual(['ok: ASN A-1 closed with discrepancies: 1 line short, 2 lines over or not on the ASN; the OMS is told']);
  });

  it('an ASN received in full closes with no discrepancy', () => {
    const { effects } = run([scan(label('ASN-A-1')), scan(label('CMD-CONFIRM'))], [asnA1({ MILK: 12, YOG: 6 })]);
    expect(events(effects[1]!)[0]!.data).toMatchObject({ discrepancies: [] });
    expect(said(effects[1]!)).toEqual(['ok: ASN A-1 closed: every line as expected']);
  });

  it('CMD-CANCEL leaves the ASN open and receives blind', () => {
    const { state, effects } = run([scan(label('ASN-A-1')), scan(label('CMD-CANCEL'))], [asnA1({ MILK: 6 })]);
    expect(state.asn).toBeUndefined();
    expect(events(effects[1]!)).toEqual([]);
    expect(said(effects[1]!)).toEqual(['ok: left ASN A-1 open (6 of 18 units): receiving blind']);
  });

  it('the ASN stays active through the putaway', () => {
    const { state, effects } = run([milkCase, scan(label('BIN-A-01'))]);
    expect(state).toEqual({ station: 'recv-1', scanner: 'scanner-4', dockBin: 'DOCK', asn: 'A-1' });
    expect(screenOf(effects[1]!)).toMatchObject({ phase: 'asn', asn: 'A-1' });
  });

  it('an ASN closed from the office while a station works on it: the next case is refused and the station receives blind again', () => {
    const { state, effects } = run([milkCase], [asnA1({}, 'closed')], { ...start(), asn: 'A-1' });
    expect(events(effects[0]!).map((e) => e.type)).toEqual(['verification.failed']);
    expect(state.asn).toBeUndefined();
  });
});

describe('asnClosedData', () => {
  it.each<[string, AsnProgress['lines'], string[]]>([
    ['as expected', [{ sku: 'MILK', expected: 6, received: 6 }], []],
    ['short', [{ sku: 'MILK', expected: 6, received: 4 }], ['MILK short -2']],
    ['over', [{ sku: 'MILK', expected: 6, received: 7 }], ['MILK over 1']],
    ['not on the ASN', [{ sku: 'OAT', expected: 0, received: 3 }], ['OAT notOnAsn 3']],
    ['nothing received', [{ sku: 'MILK', expected: 6, received: 0 }], ['MILK short -6']],
  ])('%s', (_name, lines, discrepancies) => {
    const data = asnClosedData({ asn: 'A', status: 'open', lines });
    expect(data.discrepancies.map((d) => `${d.sku} ${d.kind} ${d.delta}`)).toEqual(discrepancies);
    expect(data.lines).toHaveLength(lines.length);
  });
});
