import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hashToken } from '../admin/apiAuth.ts';
import type { CliCommand } from './main.ts';

export const hashTokenCommand: CliCommand = {
  name: 'hash-token',
  summary: 'Make an admin API token and print it with its hash for http.tokens[].tokenHash (--stdin hashes one you give)',
  usage: 'hash-token [--stdin]',
  async run(argv) {
    const token = argv.includes('--stdin') ? readFileSync(0, 'utf8').trim() : randomBytes(24).toString('base64url');
    if (token.length < 16) throw new Error('an API token needs at least 16 characters');
    if (!argv.includes('--stdin')) console.log(`token:     ${token}   (give this to its holder; it is not stored)`);
    console.log(`tokenHash: ${hashToken(token)}`);
    return 0;
  },
};
