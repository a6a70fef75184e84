/**
 * Bearer-token authentication of the admin API with roles (viewer < operator < admin).
 * Tokens are kept as SHA-256 hashes and compared in constant time; failed attempts are
 * counted per client address and, past a limit, refused with 429 for the rest of the window.
 *
 * @example
 *   const auth = new ApiAuth([{ name: 'ana', role: 'admin', token: 'a-long-random-token' }], { logger });
 *   const result = auth.check('Bearer a-long-random-token', '127.0.0.1');
 *   if (result.ok) console.log(result.principal.role); // 'admin'
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { apiTokenSchema } from '../../config/schema.ts';

export type Role = 'viewer' | 'operator' | 'admin';
export type ApiTokenConfig = z.output<typeof apiTokenSchema>;

export interface Principal {
  name: string;
  role: Role;
}

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function roleAllows(held: Role, needed: Role): boolean {
  return rank[held] >= rank[needed];
}

export function hashToken(token: string): string {
  return `sha256$${createHash('sha256').update(token).digest('hex')}`;
}

export type AuthResult =
  | { ok: true; principal: Principal }
  | { ok: false; status: 401 | 429; message: string; retryAfterSeconds?: number };

export interface ApiAuthOptions {
  logger: Logger;
  maxFailures?: number;
  windowMs?: number;
  onFailure?: (reason: string) => void;
}

export class ApiAuth {
  private readonly entries: Array<{ hash: Buffer; principal: Principal }>;
  private readonly failures = new Map<string, { count: number; since: number }>();
  private readonly maxFailures: number;
  private readonly windowMs: number;

  constructor(tokens: ApiTokenConfig[], private readonly options: ApiAuthOptions) {
    this.entries = tokens.map((t) => ({
      hash: Buffer.from((t.tokenHash ?? hashToken(t.token!)).slice('sha256$'.length), 'hex'),
      principal: { name: t.name, role: t.role },
    }));
    this.maxFailures = options.maxFailures ?? 10;
    this.windowMs = options.windowMs ?? 60_000;
  }

  check(authorization: string | undefined, address: string, now = Date.now()): AuthResult {
    const record = this.failures.get(address);
    if (record && now - record.since > this.windowMs) this.failures.delete(address);
    const current = this.failures.get(address);
    if (current && current.count >= this.maxFailures) {
      const retryAfterSeconds = Math.ceil((current.since + this.windowMs - now) / 1000);
      return { ok: false, status: 429, message: `too many failed logins from ${address}; try again in ${retryAfterSeconds} s`, retryAfterSeconds };
    }
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
    if (!token) return this.fail(address, now, 'missing token', 'send "Authorization: Bearer <token>"; tokens are listed under http.tokens in the config');
    const presented = createHash('sha256').update(token).digest();
    // Compare against every entry so the time taken does not tell which token was close.
    let match: Principal | undefined;
    for (const entry of this.entries) if (timingSafeEqual(entry.hash, presented)) match = entry.principal;
    if (!match) return this.fail(address, now, 'unknown token', 'the token is not in http.tokens; ask the store admin for one');
    return { ok: true, principal: match };
  }

  private fail(address: string, now: number, reason: string, hint: string): AuthResult {
    const record = this.failures.get(address) ?? { count: 0, since: now };
    record.count += 1;
    this.failures.set(address, record);
    this.options.onFailure?.(reason);
    this.options.logger.warn({ component: 'admin-api', address, reason, failures: record.count }, 'admin API authentication failed');
    return { ok: false, status: 401, message: `${reason}: ${hint}` };
  }
}
