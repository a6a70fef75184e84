/**
 * `darkstore-gateway` command: one subcommand per file in this folder.
 *
 * @example
 *   npx darkstore-gateway --help
 *   npx darkstore-gateway check-config config/examples/store.yaml
 */
import { ConfigError } from '../../config/configError.ts';
import { gatewayVersion } from '../core/version.ts';
import { accuracyCommand } from './accuracyCommand.ts';
import { barcodeCli } from './barcodeCommand.ts';
import { checkConfigCommand } from './checkConfigCommand.ts';
import { deviceCommand } from './deviceCommand.ts';
import { hashSecretCommand } from './hashSecretCommand.ts';
import { hashTokenCommand } from './hashTokenCommand.ts';
import { logCommand } from './logCommand.ts';
import { rebuildCommand } from './rebuildCommand.ts';
import { startCommand } from './startCommand.ts';
import { syncCommand } from './syncCommand.ts';
import { zigbeeCommand } from './zigbeeCommand.ts';

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

const commands: CliCommand[] = [startCommand, checkConfigCommand, logCommand, rebuildCommand, accuracyCommand, syncCommand, deviceCommand, zigbeeCommand, hashSecretCommand, hashTokenCommand, barcodeCli];

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `darkstore-gateway ${gatewayVersion}: the edge gateway of a dark store`,
    '',
    'Usage: darkstore-gateway <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    '  demo          the living demo store: gateway, simulated OMS, devices and staff (what npm start runs)',
    '  simulate      a simulated shift, headless and measured (docs/simulation.md)',
    '',
    'Run "darkstore-gateway <command> --help" for the options of a command.',
    'The config comes from --config FILE, else $DSGW_CONFIG, else the built-in demo config.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(overview());
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v') {
    console.log(gatewayVersion);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`darkstore-gateway: unknown command "${name}"\n\n${overview()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${command.summary}\n\nUsage: darkstore-gateway ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`config is not valid:\n${err.message}`);
      return 1;
    }
    console.error(`darkstore-gateway ${name}: ${(err as Error).message}`);
    return 1;
  }
}
