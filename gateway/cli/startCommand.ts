import { loadConfigFile } from '../../config/loadConfig.ts';
import { ConfigFile } from '../admin/configFile.ts';
import { demoWorkingCopy, resolveConfigFile } from './configSource.ts';
import { stopOnSignal } from './stopOnSignal.ts';
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

    return stopOnSignal({
      stop: () => gateway.stop(),
      announce: (signal) => `${signal}: stopping (log closed last)...`,
      watchdogMs: 5000,
      watchdogMessage: 'stop took longer than 5 s; exiting anyway (the event log is safe: every acknowledged event was committed).',
    });
  },
};
