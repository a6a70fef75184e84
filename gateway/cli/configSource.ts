/** Which config a command uses: --config FILE, else DSGW_CONFIG, else the built-in demo config. */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from '../../config/loadConfig.ts';
import type { GatewayConfig } from '../../config/schema.ts';
import { eventLogFile } from '../core/gateway.ts';

export const demoConfigFile = fileURLToPath(new URL('../../config/examples/demo.yaml', import.meta.url));

export function resolveConfigFile(flag: string | undefined): { file: string; isDemo: boolean } {
  const file = flag ?? process.env.DSGW_CONFIG;
  return file ? { file, isDemo: false } : { file: demoConfigFile, isDemo: true };
}

export function loadCliConfig(flag: string | undefined): { config: GatewayConfig; file: string; isDemo: boolean } {
  const { file, isDemo } = resolveConfigFile(flag);
  return { config: loadConfigFile(file), file, isDemo };
}

/** The event log file a reading command uses: `--data DIR`, else the config's data folder. */
export function eventLogFileFor(options: { data?: string; config?: string }): string {
  const file = options.data ? join(resolve(options.data), 'gateway.db') : eventLogFile(loadCliConfig(options.config).config);
  if (!existsSync(file)) throw new Error(`no event log at ${file}; start the gateway once, or pass --data DIR / --config FILE`);
  return file;
}

/** The options of every command that reads the event log: `--config FILE` or `--data DIR`. */
export const eventLogOptions = { config: { type: 'string', short: 'c' }, data: { type: 'string' } } as const;

/** `./data/store.yaml`, created from the demo config on first start and kept from then on: the console changes this copy, never the repo. */
export function demoWorkingCopy(demoFile: string = demoConfigFile): string {
  const copy = join(resolve(loadConfigFile(demoFile).dataDir), 'store.yaml');
  if (!existsSync(copy)) {
    mkdirSync(dirname(copy), { recursive: true });
    copyFileSync(demoFile, copy);
  }
  return copy;
}
