/**
 * Test harness for drivers: a registry with a recording sink and logger, devices parsed with
 * the real config schema, and everything stopped after each test.
 */
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { configSchema, type DeviceConfig } from '../../config/schema.ts';
import type { DeviceLogger, DriverEvent } from '../../devices/driver.ts';
import { DeviceRegistry, type DeviceRegistryOptions } from '../../devices/registry.ts';

export interface Recorded {
  events: Array<{ deviceId: string; event: DriverEvent }>;
  status: Array<{ deviceId: string; online: boolean; reason?: string }>;
  logs: Array<{ level: string; msg: string; obj: Record<string, unknown> }>;
}

export function recordingLogger(into: Recorded['logs']): DeviceLogger {
  const at = (level: string) => (obj: object, msg: string) => into.push({ level, msg, obj: obj as Record<string, unknown> });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Parses devices as the gateway would (defaults filled in). */
export function parseConfig(devices: unknown[], barcodes: Record<string, unknown> = {}) {
  return configSchema.parse({ store: { id: 'test-store' }, devices, barcodes });
}

/** A unique pty link name in the temp folder. */
export function ptyLink(name: string): string {
  return join(tmpdir(), `dsgw-${name}-${randomUUID().slice(0, 8)}`);
}

export function useRegistry() {
  const running: DeviceRegistry[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const r of running.splice(0)) await r.stop();
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return {
    /** Registers something to stop after the test (simulators). */
    cleanup(fn: () => Promise<void> | void): void {
      cleanups.push(fn);
    },
    async start(devices: unknown[], options: Partial<DeviceRegistryOptions> & { barcodes?: Record<string, unknown> } = {}) {
      const recorded: Recorded = { events: [], status: [], logs: [] };
      const config = parseConfig(devices, options.barcodes);
      const registry = new DeviceRegistry({
        config,
        sink: {
          event: (deviceId, event) => recorded.events.push({ deviceId, event }),
          status: (deviceId, online, reason) => recorded.status.push({ deviceId, online, reason }),
        },
        logger: recordingLogger(recorded.logs),
        ...options,
      });
      running.push(registry);
      await registry.start();
      return { registry, recorded, config };
    },
  };
}

export type { DeviceConfig };
