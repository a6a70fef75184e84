import type { Document } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../../config/configError.ts';
import { deviceSchema, type DeviceConfig, type GatewayConfig } from '../../../config/schema.ts';
import { hashSecret } from '../../broker/deviceSecrets.ts';
import { ApiError, type ApiRouter } from '../apiRouter.ts';
import type { ConfigFile } from '../configFile.ts';

export interface ConfigChanges {
  file: ConfigFile;
  /** Puts the written config in force (only what changed restarts) and records who changed it. */
  apply: (next: GatewayConfig, change: { by: string; summary: string }) => Promise<void>;
}

export interface DeviceRoutesDeps {
  config: () => GatewayConfig;
  changes?: ConfigChanges;
  /** Live health of a device, as far as the gateway knows it. */
  health: (deviceId: string) => Record<string, unknown>;
}

// A device as in the config; a plain secret is stored only as its scrypt hash.
const deviceInput = deviceSchema;

/** Devices: list with live health; add, edit, remove (admin), written to the config file and applied live. */
export function addDeviceRoutes(router: ApiRouter, deps: DeviceRoutesDeps): void {
  const redact = (d: GatewayConfig['devices'][number]) => {
    const { secret: _s, secretHash, ...rest } = d;
    return { ...rest, hasSecret: Boolean(_s || secretHash), health: deps.health(d.id) };
  };

  router.add({
    method: 'GET',
    path: '/api/v1/devices',
    role: 'viewer',
    tag: 'devices',
    summary: 'Devices from the config with their live health (online, last seen, errors)',
    handler: () => ({ devices: deps.config().devices.map(redact) }),
  });

  const change = async (by: string, summary: string, edit: (doc: Document) => void) => {
    if (!deps.changes) throw new ApiError(409, 'this gateway runs without a writable config file; start it with --config FILE to change devices from the console');
    try {
      const next = await deps.changes.file.update(edit);
      await deps.changes.apply(next, { by, summary });
      return next;
    } catch (err) {
      if (err instanceof ConfigError) {
        const details = err.problems.map((p) => ({ field: p.path, reason: p.message }));
        throw new ApiError(400, `the change would make the config invalid, nothing was written: ${details.map((d) => `${d.field}: ${d.reason}`).join('; ')}`, details);
      }
      throw err;
    }
  };
  const stored = async (input: DeviceConfig) => {
    // The file gets the hash, never the password.
    const { secret, ...rest } = input;
    const plain = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    return secret ? { ...plain, secretHash: await hashSecret(secret) } : plain;
  };
  const indexOf = (id: string) => {
    const index = deps.config().devices.findIndex((d) => d.id === id);
    if (index < 0) throw new ApiError(404, `no device "${id}" in the config`);
    return index;
  };

  router.add({
    method: 'POST',
    path: '/api/v1/devices',
    role: 'admin',
    tag: 'devices',
    summary: 'Add a device (written to the config file, applied live)',
    body: deviceInput,
    handler: async ({ body, principal }) => {
      if (deps.config().devices.some((d) => d.id === body.id)) throw new ApiError(409, `device "${body.id}" already exists; edit it with PUT /api/v1/devices/${body.id}`);
      const entry = await stored(body);
      const next = await change(principal.name, `device ${body.id} added`, (doc) => {
        if (!doc.has('devices')) doc.set('devices', doc.createNode([] as unknown[]));
        doc.addIn(['devices'], doc.createNode(entry, { flow: true }));
      });
      return { device: redact(next.devices.find((d) => d.id === body.id)!) };
    },
  });

  router.add({
    method: 'PUT',
    path: '/api/v1/devices/:deviceId',
    role: 'admin',
    tag: 'devices',
    summary: 'Replace a device\'s settings (written to the config file, applied live)',
    params: z.object({ deviceId: z.string() }),
    body: deviceInput,
    handler: async ({ params, body, principal }) => {
      const index = indexOf(params.deviceId);
      if (body.id !== params.deviceId) throw new ApiError(400, `body.id "${body.id}" differs from the path's "${params.deviceId}"; a device is renamed by removing and adding it`);
      const old = deps.config().devices[index]!;
      const entry = await stored(body);
      // Keep the stored secret when the edit does not give a new one.
      const merged = !body.secret && !body.secretHash && old.secretHash ? { ...entry, secretHash: old.secretHash } : entry;
      const next = await change(principal.name, `device ${body.id} changed`, (doc) => doc.setIn(['devices', index], doc.createNode(merged, { flow: true })));
      return { device: redact(next.devices.find((d) => d.id === body.id)!) };
    },
  });

  router.add({
    method: 'DELETE',
    path: '/api/v1/devices/:deviceId',
    role: 'admin',
    tag: 'devices',
    summary: 'Remove a device; refused while a station or bin still uses it',
    params: z.object({ deviceId: z.string() }),
    handler: async ({ params, principal }) => {
      const index = indexOf(params.deviceId);
      await change(principal.name, `device ${params.deviceId} removed`, (doc) => doc.deleteIn(['devices', index]));
      return { removed: params.deviceId };
    },
  });
}
