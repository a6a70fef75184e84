/**
 * Event ids are UUID version 7 (RFC 9562): a millisecond timestamp then random bits. Ids made
 * later sort later, so the log's unique index on id grows at its end instead of at random
 * pages: random v4 ids made appends about twice as slow (bench/append.ts).
 */
import { randomFillSync } from 'node:crypto';

const pool = new Uint8Array(16 * 256);
let poolOffset = pool.length;

export function newEventId(now = Date.now()): string {
  if (poolOffset + 16 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const b = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  const time = hex(now, 12);
  const byte = (i: number) => hex(b[i]!, 2);
  const version = hex(0x7000 | (((b[0]! << 8) | b[1]!) & 0x0fff), 4);
  const variant = hex(0x8000 | (((b[2]! << 8) | b[3]!) & 0x3fff), 4);
  return `${time.slice(0, 8)}-${time.slice(8)}-${version}-${variant}-${byte(4)}${byte(5)}${byte(6)}${byte(7)}${byte(8)}${byte(9)}`;
}
