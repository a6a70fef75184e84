/**
 * The admin API under /api/v1 (bearer tokens with roles), its OpenAPI document at
 * /openapi.json and a readable rendering at /docs. Routes register on the gateway's HTTP server
 * when this component starts, which is before that server listens.
 *
 * @example
 *   curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/api/v1/stock?sku=MILK-1L
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { CloudSync } from '../../cloud-sync/cloudSync.ts';
import type { GatewayConfig } from '../../config/schema.ts';
import type { EventBus, StationScreenUpdate } from '../core/eventBus.ts';
import type { Metrics } from '../core/metrics.ts';
import { gatewayVersion } from '../core/version.ts';
import type { EventLog } from '../log/eventLog.ts';
import { ApiAuth } from './apiAuth.ts';
import { ApiRouter } from './apiRouter.ts';
import { renderApiDocs } from './apiDocsPage.ts';
import { addDiscoveryRoutes } from './routes/discoveryRoutes.ts';
import { addAccuracyRoutes } from './routes/accuracyRoutes.ts';
import { addSyncRoutes } from './routes/syncRoutes.ts';
import { addDeviceRoutes, type ConfigChanges } from './routes/deviceRoutes.ts';
import { addConsolePages } from '../console/consolePages.ts';
import { addLayoutRoutes, type DeviceActions } from './routes/layoutRoutes.ts';
import { addEventRoutes } from './routes/eventRoutes.ts';
import { addLiveRoutes } from './routes/liveRoutes.ts';
import { addOrderRoutes } from './routes/orderRoutes.ts';
import { addStockRoutes } from './routes/stockRoutes.ts';
import { addBackOfHouseRoutes } from './routes/backOfHouseRoutes.ts';
import { StoreReadModel } from './storeReadModel.ts';

export interface AdminApiDeps {
  app: FastifyInstance;
  config: () => GatewayConfig;
  log: EventLog;
  bus: EventBus;
  logger: Logger;
  metrics: Metrics;
  /** Config changes from the console; absent when the gateway has no writable config file. */
  configChanges?: ConfigChanges;
  deviceHealth: (deviceId: string) => Record<string, unknown>;
  deviceActions: DeviceActions;
  stationScreen: (stationId: string) => StationScreenUpdate | undefined;
  sync: () => CloudSync | undefined;
  /** Further route groups (sync, workflows) added by the composition root. */
  extraRoutes?: Array<(router: ApiRouter) => void>;
}

export class AdminApi {
  readonly name = 'admin-api';
  router?: ApiRouter;

  constructor(private readonly deps: AdminApiDeps) {}

  async start(): Promise<void> {
    const { app, config, log, bus, logger, metrics } = this.deps;
    const failures = new Counter({ name: 'dsgw_api_auth_failures_total', help: 'Refused admin API requests', labelNames: ['reason'], registers: [metrics.registry] });
    const auth = new ApiAuth(config().http.tokens, { logger, onFailure: (reason) => failures.inc({ reason }) });
    const router = new ApiRouter(app, auth);
    this.router = router;
    const read = new StoreReadModel(log);
    addEventRoutes(router, log);
    addStockRoutes(router, log, read);
    addOrderRoutes(router, read);
    addBackOfHouseRoutes(router, log, config);
    addLiveRoutes(router, bus);
    addAccuracyRoutes(router, log);
    addDiscoveryRoutes(router);
    addSyncRoutes(router, this.deps.sync);
    addDeviceRoutes(router, { config, changes: this.deps.configChanges, health: this.deps.deviceHealth });
    addLayoutRoutes(router, config, this.deps.deviceActions, this.deps.stationScreen);
    addConsolePages(app);
    for (const add of this.deps.extraRoutes ?? []) add(router);

    const doc = () => router.openApi({ title: `darkstore-gateway admin API (store ${config().store.id})`, version: gatewayVersion });
    app.get('/openapi.json', async () => doc());
    app.get('/docs', async (_req, reply) => reply.type('text/html; charset=utf-8').send(renderApiDocs(doc())));
  }

  async stop(): Promise<void> {
    // Routes live as long as the HTTP server; nothing to release.
  }
}
