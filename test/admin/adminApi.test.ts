import { describe, expect, it } from 'vitest';
import type { Gateway } from '../../gateway/core/gateway.ts';
import { useTestGateway } from '../helpers/testGateway.ts';
import { ordersPageSql } from '../../gateway/admin/storeReadModel.ts';

const gw = useTestGateway();
const tokens = [
  { name: 'ana-admin', role: 'admin', token: 'admin-token-0123456789' },
  { name: 'olu-operator', role: 'operator', token: 'operator-token-0123456789' },
  { name: 'vic-viewer', role: 'viewer', token: 'viewer-token-0123456789' },
];
const startWithApi = () => gw.start({ http: { host: '127.0.0.1', port: 0, tokens } });

async function api(gateway: Gateway, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${gateway.http.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text, headers: res.headers };
}

describe('admin API', () => {
  it('refuses requests without a token or with an unknown one, saying what to do', async () => {
    const gateway = await startWithApi();
    const none = await api(gateway, 'GET', '/api/v1/stock');
    expect(none.status).toBe(401);
    expect(none.body.error).toMatch(/missing token: send "Authorization: Bearer <token>"/);
    const wrong = await api(gateway, 'GET', '/api/v1/stock', 'not-a-real-token-at-all');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatch(/unknown token/);
    const metrics = await (await fetch(`${gateway.http.url}/metrics`)).text();
    expect(metrics).toContain('dsgw_api_auth_failures_total{reason="unknown token"} 1');
  });

  it('rate-limits repeated failed logins from one address with 429 and Retry-After', async () => {
    const gateway = await startWithApi();
    for (let i = 0; i < 10; i++) expect((await api(gateway, 'GET', '/api/v1/stock', `guess-${i}-xxxxxxxxxxxx`)).status).toBe(401);
    const limited = await api(gateway, 'GET', '/api/v1/stock', 'viewer-token-0123456789');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('lets each role do what it may: viewer reads, operator adjusts, and the change is audited with who made it', async () => {
    const gateway = await startWithApi();
    await gateway.log.append({ type: 'catalog.upserted', data: { sku: 'MILK-1L', name: 'Whole Milk 1L', gtins: ['04006381333931'] } });
    await gateway.log.append({ type: 'stock.received', data: { sku: 'MILK-1L', bin: 'A-01', lot: 'L7', expiry: '2026-12-20', qty: 12 } });

    const stock = await api(gateway, 'GET', '/api/v1/stock?sku=MILK-1L', 'viewer-token-0123456789');
    expect(stock.status).toBe(200);
    expect(stock.body).toEqual({ total: 1, rows: [{ sku: 'MILK-1L', name: 'Whole Milk 1L', bin: 'A-01', lot: 'L7', expiry: '2026-12-20', qty: 12 }] });

    const adjustment = { sku: 'MILK-1L', bin: 'A-01', lot: 'L7', delta: -2, reason: 'two cartons burst' };
    const denied = await api(gateway, 'POST', '/api/v1/stock/adjustments', 'viewer-token-0123456789', adjustment);
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatch(/needs the operator role; "vic-viewer" is viewer/);

    const done = await api(gateway, 'POST', '/api/v1/stock/adjustments', 'operator-token-0123456789', adjustment);
    expect(done.status).toBe(200);
    expect(done.body.qty).toBe(10);
    const audit = gateway.log.query({ type: 'stock.adjusted' });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.source).toEqual({ actor: 'olu-operator', origin: 'admin-api' });

    const count = await api(gateway, 'POST', '/api/v1/stock/counts', 'admin-token-0123456789', { sku: 'MILK-1L', bin: 'A-01', lot: 'L7', counted: 9 });
    expect(count.body.variance).toBe(-1);
    expect((await api(gateway, 'GET', '/api/v1/stock?bin=A-01', 'viewer-token-0123456789')).body.rows[0].qty).toBe(9);
  });

  it('answers invalid input with the field and the reason, and records nothing', async () => {
    const gateway = await startWithApi();
    const bad = await api(gateway, 'POST', '/api/v1/stock/adjustments', 'operator-token-0123456789', { sku: 'MILK-1L', bin: 'A-01', delta: 0, reason: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([
      { field: 'body.delta', reason: 'a delta of 0 changes nothing' },
      { field: 'body.reason', reason: 'say why, in a few words' },
    ]);
    const badQuery = await api(gateway, 'GET', '/api/v1/stock?limit=5000', 'viewer-token-0123456789');
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error).toMatch(/query.limit/);
    expect(gateway.log.count()).toBe(0);
  });

  it('lists orders with progress, one order with lines, and 404 for an unknown one', async () => {
    const gateway = await startWithApi();
    await gateway.log.append({ type: 'order.released', data: { orderId: 'O-1', lines: [{ line: 1, sku: 'MILK-1L', qty: 2 }, { line: 2, sku: 'OAT-1L', qty: 1 }] } });
    await gateway.log.append({ type: 'stock.picked', data: { sku: 'MILK-1L', bin: 'A-01', qty: 1, orderId: 'O-1', line: 1 } });
    const list = await api(gateway, 'GET', '/api/v1/orders', 'viewer-token-0123456789');
    expect(list.body.rows).toMatchObject([{ orderId: 'O-1', status: 'picking', lines: 2, units: 3, picked: 1, short: 0 }]);
    const one = await api(gateway, 'GET', '/api/v1/orders/O-1', 'viewer-token-0123456789');
    expect(one.body.lineItems).toMatchObject([{ line: 1, sku: 'MILK-1L', qty: 2, picked: 1 }, { line: 2, sku: 'OAT-1L', qty: 1, picked: 0 }]);
    expect((await api(gateway, 'GET', '/api/v1/orders/NOPE', 'viewer-token-0123456789')).status).toBe(404);
  });

  it('pages orders newest first, by status, reading only the page from an index (not every order ever released)', async () => {
    const gateway = await startWithApi();
    for (let i = 1; i <= 5; i++) await gateway.log.append({ type: 'order.released', data: { orderId: `O-${i}`, lines: [{ line: 1, sku: 'MILK-1L', qty: i }] } });
    await gateway.log.append({ type: 'order.cancelled', data: { orderId: 'O-4', reason: 'customer' } });
    const page = await api(gateway, 'GET', '/api/v1/orders?limit=2&offset=1', 'viewer-token-0123456789');
    expect(page.body).toMatchObject({ total: 5, rows: [{ orderId: 'O-4', status: 'cancelled', units: 4 }, { orderId: 'O-3', status: 'released', units: 3 }] });
    const released = await api(gateway, 'GET', '/api/v1/orders?status=released&limit=2', 'viewer-token-0123456789');
    expect(released.body).toMatchObject({ total: 4, rows: [{ orderId: 'O-5' }, { orderId: 'O-3' }] });
    const plan = (clause: string, ...args: unknown[]) =>
      (gateway.log.db.prepare(`EXPLAIN QUERY PLAN ${ordersPageSql(clause)}`).all(...args, 50, 0) as Array<{ detail: string }>).map((r) => r.detail).join('; ');
    expect(plan('')).toContain('orders_released');
    expect(plan('WHERE o.status = ?', 'released')).toContain('orders_status');
    // Each order's lines by its key: no scan of every order line.
    expect(plan('')).toMatch(/SEARCH l USING/);
  });

  it('pages the event log newest first with a cursor', async () => {
    const gateway = await startWithApi();
    for (let i = 0; i < 5; i++) await gateway.log.append({ type: 'stock.received', data: { sku: `S${i}`, bin: 'DOCK', qty: 1 } });
    const first = await api(gateway, 'GET', '/api/v1/events?limit=2', 'viewer-token-0123456789');
    expect(first.body.events.map((e: { seq: number }) => e.seq)).toEqual([5, 4]);
    expect(first.body.next).toBe('before=4');
    const second = await api(gateway, 'GET', `/api/v1/events?limit=2&${first.body.next}`, 'viewer-token-0123456789');
    expect(second.body.events.map((e: { seq: number }) => e.seq)).toEqual([3, 2]);
    // Oldest first from a seq (what a follower reads): the next page goes on forward.
    const forward = await api(gateway, 'GET', '/api/v1/events?limit=2&after=1', 'viewer-token-0123456789');
    expect(forward.body.events.map((e: { seq: number }) => e.seq)).toEqual([2, 3]);
    expect(forward.body.next).toBe('after=3');
    const then = await api(gateway, 'GET', `/api/v1/events?limit=2&${forward.body.next}`, 'viewer-token-0123456789');
    expect(then.body.events.map((e: { seq: number }) => e.seq)).toEqual([4, 5]);
  });

  it('streams committed events live over server-sent events', async () => {
    const gateway = await startWithApi();
    const controller = new AbortController();
    const res = await fetch(`${gateway.http.url}/api/v1/live?access_token=viewer-token-0123456789`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    await gateway.log.append({ type: 'stock.received', data: { sku: 'LIVE', bin: 'DOCK', qty: 3 } });
    let text = '';
    while (!text.includes('"sku":"LIVE"')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toMatch(/event: log\ndata: \{"seq":1,/);
    controller.abort();
  });

  it('reports accuracy per station and per hour from the log', async () => {
    const gateway = await startWithApi();
    await gateway.log.append({ type: 'stock.picked', data: { sku: 'MILK', bin: 'A-01', qty: 1 }, source: { station: 'pick-1' } });
    await gateway.log.append({ type: 'verification.failed', data: { station: 'pick-1', reason: 'pick.wrongItem', params: {} }, source: { station: 'pick-1' } });
    await gateway.log.append({ type: 'stock.picked', data: { sku: 'MILK', bin: 'A-01', qty: 1 }, source: { station: 'pick-2' } });
    const all = await api(gateway, 'GET', '/api/v1/accuracy', 'viewer-token-0123456789');
    expect(all.body.stations).toMatchObject([
      { station: 'pick-1', verified: 1, failed: 1, failures: { 'pick.wrongItem': 1 }, accuracy: 0.5 },
      { station: 'pick-2', verified: 1, failed: 0, accuracy: 1 },
    ]);
    expect(all.body.hourly).toHaveLength(1);
    expect(all.body.hourly[0]).toMatchObject({ scans: 3, failures: 1 });
    const one = await api(gateway, 'GET', '/api/v1/accuracy?station=pick-2', 'viewer-token-0123456789');
    expect(one.body.stations.map((r: { station: string }) => r.station)).toEqual(['pick-2']);
  });

  it('lists the serial ports of this machine to operators, not to viewers', async () => {
    const gateway = await startWithApi();
    expect((await api(gateway, 'GET', '/api/v1/discovery/serial', 'viewer-token-0123456789')).status).toBe(403);
    const ports = await api(gateway, 'GET', '/api/v1/discovery/serial', 'operator-token-0123456789');
    expect(ports.status).toBe(200);
    expect(Array.isArray(ports.body.ports)).toBe(true);
    for (const p of ports.body.ports) expect(p.path).toMatch(/^\/dev\//);
  });

  it('serves its OpenAPI document and a readable /docs page', async () => {
    const gateway = await startWithApi();
    const doc = await (await fetch(`${gateway.http.url}/openapi.json`)).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/stock', '/api/v1/stock/adjustments', '/api/v1/orders/{orderId}', '/api/v1/events', '/api/v1/live']));
    expect(doc.paths['/api/v1/stock/adjustments'].post.requestBody.content['application/json'].schema.required).toEqual(['sku', 'bin', 'delta', 'reason']);
    const page = await (await fetch(`${gateway.http.url}/docs`)).text();
    expect(page).toContain('/api/v1/stock/adjustments');
  });
});
