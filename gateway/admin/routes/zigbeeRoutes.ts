import { z } from 'zod';
import type { ZigbeeCoordinator } from '../../../devices/zigbee/zigbeeCoordinator.ts';
import { ApiError, type ApiRouter } from '../apiRouter.ts';

/**
 * Zigbee for the console and the CLI: the coordinator's state, paired devices and the pairing
 * report; permit join for N seconds.
 *
 * @example
 *   curl -X POST -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \
 *     -d '{"seconds":120}' http://127.0.0.1:8080/api/v1/zigbee/permit-join
 */
export function addZigbeeRoutes(router: ApiRouter, coordinator: () => ZigbeeCoordinator | undefined): void {
  const need = () => {
    const c = coordinator();
    if (!c) throw new ApiError(409, 'Zigbee is off: add a zigbee section (adapter, serial) to the config; see docs/zigbee.md');
    return c;
  };
  router.add({
    method: 'GET',
    path: '/api/v1/zigbee',
    role: 'viewer',
    tag: 'zigbee',
    summary: 'Zigbee coordinator state, paired devices (model, power, link quality, bound device id) and the pairing report',
    handler: () => need().status(),
  });
  router.add({
    method: 'POST',
    path: '/api/v1/zigbee/permit-join',
    role: 'admin',
    tag: 'zigbee',
    summary: 'Open the Zigbee network for pairing for N seconds (0 closes it); joined devices appear in GET /api/v1/zigbee',
    body: z.object({ seconds: z.number().int().min(0).max(254).describe('how long new devices may join (Zigbee allows at most 254)') }).strict(),
    handler: async ({ body }) => {
      try {
        return await need().permitJoin(body.seconds);
      } catch (err) {
        if (err instanceof ApiError) throw err;
        throw new ApiError(409, (err as Error).message);
      }
    },
  });
}
