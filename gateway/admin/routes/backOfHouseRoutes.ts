import { z } from 'zod';
import type { GatewayConfig } from '../../../config/schema.ts';
import type { EventLog } from '../../log/eventLog.ts';
import { asnClosedData, type AsnProgress } from '../../workflows/asnReceiving.ts';
import { BackOfHouseLedger } from '../../workflows/backOfHouseLedger.ts';
import { countTaskEvents, countTasksFor } from '../../workflows/taskScheduler.ts';
import { ApiError, type ApiRouter } from '../apiRouter.ts';
import { paging } from './paging.ts';

/**
 * ASNs with their receiving progress, and back-of-house tasks: list what is open, close an ASN
 * from the office, create a count of a bin. Each change is an event with who made it.
 */
export function addBackOfHouseRoutes(router: ApiRouter, log: EventLog, config: () => GatewayConfig): void {
  const ledger = new BackOfHouseLedger(log, () => config().layout.bins);
  const nameOf = log.db.prepare('SELECT name FROM catalog WHERE sku = ?');
  const describe = (a: AsnProgress) => ({
    ...a,
    expected: a.lines.reduce((n, l) => n + l.expected, 0),
    received: a.lines.reduce((n, l) => n + l.received, 0),
    lines: a.lines.map((l) => ({ ...l, name: (nameOf.get(l.sku) as { name: string } | undefined)?.name ?? null })),
  });

  router.add({
    method: 'GET',
    path: '/api/v1/asns',
    role: 'viewer',
    tag: 'receiving',
    summary: 'ASNs from the OMS with units expected and received per SKU (open ones by default), oldest first',
    query: z.object({ status: z.enum(['open', 'closed', 'all']).default('open'), ...paging }).strict(),
    handler: ({ query }) => {
      const all = ledger.asns(query.status);
      return { rows: all.slice(query.offset, query.offset + query.limit).map(describe), total: all.length };
    },
  });

  router.add({
    method: 'GET',
    path: '/api/v1/asns/:asn',
    role: 'viewer',
    tag: 'receiving',
    summary: 'One ASN with its progress',
    params: z.object({ asn: z.string().min(1) }),
    handler: ({ params }) => describe(found(ledger.asn(params.asn), params.asn)),
  });

  router.add({
    method: 'POST',
    path: '/api/v1/asns/:asn/close',
    role: 'operator',
    tag: 'receiving',
    summary: 'Close an ASN with what was received (asn.closed with the discrepancies, pushed to the OMS)',
    params: z.object({ asn: z.string().min(1) }),
    handler: async ({ params, principal }) => {
      const progress = found(ledger.asn(params.asn), params.asn);
      if (progress.status === 'closed') throw new ApiError(409, `ASN "${params.asn}" is already closed`);
      const data = asnClosedData(progress);
      const { event } = await log.append({ type: 'asn.closed', data, source: { actor: principal.name, origin: 'admin-api' } });
      return { event, discrepancies: data.discrepancies };
    },
  });

  router.add({
    method: 'GET',
    path: '/api/v1/tasks',
    role: 'viewer',
    tag: 'tasks',
    summary: 'Open back-of-house tasks (count, replenish, putaway), oldest first',
    query: z.object({ kind: z.enum(['count', 'replenish', 'putaway']).optional(), ...paging }).strict(),
    handler: ({ query }) => {
      const all = ledger.openTasks(query.kind);
      return { rows: all.slice(query.offset, query.offset + query.limit), total: all.length };
    },
  });

  router.add({
    method: 'POST',
    path: '/api/v1/tasks/counts',
    role: 'operator',
    tag: 'tasks',
    summary: 'Create a count of a bin (every SKU it holds, or the one named), worked at a receiving station',
    body: z.object({ bin: z.string().min(1), sku: z.string().min(1).optional(), reason: z.string().min(3).optional() }).strict(),
    handler: async ({ body, principal, reply }) => {
      const stock = log.db.prepare('SELECT sku, bin, qty FROM stock WHERE bin = ? AND qty != 0').all(body.bin) as Array<{ sku: string; bin: string; qty: number }>;
      const request = countTasksFor(body, stock, ledger.openTasks('count'), config().layout.bins);
      if (!request.ok) throw new ApiError(request.status, request.message);
      const events = countTaskEvents([{ bin: body.bin, skus: request.skus }], body.reason ?? 'count on demand', { actor: principal.name, origin: 'admin-api' });
      const results = await log.appendAll(events);
      reply.code(201);
      return { tasks: results.map((r) => r.event.data) };
    },
  });
}

function found(progress: AsnProgress | undefined, asn: string): AsnProgress {
  if (!progress) throw new ApiError(404, `no ASN "${asn}" from the OMS in this store's log; GET /api/v1/asns?status=all lists them`);
  return progress;
}
