import { z } from 'zod';
import type { EventLog } from '../../log/eventLog.ts';
import { ApiError, type ApiRouter } from '../apiRouter.ts';
import type { StoreReadModel } from '../storeReadModel.ts';
import { paging } from './paging.ts';

/**
 * Stock by sku, bin and lot; adjustments and counts made by people, each recorded as an event
 * with who made it (`source.actor`) and why.
 */
export function addStockRoutes(router: ApiRouter, log: EventLog, read: StoreReadModel): void {
  router.add({
    method: 'GET',
    path: '/api/v1/stock',
    role: 'viewer',
    tag: 'stock',
    summary: 'Stock per sku, bin and lot, with expiry',
    query: z.object({ sku: z.string().optional(), bin: z.string().optional(), lot: z.string().optional(), nonZero: z.stringbool().optional(), ...paging }).strict(),
    handler: ({ query }) => read.stock(query),
  });

  router.add({
    method: 'POST',
    path: '/api/v1/stock/adjustments',
    role: 'operator',
    tag: 'stock',
    summary: 'Adjust stock by a delta with a reason (recorded as stock.adjusted)',
    body: z
      .object({
        sku: z.string().min(1),
        bin: z.string().min(1),
        lot: z.string().optional(),
        delta: z.number().int().refine((d) => d !== 0, 'a delta of 0 changes nothing'),
        reason: z.string().min(3, 'say why, in a few words'),
      })
      .strict(),
    handler: async ({ body, principal }) => {
      const { event } = await log.append({ type: 'stock.adjusted', data: body, source: { actor: principal.name, origin: 'admin-api' } });
      return { event, qty: read.stockQty(body.sku, body.bin, body.lot ?? '') };
    },
  });

  router.add({
    method: 'POST',
    path: '/api/v1/stock/counts',
    role: 'operator',
    tag: 'stock',
    summary: 'Record a count of a bin (stock.counted with the variance against the projection)',
    body: z.object({ sku: z.string().min(1), bin: z.string().min(1), lot: z.string().optional(), counted: z.number().int().min(0) }).strict(),
    handler: async ({ body, principal }) => {
      const expected = read.stockQty(body.sku, body.bin, body.lot ?? '');
      if (!Number.isFinite(expected)) throw new ApiError(500, 'stock projection unreadable');
      const { event } = await log.append({
        type: 'stock.counted',
        data: { ...body, expected, delta: body.counted - expected },
        source: { actor: principal.name, origin: 'admin-api' },
      });
      return { event, variance: body.counted - expected };
    },
  });
}
