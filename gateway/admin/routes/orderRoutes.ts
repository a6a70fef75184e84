import { z } from 'zod';
import { ApiError, type ApiRouter } from '../apiRouter.ts';
import type { StoreReadModel } from '../storeReadModel.ts';
import { paging } from './paging.ts';

export function addOrderRoutes(router: ApiRouter, read: StoreReadModel): void {
  router.add({
    method: 'GET',
    path: '/api/v1/orders',
    role: 'viewer',
    tag: 'orders',
    summary: 'Orders with their progress (units picked and short), newest first',
    query: z.object({ status: z.enum(['released', 'picking', 'picked', 'packed', 'dispatched', 'cancelled']).optional(), ...paging }).strict(),
    handler: ({ query }) => read.orders(query),
  });
  router.add({
    method: 'GET',
    path: '/api/v1/orders/:orderId',
    role: 'viewer',
    tag: 'orders',
    summary: 'One order with its lines',
    params: z.object({ orderId: z.string().min(1) }),
    handler: ({ params }) => {
      const order = read.order(params.orderId);
      if (!order) throw new ApiError(404, `no order "${params.orderId}" in this store's replica`);
      return order;
    },
  });
  router.add({
    method: 'GET',
    path: '/api/v1/catalog',
    role: 'viewer',
    tag: 'catalog',
    summary: 'Catalog items with their GTINs; q= searches sku, name and GTIN',
    query: z.object({ q: z.string().optional(), ...paging }).strict(),
    handler: ({ query }) => read.catalog(query),
  });
}
