// Generating a domain's DKIM key pair and selector, in the forms the domains table stores.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';

export type DkimAlgorithm = 'rsa' | 'ed25519';
export const DKIM_ALGORITHMS: readonly DkimAlgorithm[] = ['rsa', 'ed25519'];

export type DomainKey = {
  selector: string;
  algorithm: DkimAlgorithm;
  /** PKCS#8 PEM, what both nodemailer and mailauth accept. */
  privateKeyPem: string;
  /**
   * Base64, exactly the value of the DKIM `p=` tag: DER SubjectPublicKeyInfo for RSA
   * (RFC 6376 section 3.6.1), the raw 32-byte key for Ed25519 (RFC 8463 section 4.2).
   * The domains.public_key column stores this value.
   */
  publicKey: string;
};

// 2048 bits: what receivers expect today; 1024 is deprecated (RFC 8301 section 3.2) and keys above
// 2048 give TXT values many DNS hosting panels reject.
const RSA_MODULUS_BITS = 2048;

/**
 * The selector names the month the key was made (`st202405`): stable for a given key, and a later
 * rotation gets a fresh name so old and new keys can be published side by side.
 */
export function selectorFor(now: Date): string {
  const month = String(now.getUTCMonth() + 1).padStart(2, '0');
  return `st${now.getUTCFullYear()}${month}`;
}

export function createDomainKey(algorithm: DkimAlgorithm = 'rsa', now: Date = new Date()): DomainKey {
  const { privateKey, publicKey } =
    algorithm === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: RSA_MODULUS_BITS })
      : generateKeyPairSync('ed25519');
  return {
    selector: selectorFor(now),
    algorithm,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: dkimPublicKeyValue(algorithm, publicKey),
  };
}

function dkimPublicKeyValue(algorithm: DkimAlgorithm, publicKey: KeyObject): string {
  if (algorithm === 'rsa') return publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  // The JWK `x` of an Ed25519 key is the raw public key, base64url-encoded.
  const { x } = publicKey.export({ format: 'jwk' });
  if (!x) throw new Error('Ed25519 public key without x');
  return Buffer.from(x, 'base64url').toString('base64');
}
