/**
 * The OMS sync API over HTTP(S): undici with a keep-alive pool, a bearer token per store, and an
 * optional custom CA for TLS. Replies are checked against the API schemas; anything else (a proxy's
 * HTML page, a truncated body) is a NotTheOmsApiError naming the status and the first bytes.
 *
 * @example
 *   const http = new HttpTransport({ url: 'http://127.0.0.1:8090', store: 'ams-1', token: 'secret' });
 *   await http.start();
 *   const page = await http.fetchFeed(undefined, 100);
 *   await http.close();
 */
import { readFileSync } from 'node:fs';
import { Agent, request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { NotTheOmsApiError, OmsRequestError, parseRetryAfter } from './errors.ts';
import {
  errorBodySchema,
  feedPageSchema,
  pushReplySchema,
  snapshotReplySchema,
  type FeedPage,
  type PushReply,
  type SnapshotReply,
  type SnapshotRequest,
} from './omsApi.ts';
import type { OmsTransport } from './omsTransport.ts';

export interface HttpTransportOptions {
  /** Base URL of the OMS, e.g. https://oms.example.com (the API lives under /v1). */
  url: string;
  store: string;
  token?: string;
  /** PEM file of a CA to trust for https:// (a private PKI). */
  caFile?: string;
  /** Per-request timeout; a hung OMS counts as a failure and is retried. */
  timeoutMs?: number;
}

export class HttpTransport implements OmsTransport {
  readonly kind = 'http' as const;
  lastServerDate?: number;
  private readonly agent: Agent;
  private readonly base: string;

  constructor(private readonly options: HttpTransportOptions) {
    this.base = `${options.url.replace(/\/+$/, '')}/v1/stores/${encodeURIComponent(options.store)}`;
    const timeout = options.timeoutMs ?? 30_000;
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      connections: 4,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      connect: options.caFile ? { ca: readFileSync(options.caFile) } : undefined,
    });
  }

  async start(): Promise<void> {}

  pushEvents(body: string): Promise<PushReply> {
    return this.call('POST', '/events', body, pushReplySchema);
  }

  fetchFeed(after: string | undefined, limit: number): Promise<FeedPage> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (after !== undefined) query.set('after', after);
    return this.call('GET', `/feed?${query}`, undefined, feedPageSchema);
  }

  putInventory(body: SnapshotRequest): Promise<SnapshotReply> {
    return this.call('PUT', '/inventory', body, snapshotReplySchema);
  }

  async close(): Promise<void> {
    // destroy, not close: a stopping gateway must not wait out a hung OMS request.
    await this.agent.destroy();
  }

  private async call<S extends z.ZodType>(method: Dispatcher.HttpMethod, path: string, body: unknown, schema: S): Promise<z.output<S>> {
    const where = `${method} ${this.base}${path.split('?')[0]}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Dispatcher.ResponseData;
    try {
      res = await request(`${this.base}${path}`, { method, headers, body: body === undefined || typeof body === 'string' ? body : JSON.stringify(body), dispatcher: this.agent });
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new OmsRequestError(`${where}: ${code ?? ''} ${(err as Error).message}; the OMS is unreachable or the connection broke, will retry`.replace(/: {2}/, ': '));
    }
    const date = res.headers.date;
    if (typeof date === 'string') this.lastServerDate = Date.parse(date);
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      throw new OmsRequestError(`${where}: the connection broke while reading the reply (HTTP ${res.statusCode}): ${(err as Error).message}; will retry`, res.statusCode);
    }
    const contentType = String(res.headers['content-type'] ?? '');
    let json: unknown;
    try {
      json = contentType.includes('json') ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (json === undefined) throw new NotTheOmsApiError(where, res.statusCode, contentType, text);
    if (res.statusCode >= 200 && res.statusCode < 300) {
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new NotTheOmsApiError(where, res.statusCode, contentType, text);
      return parsed.data;
    }
    const error = errorBodySchema.safeParse(json);
    if (!error.success) throw new NotTheOmsApiError(where, res.statusCode, contentType, text);
    const retryAfter = parseRetryAfter(res.headers['retry-after'] as string | undefined);
    const hint =
      res.statusCode === 401 || res.statusCode === 403
        ? 'check cloud.token for this store'
        : res.statusCode === 429
          ? `the OMS asks to slow down${retryAfter !== undefined ? ` for ${Math.round(retryAfter / 1000)} s` : ''}`
          : 'will retry';
    throw new OmsRequestError(`${where}: HTTP ${res.statusCode} ${error.data.error}: ${error.data.message}; ${hint}`, res.statusCode, retryAfter);
  }
}
