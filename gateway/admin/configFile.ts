/**
 * Changes to the config file made from the console or API: applied to the YAML document (so
 * comments and `${ENV}` references survive), validated with the same schema and cross-checks
 * as at start, and only then written atomically: a temp file beside it, fsync, a backup of the
 * previous version (`FILE.bak`), rename. A change that does not validate writes nothing.
 *
 * @example
 *   const file = new ConfigFile('data/store.yaml');
 *   const next = await file.update((doc) => doc.addIn(['devices'], { id: 'scanner-9', class: 'scanner', transport: { type: 'mqtt' } }));
 */
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { loadConfigText } from '../../config/loadConfig.ts';
import type { GatewayConfig } from '../../config/schema.ts';

export class ConfigFile {
  /** Serialises updates: two admins saving at once never interleave. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {}

  /** Applies `change` to the document, validates, writes; resolves with the new config. */
  update(change: (doc: Document) => void): Promise<GatewayConfig> {
    const run = this.queue.then(() => this.updateNow(change));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private updateNow(change: (doc: Document) => void): GatewayConfig {
    const before = readFileSync(this.path, 'utf8');
    const doc = parseDocument(before);
    change(doc);
    const after = doc.toString({ lineWidth: 0 });
    // Throws ConfigError (with positions in the would-be file) before anything is written.
    const config = loadConfigText(after, basename(this.path), { env: this.env });
    writeAtomically(this.path, after, before);
    return config;
  }
}

function writeAtomically(path: string, text: string, previous: string): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (previous.length > 0 && existsSync(path)) copyFileSync(path, `${path}.bak`);
  renameSync(temp, path);
  // fsync the folder so the rename itself survives a power cut.
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
