/**
 * One place that registers admin API routes on fastify and describes them in OpenAPI.
 * A route declares its role and its zod schemas; the router authenticates, checks the role,
 * validates with the same schemas the config uses, and answers errors with the field and reason.
 *
 * @example
 *   router.add({ method: 'GET', path: '/api/v1/stock', role: 'viewer', summary: 'Stock per sku, bin and lot',
 *     query: z.object({ sku: z.string().optional() }), handler: ({ query }) => stock(query) });
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { roleAllows, type ApiAuth, type Principal, type Role } from './apiAuth.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface RouteContext<Q, B, P> {
  query: Q;
  body: B;
  params: P;
  principal: Principal;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface ApiRoute<Q = unknown, B = unknown, P = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** fastify style, e.g. `/api/v1/orders/:orderId` */
  path: string;
  role: Role;
  summary: string;
  tag: string;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  params?: z.ZodType<P>;
  /** Return a value to send as JSON; or answer through `reply` yourself (SSE). */
  handler: (ctx: RouteContext<Q, B, P>) => Promise<unknown> | unknown;
}

export class ApiRouter {
  private readonly routes: ApiRoute[] = [];

  constructor(
    private readonly app: FastifyInstance,
    private readonly auth: ApiAuth,
  ) {}

  add<Q, B, P>(route: ApiRoute<Q, B, P>): void {
    this.routes.push(route as ApiRoute);
    this.app.route({
      method: route.method,
      url: route.path,
      handler: async (request, reply) => {
        // EventSource cannot send headers: the live stream also accepts ?access_token=.
        const queryToken = (request.query as Record<string, string> | undefined)?.access_token;
        const header = request.headers.authorization ?? (queryToken ? `Bearer ${queryToken}` : undefined);
        const auth = this.auth.check(header, request.ip);
        if (!auth.ok) {
          if (auth.retryAfterSeconds) reply.header('retry-after', String(auth.retryAfterSeconds));
          return reply.code(auth.status).send({ error: auth.message });
        }
        if (!roleAllows(auth.principal.role, route.role)) {
          return reply.code(403).send({ error: `${route.method} ${route.path} needs the ${route.role} role; "${auth.principal.name}" is ${auth.principal.role}` });
        }
        try {
          const { access_token: _ignored, ...rawQuery } = (request.query ?? {}) as Record<string, unknown>;
          const query = parse(route.query, rawQuery, 'query');
          const body = parse(route.body, request.body, 'body');
          const params = parse(route.params, request.params, 'path');
          const result = await route.handler({ query, body, params, principal: auth.principal, request, reply } as RouteContext<Q, B, P>);
          // A handler that answered itself (the SSE stream hijacks the reply) is done.
          if (reply.sent) return reply;
          return reply.send(result ?? { ok: true });
        } catch (err) {
          if (err instanceof ApiError) return reply.code(err.status).send({ error: err.message, details: err.details });
          request.log.error({ err }, 'admin API handler failed');
          return reply.code(500).send({ error: `internal error: ${(err as Error).message}` });
        }
      },
    });
  }

  /** The OpenAPI 3.1 document of every route added. */
  openApi(info: { title: string; version: string }): object {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const r of this.routes) {
      const path = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
      const parameters = [
        ...objectParams(r.query, 'query'),
        ...[...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      ];
      (paths[path] ??= {})[r.method.toLowerCase()] = {
        summary: r.summary,
        tags: [r.tag],
        description: `Role: ${r.role} or above.`,
        security: [{ bearer: [] }],
        parameters,
        ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(r.body, { io: 'input', unrepresentable: 'any' }) } } } } : {}),
        responses: { 200: { description: 'OK' }, 400: { description: 'invalid request: the field and the reason' }, 401: { description: 'no or unknown token' }, 403: { description: 'role too low' }, 429: { description: 'too many failed logins' } },
      };
    }
    return {
      openapi: '3.1.0',
      info,
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      paths,
    };
  }
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T | undefined {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ field: [where, ...i.path.map(String)].join('.'), reason: i.message }));
  throw new ApiError(400, `invalid request: ${issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`, issues);
}

function objectParams(schema: z.ZodType | undefined, location: 'query'): object[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({ name, in: location, required: json.required?.includes(name) ?? false, schema: s }));
}
