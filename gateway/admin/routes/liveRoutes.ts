import type { EventBus } from '../../core/eventBus.ts';
import type { ApiRouter } from '../apiRouter.ts';

/**
 * Live updates as server-sent events: every committed log event (`event: log`), device
 * status report (`event: device`) and station screen (`event: station`). A browser opens `new EventSource('/api/v1/live?access_token=...')`.
 */
export function addLiveRoutes(router: ApiRouter, bus: EventBus): void {
  router.add({
    method: 'GET',
    path: '/api/v1/live',
    role: 'viewer',
    tag: 'live',
    summary: 'Server-sent events: committed log events and device status, as they happen',
    handler: ({ reply, request }) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.write(': connected\n\n');
      const owner = {};
      const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      bus.onEventsCommitted(owner, (events) => {
        for (const e of events) send('log', e);
      });
      bus.onDeviceStatus(owner, (change) => send('device', change));
      bus.onStationScreen(owner, (screen) => send('station', screen));
      // A comment every 15 s keeps proxies and tablets from closing an idle stream.
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
      request.raw.on('close', () => {
        clearInterval(keepAlive);
        bus.removeOwner(owner);
      });
      return undefined;
    },
  });
}
