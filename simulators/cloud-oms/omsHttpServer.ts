/**
 * The simulated OMS's HTTP server: the sync API v1 (docs/oms-api.md) with bearer tokens and fault
 * injection, and a few `/_sim/...` admin routes for demos and tests. Plain node:http, so a fault can
 * reset a connection half-way through a reply, as a real network does.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pushRequestSchema, snapshotRequestSchema } from '../../cloud-sync/omsApi.ts';
import type { CloudOms } from './cloudOms.ts';
import type { FaultKind } from './faultPlan.ts';

type Reply = { status: number; body: unknown };
/** A handler answers at once (errors, reads) or returns `apply`, which changes state: faults decide whether it runs. */
type Handler = (store: string, req: IncomingMessage, body: unknown, url: URL) => Reply & { apply?: () => Reply };

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function error(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  return { status, body: { error: code, message, ...extra } };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  if (chunks.length === 0) return undefined;
  return JSON.parse(Buffer.concat(chunks).toString());
}

export function createOmsHttpServer(oms: CloudOms): Server {
  const api: Record<string, Handler> = {
    'POST events': (store, _req, body) => {
      const parsed = pushRequestSchema.safeParse(body);
      if (!parsed.success) return error(400, 'bad_request', `not a push body: ${parsed.error.issues[0]?.message}`);
      return { status: 200, body: undefined, apply: () => ({ status: 200, body: oms.db.ingest(store, parsed.data.events) }) };
    },
    'GET feed': (store, _req, _body, url) => {
      const limit = Math.min(10_000, Math.max(1, Number(url.searchParams.get('limit') ?? 200) || 200));
      return { status: 200, body: oms.db.feed(store, url.searchParams.get('after') ?? undefined, limit) };
    },
    'PUT inventory': (store, _req, body) => {
      const parsed = snapshotRequestSchema.safeParse(body);
      if (!parsed.success) return error(400, 'bad_request', `not a snapshot body: ${parsed.error.issues[0]?.message}`);
      return { status: 200, body: undefined, apply: () => oms.snapshot(store, parsed.data) };
    },
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((err) => {
      if (!res.headersSent) json(res, 500, { error: 'internal', message: (err as Error).message });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 60_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://oms');
    let body: unknown;
    try {
      body = await readBody(req);
    } catch {
      return json(res, 400, { error: 'bad_request', message: 'the body is not JSON' });
    }
    if (url.pathname.startsWith('/_sim/')) return json(res, ...oms.admin(req.method ?? 'GET', url.pathname, body));
    const match = /^\/v1\/stores\/([^/]+)\/(events|feed|inventory)$/.exec(url.pathname);
    const handler = match && api[`${req.method} ${match[2]}`];
    if (!match || !handler) return json(res, 404, { error: 'not_found', message: `no route ${req.method} ${url.pathname}; see docs/oms-api.md` });
    const store = decodeURIComponent(match[1]!);
    if (!oms.authorized(store, req.headers.authorization)) return json(res, 401, { error: 'unauthorized', message: `no valid bearer token for store "${store}"` });

    const fault = oms.faults.draw();
    const latency = oms.faults.settings.latencyMs ?? 0;
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    if (fault && fault !== 'replyLost') return injectBeforeApply(res, fault, oms.faults.settings.retryAfterSeconds ?? 1);

    const answer = handler(store, req, body, url);
    const result = answer.apply ? answer.apply() : answer;
    if (fault === 'replyLost') {
      // Applied and committed; the reply never arrives. The client cannot tell this from "not applied".
      res.socket?.destroy();
      return;
    }
    json(res, result.status, result.body);
  }

  return server;
}

function injectBeforeApply(res: ServerResponse, fault: Exclude<FaultKind, 'replyLost'>, retryAfterSeconds: number): void {
  switch (fault) {
    case 'error5xx':
      return json(res, 503, { error: 'unavailable', message: 'simulated outage' });
    case 'tooMany':
      return json(res, 429, { error: 'rate_limited', message: 'simulated rate limit' }, { 'retry-after': String(retryAfterSeconds) });
    case 'html': {
      const page = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
      res.writeHead(502, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(page) });
      return void res.end(page);
    }
    case 'reset':
      // Headers and half a body, then the connection goes: a reply that cannot be trusted.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
      res.write('{"ackSeq":');
      setTimeout(() => res.socket?.destroy(), 5);
      return;
  }
}
