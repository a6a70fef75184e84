import type { CloudSync } from '../../../cloud-sync/cloudSync.ts';
import { ApiError, type ApiRouter } from '../apiRouter.ts';

/** Cloud sync for the console: status (cursor, backlog, parked, drift), retry parked, snapshot now. */
export function addSyncRoutes(router: ApiRouter, sync: () => CloudSync | undefined): void {
  const need = () => {
    const s = sync();
    if (!s) throw new ApiError(409, 'cloud sync is off: set cloud.url (and cloud.enabled) in the config');
    return s;
  };
  router.add({
    method: 'GET',
    path: '/api/v1/sync',
    role: 'viewer',
    tag: 'sync',
    summary: 'Sync status: push cursor and backlog, last success, parked events and feed items, last drift report',
    handler: () => need().status(),
  });
  router.add({
    method: 'POST',
    path: '/api/v1/sync/retry-parked',
    role: 'operator',
    tag: 'sync',
    summary: 'Retry the events and feed items the OMS refused (after it was fixed)',
    handler: () => need().retryParked(),
  });
  router.add({
    method: 'POST',
    path: '/api/v1/sync/snapshot',
    role: 'operator',
    tag: 'sync',
    summary: 'Send a stock snapshot now; the drift reply appears in the status',
    handler: () => {
      need().requestSnapshot();
      return { requested: true };
    },
  });
}
