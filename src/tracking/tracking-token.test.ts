import { describe, expect, it } from 'vitest';
import { signToken, trackingKeys, verifyToken } from './tracking-token.ts';

const EMAIL = '0190f5a2-7c3e-7b1a-9d2e-0123456789ab';

describe('tracking tokens', () => {
  it('a click token carries the email, link index and destination, and verifies', () => {
    const token = signToken('k1', { kind: 'click', emailId: EMAIL, linkIndex: 3, url: 'https://shop.example/a?b=1&c=é' });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(verifyToken(['k1'], token)).toEqual({ kind: 'click', emailId: EMAIL, linkIndex: 3, url: 'https://shop.example/a?b=1&c=é' });
  });

  it('an open token is compact (under 60 characters)', () => {
    const token = signToken('k1', { kind: 'open', emailId: EMAIL });
    expect(token.length).toBeLessThan(60);
    expect(verifyToken(['k1'], token)).toEqual({ kind: 'open', emailId: EMAIL });
  });

  it('a token signed with a rotated-out key still verifies while that key is listed, and not after', () => {
    const token = signToken('old', { kind: 'unsubscribe', emailId: EMAIL });
    expect(verifyToken(['new', 'old'], token)).toEqual({ kind: 'unsubscribe', emailId: EMAIL });
    expect(verifyToken(['new'], token)).toBeUndefined();
  });

  it('every single-character alteration of a token is refused', () => {
    const token = signToken('k1', { kind: 'click', emailId: EMAIL, linkIndex: 0, url: 'https://a.example/' });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < token.length; i++) {
      const swapped = alphabet[(alphabet.indexOf(token[i]!) + 1) % alphabet.length]!;
      expect(verifyToken(['k1'], token.slice(0, i) + swapped + token.slice(i + 1))).toBeUndefined();
    }
  });

  it('a forged click token (destination changed, signature kept) is refused', () => {
    const token = signToken('k1', { kind: 'click', emailId: EMAIL, linkIndex: 0, url: 'https://good.example/' });
    const raw = Buffer.from(token, 'base64url');
    const forged = Buffer.concat([raw.subarray(0, 19), Buffer.from('https://evil.example/'), raw.subarray(raw.length - 16)]);
    expect(verifyToken(['k1'], forged.toString('base64url'))).toBeUndefined();
  });

  it('garbage, empty and over-long tokens are refused without throwing', () => {
    for (const t of ['', 'x', 'not a token at all!!', '%00'.repeat(30), 'A'.repeat(20_000), 'A'.repeat(64)]) {
      expect(verifyToken(['k1'], t)).toBeUndefined();
    }
  });

  it('without TRACKING_KEYS one key is derived from the secret; with it, the list is used in order', () => {
    const derived = trackingKeys('', 'secret');
    expect(derived).toHaveLength(1);
    expect(derived[0]).not.toBe('secret');
    expect(trackingKeys('', 'secret')).toEqual(derived);
    expect(trackingKeys(' a , b ,', 'secret')).toEqual(['a', 'b']);
  });
});
