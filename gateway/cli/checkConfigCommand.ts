import { ConfigError } from '../../config/configError.ts';
import { loadConfigFile } from '../../config/loadConfig.ts';
import type { CliCommand } from './main.ts';

export const checkConfigCommand: CliCommand = {
  name: 'check-config',
  summary: 'Validate a config file; prints every problem with file:line:col (exit 1), or a summary (exit 0)',
  usage: 'check-config FILE',
  async run(argv) {
    const file = argv[0];
    if (!file || argv.length > 1) throw new Error(`give one config file\nUsage: darkstore-gateway ${this.usage}`);
    try {
      const c = loadConfigFile(file);
      console.log(
        `${file}: OK. Store "${c.store.id}": ${c.devices.length} devices, ${c.stations.length} stations, ` +
          `${c.layout.bins.length} bins, broker ${c.broker.mode}, durability ${c.durability}`,
      );
      return 0;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const p of err.problems) console.error(`${file}:${p.line}:${p.column} ${p.path ? `${p.path}: ` : ''}${p.message}`);
      console.error(`${err.problems.length} problem${err.problems.length === 1 ? '' : 's'} in ${file}`);
      return 1;
    }
  },
};
