/** Option parsing shared by the subcommands: node's parseArgs, with errors that say what to do. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new Error(`${(err as Error).message}\nUsage: darkstore-gateway ${usage}`);
  }
}
