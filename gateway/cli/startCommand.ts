import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadConfigFile } from '../../config/loadConfig.ts';
import { ConfigFile } from '../admin/configFile.ts';
import { resolveConfigFile } from './configSource.ts';
import { Gateway } from '../core/gateway.ts';
import { parseOptions } from './parseOptions.ts';
import type { CliCommand } from './main.ts';

const usage = 'start [--config FILE]';

export const startCommand: CliCommand = {
  name: 'start',
  summary: 'Run the gateway (with no config: the built-in demo config, broker on 1884, HTTP on 8080)',
  usage,
  async run(argv) {
    const { values } = parseOptions(argv, { config: { type: 'string', short: 'c' } }, usage);
    const { file, isDemo } = resolveConfigFile(values.config);
    // The demo's changes made in the console go to a copy in the data folder, never to the repo.
    const configPath = isDemo ? demoWorkingCopy(file) : file;
    if (isDemo) console.log(`No --config or DSGW_CONFIG given: running the demo config (${configPath}, a copy of ${file}).`);
    const config = loadConfigFile(configPath);
    const gateway = new Gateway({ config, configSource: configPath, configFile: new ConfigFile(configPath) });
    try {
      await gateway.start();
    } catch (err) {
      console.error(`darkstore-gateway could not start: ${(err as Error).message}`);
      return 1;
    }
    console.log(gateway.describe().join('\n'));
    console.log('Press Ctrl-C to stop.');

    return new Promise<number>((resolve) => {
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) {
          console.error(`${signal} again: exiting now without a clean stop.`);
          process.exit(130);
        }
        stopping = true;
        console.log(`${signal}: stopping (log closed last)...`);
        const watchdog = setTimeout(() => {
          console.error('stop took longer than 5 s; exiting anyway (the event log is safe: every acknowledged event was committed).');
          process.exit(1);
        }, 5000);
        watchdog.unref();
        await gateway.stop();
        console.log('stopped.');
        resolve(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
  },
};

/** `./data/store.yaml`, created from the demo config on first start and kept from then on. */
function demoWorkingCopy(demoFile: string): string {
  const dataDir = loadConfigFile(demoFile).dataDir;
  const copy = join(resolve(dataDir), 'store.yaml');
  if (!existsSync(copy)) {
    mkdirSync(dirname(copy), { recursive: true });
    copyFileSync(demoFile, copy);
  }
  return copy;
}
