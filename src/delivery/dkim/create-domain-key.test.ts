import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDomainKey, selectorFor } from './create-domain-key.ts';

const data = Buffer.from('dkim-signature:v=1; a=...');

describe('createDomainKey', () => {
  it('makes an RSA-2048 key whose published p= value verifies what the private key signs', () => {
    const key = createDomainKey('rsa', new Date('2024-05-17T10:00:00Z'));
    const publicKey = createPublicKey({ key: Buffer.from(key.publicKey, 'base64'), format: 'der', type: 'spki' });
    expect(key.selector).toBe('st202405');
    expect(key.algorithm).toBe('rsa');
    expect(key.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const signature = sign('sha256', data, createPrivateKey(key.privateKeyPem));
    expect(verify('sha256', data, publicKey, signature)).toBe(true);
  });

  it('makes an Ed25519 key published as the raw 32-byte key RFC 8463 asks for', () => {
    const key = createDomainKey('ed25519');
    const raw = Buffer.from(key.publicKey, 'base64');
    expect(raw).toHaveLength(32);
    // The same raw key wrapped back into SPKI (fixed 12-byte prefix) must verify the signature.
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]);
    const publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    const signature = sign(null, data, createPrivateKey(key.privateKeyPem));
    expect(verify(null, data, publicKey, signature)).toBe(true);
  });

  it('defaults to RSA and gives each call a new key', () => {
    const a = createDomainKey();
    const b = createDomainKey();
    expect(a.algorithm).toBe('rsa');
    expect(a.publicKey).not.toBe(b.publicKey);
  });

  it('names the selector after the UTC month the key was made', () => {
    expect(selectorFor(new Date('2025-01-01T00:30:00+02:00'))).toBe('st202412');
    expect(selectorFor(new Date('2025-11-30T12:00:00Z'))).toBe('st202511');
  });
});
