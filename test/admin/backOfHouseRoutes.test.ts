/** The ASN and task routes over real HTTP, with each role's token. */
import { describe, expect, it } from 'vitest';
import type { Gateway } from '../../gateway/core/gateway.ts';
import { useTestGateway } from '../helpers/testGateway.ts';

const gw = useTestGateway();
const tokens = [
  { name: 'ana-admin', role: 'admin', token: 'admin-token-0123456789' },
  { name: 'olu-operator', role: 'operator', token: 'operator-token-0123456789' },
  { name: 'vic-viewer', role: 'viewer', token: 'viewer-token-0123456789' },
];
const viewer = 'viewer-token-0123456789';
const operator = 'operator-token-0123456789';
const start = () =>
  gw.start({
    http: { host: '127.0.0.1', port: 0, tokens },
    layout: { bins: [{ id: 'A-01', zone: 'A', pickFace: { min: 1, max: 20 } }, { id: 'R-01', zone: 'R' }, { id: 'R-02', zone: 'R' }] },
  });

async function api(gateway: Gateway, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${gateway.http.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies of several shapes, checked by the assertions
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function seed(gateway: Gateway): Promise<void> {
  await gateway.log.appendAll([
    { type: 'catalog.upserted', data: { sku: 'MILK', name: 'Whole Milk 1L', gtins: ['09501101530003'] } },
    { type: 'catalog.upserted', data: { sku: 'OAT', name: 'Oat Milk 1L', gtins: ['09501101530010'] } },
    { type: 'asn.received', data: { asn: 'ASN-7', supplier: 'Central DC', lines: [{ sku: 'MILK', qty: 12 }, { sku: 'OAT', qty: 6 }] } },
    { type: 'asn.received', data: { asn: 'ASN-8', lines: [{ sku: 'OAT', qty: 24 }] } },
    { type: 'stock.received', data: { sku: 'MILK', bin: 'DOCK', lot: 'L1', qty: 6, asn: 'ASN-7' } },
    { type: 'stock.received', data: { sku: 'MILK', bin: 'DOCK', lot: 'L2', qty: 6, asn: 'ASN-7' } },
    { type: 'stock.received', data: { sku: 'MILK', bin: 'A-01', lot: 'L0', qty: 4 } },
    { type: 'stock.received', data: { sku: 'OAT', bin: 'R-01', qty: 3 } },
    { type: 'stock.received', data: { sku: 'MILK', bin: 'R-01', qty: 2 } },
  ]);
}

describe('ASN routes', () => {
  it('a viewer lists open ASNs with units expected and received per SKU', async () => {
    const gateway = await start();
    await seed(gateway);
    const res = await api(gateway, 'GET', '/api/v1/asns', viewer);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      total: 2,
      rows: [
        {
          asn: 'ASN-7', supplier: 'Central DC', status: 'open', expected: 18, received: 12,
          lines: [{ sku: 'MILK', name: 'Whole Milk 1L', expected: 12, received: 12 }, { sku: 'OAT', name: 'Oat Milk 1L', expected: 6, received: 0 }],
        },
        { asn: 'ASN-8', status: 'open', expected: 24, received: 0, lines: [{ sku: 'OAT', name: 'Oat Milk 1L', expected: 24, received: 0 }] },
      ],
    });
  });

  it('an operator closes an ASN: asn.closed with the discrepancies and who closed it; it leaves the open list', async () => {
    const gateway = await start();
    await seed(gateway);
    expect((await api(gateway, 'POST', '/api/v1/asns/ASN-7/close', viewer)).status).toBe(403);
    const closed = await api(gateway, 'POST', '/api/v1/asns/ASN-7/close', operator);
    expect(closed.status).toBe(200);
    expect(closed.body.discrepancies).toEqual([{ sku: 'OAT', expected: 6, received: 0, delta: -6, kind: 'short' }]);
    const [event] = gateway.log.query({ type: 'asn.closed' });
    expect(event!.source).toEqual({ actor: 'olu-operator', origin: 'admin-api' });
    expect((await api(gateway, 'GET', '/api/v1/asns', viewer)).body.rows.map((r: { asn: string }) => r.asn)).toEqual(['ASN-8']);
    expect((await api(gateway, 'GET', '/api/v1/asns?status=closed', viewer)).body.rows.map((r: { asn: string }) => r.asn)).toEqual(['ASN-7']);
    expect((await api(gateway, 'GET', '/api/v1/asns/ASN-7', viewer)).body.status).toBe('closed');

    const again = await api(gateway, 'POST', '/api/v1/asns/ASN-7/close', operator);
    expect(again).toEqual({ status: 409, body: { error: 'ASN "ASN-7" is already closed' } });
    const unknown = await api(gateway, 'POST', '/api/v1/asns/ASN-99/close', operator);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('no ASN "ASN-99" from the OMS in this store\'s log; GET /api/v1/asns?status=all lists them');
    expect(gateway.log.query({ type: 'asn.closed' })).toHaveLength(1);
  });
});

describe('task routes', () => {
  it('an operator creates a count of every SKU in a bin; a viewer lists it but may not create one', async () => {
    const gateway = await start();
    await seed(gateway);
    const denied = await api(gateway, 'POST', '/api/v1/tasks/counts', viewer, { bin: 'R-01' });
    expect(denied.status).toBe(403);
    expect(denied.body.error).toBe('POST /api/v1/tasks/counts needs the operator role; "vic-viewer" is viewer');

    const created = await api(gateway, 'POST', '/api/v1/tasks/counts', operator, { bin: 'R-01' });
    expect(created.status).toBe(201);
    expect(created.body.tasks).toEqual([
      { taskId: expect.stringMatching(/^count-R-01-MILK-/), kind: 'count', sku: 'MILK', bin: 'R-01', reason: 'count on demand' },
      { taskId: expect.stringMatching(/^count-R-01-OAT-/), kind: 'count', sku: 'OAT', bin: 'R-01', reason: 'count on demand' },
    ]);
    expect(gateway.log.query({ type: 'task.created' }).map((e) => e.source.actor)).toEqual(['olu-operator', 'olu-operator']);

    const list = await api(gateway, 'GET', '/api/v1/tasks?kind=count', viewer);
    expect(list.body.total).toBe(2);
    expect(list.body.rows.map((t: { sku: string; bin: string }) => `${t.bin} ${t.sku}`)).toEqual(['R-01 MILK', 'R-01 OAT']);

    const twice = await api(gateway, 'POST', '/api/v1/tasks/counts', operator, { bin: 'R-01', sku: 'OAT' });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatch(/^a count of OAT in bin R-01 is already open \(count-R-01-OAT-/);
  });

  it.each<[string, unknown, number, string]>([
    ['a bin not in the layout', { bin: 'Z-9' }, 400, 'bin "Z-9" is not in layout.bins; check the bin id (GET /api/v1/layout/bins lists them)'],
    ['an empty bin without a SKU', { bin: 'R-02' }, 400, 'bin "R-02" holds no stock; name the sku to count'],
    ['no bin', { sku: 'MILK' }, 400, 'invalid request: body.bin: Invalid input: expected string, received undefined'],
  ])('refuses %s, creating nothing', async (_name, body, status, error) => {
    const gateway = await start();
    await seed(gateway);
    const res = await api(gateway, 'POST', '/api/v1/tasks/counts', operator, body);
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(error);
    expect(gateway.log.query({ type: 'task.created' })).toEqual([]);
  });

  it('a completed task leaves the list', async () => {
    const gateway = await start();
    await seed(gateway);
    const created = await api(gateway, 'POST', '/api/v1/tasks/counts', operator, { bin: 'A-01' });
    await gateway.log.append({ type: 'task.completed', data: { taskId: created.body.tasks[0].taskId, kind: 'count' } });
    expect((await api(gateway, 'GET', '/api/v1/tasks', viewer)).body).toEqual({ rows: [], total: 0 });
  });
});
