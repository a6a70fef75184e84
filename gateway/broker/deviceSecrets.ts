/**
 * Device secrets are kept only as scrypt hashes (`scrypt$salt$hash`, hex), compared in
 * constant time. `darkstore-gateway hash-secret` prints one for the config's `secretHash`.
 *
 * @example
 *   const hash = await hashSecret('s3cret-scanner-1');
 *   await verifySecret('s3cret-scanner-1', hash); // true
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const keyLength = 32;

function scryptAsync(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, keyLength, { N: 16384, r: 8, p: 1 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('hex')}$${(await scryptAsync(secret, salt)).toString('hex')}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, saltHex, hashHex] = stored.split('$');
  if (scheme !== 'scrypt' || !saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = await scryptAsync(secret, Buffer.from(saltHex, 'hex'));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
