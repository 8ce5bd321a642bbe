// Compact, URL-safe, HMAC-signed tracking tokens: what an open, click or unsubscribe URL stands for.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { commaList } from '../shared/comma-list.ts';

export type TokenPayload =
  | { kind: 'open'; emailId: string }
  | { kind: 'click'; emailId: string; linkIndex: number; url: string }
  | { kind: 'unsubscribe'; emailId: string };

const KIND_BYTE = { open: 1, click: 2, unsubscribe: 3 } as const;
const KIND_OF: Record<number, TokenPayload['kind']> = { 1: 'open', 2: 'click', 3: 'unsubscribe' };
// 128 bits of HMAC-SHA256: forging one needs ~2^128 tries; shorter keeps links short.
const SIG_BYTES = 16;
const UUID_BYTES = 16;
// A URL of more than 8 KB is no link a person follows; refusing it keeps tokens under URL limits.
export const MAX_TRACKED_URL_BYTES = 8 * 1024;

// An HMAC keyed by a KeyObject skips preparing the key on every call: a third of a verification
// on the tracking hot path. Keys are few (TRACKING_KEYS), so the cache stays tiny.
const keyObjects = new Map<string, KeyObject>();
function keyObject(key: string): KeyObject {
  let k = keyObjects.get(key);
  if (!k) {
    if (keyObjects.size >= 64) keyObjects.clear();
    keyObjects.set(key, (k = createSecretKey(Buffer.from(key, 'utf8'))));
  }
  return k;
}

const mac = (key: string, body: Buffer) => createHmac('sha256', keyObject(key)).update(body).digest().subarray(0, SIG_BYTES);

/** Layout: kind byte, email id (16 bytes), for clicks a 2-byte link index and the URL; then the MAC. */
function encodePayload(p: TokenPayload): Buffer {
  const id = Buffer.from(p.emailId.replace(/-/g, ''), 'hex');
  if (id.length !== UUID_BYTES) throw new Error(`not a uuid: ${p.emailId}`);
  const head = Buffer.from([KIND_BYTE[p.kind]]);
  if (p.kind !== 'click') return Buffer.concat([head, id]);
  const index = Buffer.alloc(2);
  index.writeUInt16BE(p.linkIndex);
  return Buffer.concat([head, id, index, Buffer.from(p.url, 'utf8')]);
}

function decodePayload(body: Buffer): TokenPayload | undefined {
  const kind = KIND_OF[body[0] ?? 0];
  if (!kind || body.length < 1 + UUID_BYTES) return undefined;
  const hex = body.subarray(1, 1 + UUID_BYTES).toString('hex');
  const emailId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  if (kind !== 'click') return body.length === 1 + UUID_BYTES ? { kind, emailId } : undefined;
  if (body.length < 3 + UUID_BYTES) return undefined;
  return { kind, emailId, linkIndex: body.readUInt16BE(1 + UUID_BYTES), url: body.subarray(3 + UUID_BYTES).toString('utf8') };
}

/** Signs with `key` (the first of the configured keys). */
export function signToken(key: string, payload: TokenPayload): string {
  const body = encodePayload(payload);
  return Buffer.concat([body, mac(key, body)]).toString('base64url');
}

/** The payload of a token signed by any of `keys`, or undefined when it is malformed, altered or forged. */
export function verifyToken(keys: readonly string[], token: string): TokenPayload | undefined {
  // base64url only: Buffer.from would silently skip other characters, so an altered token could decode.
  if (token.length < 40 || token.length > 12_000 || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length <= SIG_BYTES) return undefined;
  const body = raw.subarray(0, raw.length - SIG_BYTES);
  const sig = raw.subarray(raw.length - SIG_BYTES);
  // Re-encoding must give the same text: rejects tokens differing only in unused trailing bits.
  if (raw.toString('base64url') !== token) return undefined;
  for (const key of keys) {
    if (timingSafeEqual(mac(key, body), sig)) return decodePayload(body);
  }
  return undefined;
}

/** TRACKING_KEYS as a list, or one key derived from the installation secret when unset. */
export function trackingKeys(configured: string, secret: string): string[] {
  const keys = commaList(configured);
  if (keys.length > 0) return keys;
  // Derived rather than the secret itself, so a tracking key never doubles as the return-path key.
  return [createHmac('sha256', secret).update('sendtrail tracking tokens v1').digest('base64url')];
}
