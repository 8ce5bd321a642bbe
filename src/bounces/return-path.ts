// VERP return paths: b+<email id><signature>@BOUNCE_DOMAIN ties every bounce to its email.
import { createHmac, timingSafeEqual } from 'node:crypto';

// Hex only: some MTAs lower-case local parts, and hex survives that. 32 hex of id + 16 hex of
// HMAC keeps the local part at 50 characters, under the 64 of RFC 5321 section 4.5.3.1.1.
const SIG_HEX = 16;
const LOCAL = /^b\+([0-9a-f]{32})([0-9a-f]{16})$/i;

const sign = (secret: string, idHex: string) =>
  createHmac('sha256', secret).update(`rp:${idHex}`).digest('hex').slice(0, SIG_HEX);

export function returnPathFor(emailId: string, secret: string, bounceDomain: string): string {
  const idHex = emailId.replace(/-/g, '').toLowerCase();
  return `b+${idHex}${sign(secret, idHex)}@${bounceDomain}`;
}

/** The email id a return path stands for, or undefined when it is not one of ours or was forged. */
export function parseReturnPath(address: string, secret: string): string | undefined {
  const at = address.lastIndexOf('@');
  const match = LOCAL.exec(at < 0 ? address : address.slice(0, at));
  if (!match) return undefined;
  const idHex = match[1]!.toLowerCase();
  const expected = Buffer.from(sign(secret, idHex));
  const given = Buffer.from(match[2]!.toLowerCase());
  if (!timingSafeEqual(expected, given)) return undefined;
  return `${idHex.slice(0, 8)}-${idHex.slice(8, 12)}-${idHex.slice(12, 16)}-${idHex.slice(16, 20)}-${idHex.slice(20)}`;
}
