// Many UUIDv7 ids at once, for campaigns that create tens of thousands of emails in one request.
import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Same layout as `newId()` (uuid's v7: 48-bit ms timestamp, 32-bit counter seeded at random, random
 * tail; RFC 9562 section 5.7 with the counter method of 6.2), so the ids sort by creation time and
 * mix with single ids. `newId()` costs ~6 us an id here (one getRandomValues call each); this draws
 * the random bytes for the whole batch at once, ~0.3 us an id.
 */
export function newIds(count: number): string[] {
  const random = Buffer.allocUnsafe(4 + count * 6);
  randomFillSync(random);
  const msecs = Date.now();
  // 31 random bits: at most 2^31 increments before the counter would carry into the timestamp.
  let seq = random.readUInt32BE(0) & 0x7fffffff;
  const time =
    HEX[(msecs / 0x10000000000) & 0xff]! + HEX[(msecs / 0x100000000) & 0xff] + HEX[(msecs / 0x1000000) & 0xff] + HEX[(msecs / 0x10000) & 0xff] + '-' +
    HEX[(msecs / 0x100) & 0xff] + HEX[msecs & 0xff];
  const ids = new Array<string>(count);
  for (let i = 0, r = 4; i < count; i++, r += 6, seq++) {
    ids[i] =
      `${time}-${HEX[0x70 | ((seq >>> 28) & 0x0f)]}${HEX[(seq >>> 20) & 0xff]}-` +
      `${HEX[0x80 | ((seq >>> 14) & 0x3f)]}${HEX[(seq >>> 6) & 0xff]}-` +
      `${HEX[((seq << 2) & 0xff) | (random[r]! & 0x03)]}${HEX[random[r + 1]!]}${HEX[random[r + 2]!]}${HEX[random[r + 3]!]}${HEX[random[r + 4]!]}${HEX[random[r + 5]!]}`;
  }
  return ids;
}
