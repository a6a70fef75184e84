import { readFileSync } from 'node:fs';
import { hashSecret } from '../broker/deviceSecrets.ts';
import type { CliCommand } from './main.ts';

export const hashSecretCommand: CliCommand = {
  name: 'hash-secret',
  summary: 'Print the scrypt hash of a device secret for the config\'s secretHash (reads stdin without an argument)',
  usage: 'hash-secret [SECRET]   (or: echo -n SECRET | darkstore-gateway hash-secret)',
  async run(argv) {
    const secret = argv[0] ?? readFileSync(0, 'utf8').replace(/\r?\n$/, '');
    if (secret.length < 8) throw new Error('a device secret needs at least 8 characters');
    console.log(await hashSecret(secret));
    return 0;
  },
};
