import { z } from 'zod';
import type { GatewayConfig } from '../../../config/schema.ts';
import type { StationScreenUpdate } from '../../core/eventBus.ts';
import { ApiError, type ApiRouter } from '../apiRouter.ts';

export interface DeviceActions {
  /** Lights one bin's light (colour, seconds), then turns it off. Resolves once the command left. */
  lightBin(binId: string, color: string, seconds: number): Promise<void>;
  /** A test action on a device: blink, scan (inject), read, tare, print-test. Resolves with what happened. */
  test(deviceId: string, action: string, args: { data?: string }): Promise<string>;
}

/** Who is asking, the bins and their lights, and the device test buttons of the console. */
export function addLayoutRoutes(router: ApiRouter, config: () => GatewayConfig, actions: DeviceActions, screen: (stationId: string) => StationScreenUpdate | undefined): void {
  router.add({
    method: 'GET',
    path: '/api/v1/me',
    role: 'viewer',
    tag: 'session',
    summary: 'The token\'s holder, role and store',
    handler: ({ principal }) => ({ ...principal, store: config().store.id }),
  });
  router.add({
    method: 'GET',
    path: '/api/v1/stations',
    role: 'viewer',
    tag: 'layout',
    summary: 'Stations with their kind and devices',
    handler: () => ({ stations: config().stations }),
  });
  router.add({
    method: 'GET',
    path: '/api/v1/stations/:stationId/screen',
    role: 'viewer',
    tag: 'layout',
    summary: 'What the station screen shows now (live updates: event "station" on /api/v1/live)',
    params: z.object({ stationId: z.string() }),
    handler: ({ params }) => {
      const station = config().stations.find((s) => s.id === params.stationId);
      if (!station) throw new ApiError(404, `no station "${params.stationId}" in the config`);
      return screen(station.id) ?? { station: station.id, kind: station.kind, phase: 'idle', text: 'Waiting for work' };
    },
  });
  router.add({
    method: 'GET',
    path: '/api/v1/layout/bins',
    role: 'viewer',
    tag: 'layout',
    summary: 'Bins with zone, pick-face min/max and light',
    handler: () => ({ bins: config().layout.bins }),
  });
  router.add({
    method: 'POST',
    path: '/api/v1/layout/bins/:binId/light',
    role: 'operator',
    tag: 'layout',
    summary: 'Light a bin for a few seconds (find it on the shelf, test its light)',
    params: z.object({ binId: z.string() }),
    body: z.object({ color: z.enum(['red', 'green', 'blue', 'yellow', 'white']).default('blue'), seconds: z.number().int().min(1).max(120).default(10) }).strict(),
    handler: async ({ params, body }) => {
      const bin = config().layout.bins.find((b) => b.id === params.binId);
      if (!bin) throw new ApiError(404, `no bin "${params.binId}" in the layout`);
      if (!bin.light) throw new ApiError(409, `bin "${params.binId}" has no light; map one under layout.bins[].light`);
      await actions.lightBin(bin.id, body.color, body.seconds);
      return { lit: bin.id, light: bin.light, seconds: body.seconds };
    },
  });
  router.add({
    method: 'POST',
    path: '/api/v1/devices/:deviceId/test',
    role: 'operator',
    tag: 'devices',
    summary: 'Test a device: blink a light, inject a scan, read or tare a scale, print a test label',
    params: z.object({ deviceId: z.string() }),
    body: z.object({ action: z.enum(['blink', 'scan', 'read', 'tare', 'print-test']), data: z.string().min(1).max(4096).optional() }).strict(),
    handler: async ({ params, body }) => {
      if (!config().devices.some((d) => d.id === params.deviceId)) throw new ApiError(404, `no device "${params.deviceId}" in the config`);
      return { result: await actions.test(params.deviceId, body.action, { data: body.data }) };
    },
  });
}
