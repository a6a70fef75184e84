/**
 * The simulated cloud OMS: one SQLite file, a grocery catalog, a feed generator, fault injection,
 * served over HTTP and optionally bridged to an MQTT broker. Start it in-process with
 * `startCloudOms()` or from a shell with `npx tsx simulators/cloud-oms/main.ts --port 8090`.
 *
 * @example
 *   const oms = await startCloudOms({ port: 0, file: '/tmp/oms.db', tokens: { 'ams-1': 'secret' } });
 *   oms.releaseOrders('ams-1', 5);
 *   oms.faults.set({ rates: { replyLost: 0.1 } });
 *   console.log(oms.url, oms.db.heldCount('ams-1'));
 *   await oms.stop();
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SnapshotRequest } from '../../cloud-sync/omsApi.ts';
import { FaultPlan, faultKinds, type FaultKind, type FaultSettings } from './faultPlan.ts';
import { FeedGenerator } from './feedGenerator.ts';
import { groceryCatalog, type CatalogItem } from './groceryCatalog.ts';
import { OmsDatabase } from './omsDatabase.ts';
import { createOmsHttpServer } from './omsHttpServer.ts';
import { OmsMqttBridge } from './omsMqttBridge.ts';

export interface CloudOmsOptions {
  /** 0 = an ephemeral port. */
  port?: number;
  host?: string;
  /** The OMS's SQLite file; ':memory:' by default. */
  file?: string;
  /** Bearer token per store; a store not listed needs no token. `*` applies to every store. */
  tokens?: Record<string, string>;
  catalogSize?: number;
  seedCatalog?: boolean;
  rejectUnknownSkus?: boolean;
  /** Also serve the API over MQTT through this broker (e.g. mqtt://127.0.0.1:1883). */
  mqtt?: { url: string; topicPrefix: string; clientId?: string };
  /** Release this many orders per store every orderIntervalMs (demo traffic). */
  orderIntervalMs?: number;
  faults?: FaultSettings;
  /** Serve https with this certificate and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Set the OMS clock (its Date header) off by this much, to see skew reported. */
  clockOffsetMs?: number;
}

export class CloudOms {
  readonly catalog: CatalogItem[];
  readonly db: OmsDatabase;
  readonly faults = new FaultPlan();
  readonly generator: FeedGenerator;
  server?: Server;
  mqtt?: OmsMqttBridge;
  url = '';
  private orderTimer?: NodeJS.Timeout;

  constructor(private readonly options: CloudOmsOptions = {}) {
    this.catalog = groceryCatalog({ count: options.catalogSize ?? 3000 });
    this.db = new OmsDatabase({ file: options.file ?? ':memory:', catalog: this.catalog, seedCatalog: options.seedCatalog, rejectUnknownSkus: options.rejectUnknownSkus });
    this.generator = new FeedGenerator(this.catalog);
    if (options.faults) this.faults.set(options.faults);
  }

  async start(): Promise<void> {
    const server = createOmsHttpServer(this, { tls: this.options.tls, clockOffsetMs: this.options.clockOffsetMs });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    this.url = `${this.options.tls ? 'https' : 'http'}://${this.options.host ?? '127.0.0.1'}:${port}`;
    if (this.options.mqtt) {
      this.mqtt = new OmsMqttBridge(this, this.options.mqtt);
      await this.mqtt.start();
    }
    if (this.options.orderIntervalMs) {
      this.orderTimer = setInterval(() => {
        for (const store of this.stores()) this.releaseOrders(store, 1);
      }, this.options.orderIntervalMs);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.orderTimer);
    await this.mqtt?.stop();
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise((r) => this.server!.close(r));
    }
    this.db.close();
  }

  authorized(store: string, header: string | undefined): boolean {
    const expected = this.options.tokens?.[store] ?? this.options.tokens?.['*'];
    return expected === undefined || header === `Bearer ${expected}`;
  }

  stores(): string[] {
    return (this.db.db.prepare('SELECT store FROM stores').all() as Array<{ store: string }>).map((r) => r.store);
  }

  /** Puts `count` new orders into a store's feed; returns their ids. */
  releaseOrders(store: string, count: number): string[] {
    this.db.ensureStore(store);
    return Array.from({ length: count }, () => {
      const order = this.generator.order(store);
      this.db.addFeedItem(store, 'order.released', order, `${order.orderId}-released`);
      return order.orderId;
    });
  }

  cancelOrder(store: string, orderId: string, reason = 'customer cancelled'): void {
    this.db.addFeedItem(store, 'order.cancelled', { orderId, reason }, `${orderId}-cancelled`);
  }

  /** Puts an ASN into a store's feed: the one given (a test's or a demo's), else a generated one. */
  sendAsn(store: string, given?: { asn: string; supplier?: string; expectedAt?: string; lines: Array<{ sku: string; qty: number; lot?: string; expiry?: string }> }): string {
    const asn = given ?? this.generator.asn(store);
    this.db.addFeedItem(store, 'asn.received', asn, asn.asn);
    return asn.asn;
  }

  snapshot(store: string, request: SnapshotRequest): { status: number; body: unknown } {
    const drift = this.db.compare(store, request);
    if (drift === undefined) {
      const ackSeq = this.db.maxSeq(store);
      return { status: 409, body: { error: 'behind', message: `the OMS holds events through seq ${ackSeq}, the snapshot reflects seq ${request.asOfSeq}; push first`, ackSeq } };
    }
    return { status: 200, body: { asOfSeq: request.asOfSeq, rows: request.stock.length, drift } };
  }

  /** `/_sim/...` routes: the same controls as the methods above, for a simulator run from a shell. */
  admin(method: string, path: string, body: unknown): [number, unknown] {
    const b = (body ?? {}) as Record<string, unknown>;
    if (method === 'POST' && path === '/_sim/faults') {
      this.faults.set(b as FaultSettings);
      for (const [kind, n] of Object.entries((b.next ?? {}) as Record<string, number>)) if ((faultKinds as readonly string[]).includes(kind)) this.faults.injectNext(kind as FaultKind, n);
      return [200, { settings: this.faults.settings, injected: this.faults.injected }];
    }
    if (method === 'GET' && path === '/_sim/faults') return [200, { settings: this.faults.settings, injected: this.faults.injected }];
    const m = /^\/_sim\/stores\/([^/]+)\/(events|orders|asns|orders\/([^/]+)\/cancel)$/.exec(path);
    if (m) {
      const store = decodeURIComponent(m[1]!);
      if (method === 'GET' && m[2] === 'events') return [200, { count: this.db.heldCount(store), maxSeq: this.db.maxSeq(store) }];
      if (method === 'POST' && m[2] === 'orders') return [200, { released: this.releaseOrders(store, Number(b.count ?? 1)) }];
      if (method === 'POST' && m[2] === 'asns') {
        if (b.lines !== undefined && (typeof b.asn !== 'string' || !Array.isArray(b.lines))) return [400, { error: 'bad_request', message: 'an ASN body is {asn, supplier?, lines: [{sku, qty, lot?, expiry?}]}; send no body for a generated one' }];
        return [200, { asn: this.sendAsn(store, b.lines ? (b as unknown as Parameters<CloudOms['sendAsn']>[1]) : undefined) }];
      }
      if (method === 'POST' && m[3]) {
        this.cancelOrder(store, decodeURIComponent(m[3]));
        return [200, { cancelled: m[3] }];
      }
    }
    return [404, { error: 'not_found', message: `no simulator route ${method} ${path}` }];
  }
}

export async function startCloudOms(options: CloudOmsOptions = {}): Promise<CloudOms> {
  const oms = new CloudOms(options);
  await oms.start();
  return oms;
}
