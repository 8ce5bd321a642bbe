// Owns the tests of the signed return path: the round trip of an email id and the refusal of forgeries.
import { describe, expect, it } from 'vitest';
import { parseReturnPath, returnPathFor } from './return-path.ts';

const id = '0192f0a4-7b1c-7d3e-8f00-0123456789ab';

describe('VERP return path', () => {
  it('round-trips an email id, even after an MTA upper-cases the local part', () => {
    const rp = returnPathFor(id, 'k1', 'bounces.example.com');
    expect(rp).toMatch(/^b\+[0-9a-f]{48}@bounces\.example\.com$/);
    expect(rp.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(parseReturnPath(rp, 'k1')).toBe(id);
    expect(parseReturnPath(rp.toUpperCase(), 'k1')).toBe(id);
  });

  it('refuses a forged or altered signature and foreign addresses', () => {
    const rp = returnPathFor(id, 'k1', 'b.example');
    expect(parseReturnPath(rp, 'other-secret')).toBeUndefined();
    expect(parseReturnPath(rp.replace(/^b\+0/, 'b+1'), 'k1')).toBeUndefined();
    expect(parseReturnPath('postmaster@b.example', 'k1')).toBeUndefined();
  });
});
