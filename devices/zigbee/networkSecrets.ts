/**
 * The Zigbee network key and extended PAN id: generated at random on first start and kept in
 * the data folder (mode 0600), never in the config file or the logs. Whoever holds the key can
 * read and forge every frame on the store's network, so it must not travel with a config that
 * is mailed around or checked into git; and it must survive restarts, or every device would
 * have to pair again.
 *
 * @example
 *   const secrets = loadOrCreateNetworkSecrets('./data', logger);
 *   // { networkKey: [16 bytes], extendedPanId: [8 bytes], file: 'data/zigbee/network.json', created: true }
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DeviceLogger } from '../driver.ts';

export interface NetworkSecrets {
  networkKey: number[];
  extendedPanId: number[];
  /** Where they are kept. */
  file: string;
  /** True when this start generated them (a new network). */
  created: boolean;
}

/** The folder of everything Zigbee keeps: secrets, herdsman's device database, the coordinator backup. */
export function zigbeeDataDir(dataDir: string): string {
  return join(resolve(dataDir), 'zigbee');
}

export function loadOrCreateNetworkSecrets(dataDir: string, logger: DeviceLogger): NetworkSecrets {
  const dir = zigbeeDataDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // herdsman writes its coordinator backup (which holds the key too) with default permissions;
  // a folder only the gateway user can enter keeps that file private as well.
  chmodSync(dir, 0o700);
  const file = join(dir, 'network.json');
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) {
      // Someone copied the folder with loose permissions; tighten rather than refuse to start.
      chmodSync(file, 0o600);
      logger.warn({ component: 'zigbee', file, mode: mode.toString(8) }, `${file} was readable by others (mode ${mode.toString(8)}); set it to 600`);
    }
    return { ...parseSecrets(file, readFileSync(file, 'utf8')), file, created: false };
  }
  const networkKey = [...randomBytes(16)];
  const extendedPanId = [...randomBytes(8)];
  writeFileSync(file, `${JSON.stringify({ networkKey: hex(networkKey), extendedPanId: hex(extendedPanId) }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  logger.info({ component: 'zigbee', file }, `generated a new Zigbee network key in ${file} (keep this file: without it every device must pair again)`);
  return { networkKey, extendedPanId, file, created: true };
}

function parseSecrets(file: string, text: string): Pick<NetworkSecrets, 'networkKey' | 'extendedPanId'> {
  const fail = (why: string) =>
    new Error(`${file}: ${why}; restore it from a backup, or delete it to start a new Zigbee network (every device must then pair again)`);
  let json: { networkKey?: unknown; extendedPanId?: unknown };
  try {
    json = JSON.parse(text) as typeof json;
  } catch (err) {
    throw fail(`not JSON (${(err as Error).message})`);
  }
  const bytes = (value: unknown, length: number, name: string): number[] => {
    if (typeof value !== 'string' || !new RegExp(`^[0-9a-f]{${length * 2}}$`).test(value)) throw fail(`"${name}" is not ${length} bytes of hex`);
    return [...Buffer.from(value, 'hex')];
  };
  return { networkKey: bytes(json.networkKey, 16, 'networkKey'), extendedPanId: bytes(json.extendedPanId, 8, 'extendedPanId') };
}

function hex(bytes: number[]): string {
  return Buffer.from(bytes).toString('hex');
}
