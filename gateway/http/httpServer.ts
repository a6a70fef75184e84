/**
 * The gateway's HTTP server (fastify): `/healthz` (the process answers), `/readyz` (every
 * component is up: 503 names the ones that are not) and `/metrics` (Prometheus).
 * Later issues register the admin API and pages on the same server through `routes`.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Metrics } from '../core/metrics.ts';
import { explainListenError } from '../core/portInUse.ts';

export interface ReadinessCheck {
  name: string;
  /** true when ready, or a reason why not. */
  check: () => true | string;
}

export interface HttpServerOptions {
  host: string;
  port: number;
  logger: Logger;
  metrics: Metrics;
  readiness: ReadinessCheck[];
  /** Reasons the gateway works but is degraded (e.g. "cloud unreachable for 3h12m"); never affects readiness. */
  degraded?: () => string[];
  version: string;
  storeId: string;
}

export class HttpServer {
  readonly name = 'http';
  readonly app: FastifyInstance;
  private boundPort = 0;

  constructor(private readonly options: HttpServerOptions) {
    // Request lines would drown the floor's logs: the HTTP child logger keeps warnings and errors.
    const logger = options.logger.child({ component: 'http' }, { level: 'warn' }) as FastifyBaseLogger;
    // Live streams (SSE) from open console tabs must not hold up a stop: close every connection.
    this.app = Fastify({ loggerInstance: logger, forceCloseConnections: true }) as unknown as FastifyInstance;
    this.app.get('/healthz', async () => {
      const degraded = options.degraded?.() ?? [];
      return { status: degraded.length ? `degraded: ${degraded.join('; ')}` : 'ok', store: options.storeId, version: options.version };
    });
    this.app.get('/readyz', async (_req, reply) => {
      const notReady = options.readiness
        .map((r) => ({ name: r.name, result: r.check() }))
        .filter((r) => r.result !== true)
        .map((r) => ({ component: r.name, reason: r.result }));
      if (notReady.length > 0) return reply.code(503).send({ status: 'not ready', notReady });
      return { status: 'ready' };
    });
    this.app.get('/metrics', async (_req, reply) => {
      reply.header('content-type', options.metrics.registry.contentType);
      return options.metrics.registry.metrics();
    });
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    const host = this.options.host === '0.0.0.0' || this.options.host === '::' ? '127.0.0.1' : this.options.host;
    return `http://${host}:${this.boundPort}`;
  }

  async start(): Promise<void> {
    try {
      await this.app.listen({ host: this.options.host, port: this.options.port });
    } catch (err) {
      throw explainListenError(err, this.options.host, this.options.port, 'http.port');
    }
    const address = this.app.server.address();
    this.boundPort = typeof address === 'object' && address ? address.port : this.options.port;
  }

  async stop(): Promise<void> {
    await this.app.close();
  }
}
