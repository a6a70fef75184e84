/**
 * Event ids are UUID version 7 (RFC 9562): a millisecond timestamp then random bits. Ids made
 * later sort later, so the log's unique index on id grows at its end instead of at random
 * pages: random v4 ids made appends about twice as slow (bench/append.ts).
 */
import { randomFillSync } from 'node:crypto';

const pool = new Uint8Array(16 * 256);
const hexDigits = '0123456789abcdef';
const hexBytes = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
let poolOffset = pool.length;

export function newEventId(now = Date.now()): string {
  if (poolOffset + 16 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const b = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  const [b0, b1, b2, b3] = [b[0]!, b[1]!, b[2]!, b[3]!];
  const time = now.toString(16).padStart(12, '0');
  // Version 7 in the first nibble of the third group, variant 10xx in the fourth.
  const version = `7${hexDigits[b0 & 0x0f]}${hexBytes[b1]}`;
  const variant = `${hexDigits[0x8 | ((b2 >> 4) & 0x3)]}${hexDigits[b2 & 0x0f]}${hexBytes[b3]}`;
  return `${time.slice(0, 8)}-${time.slice(8)}-${version}-${variant}-${hexBytes[b[4]!]}${hexBytes[b[5]!]}${hexBytes[b[6]!]}${hexBytes[b[7]!]}${hexBytes[b[8]!]}${hexBytes[b[9]!]}`;
}
