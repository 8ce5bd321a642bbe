// Webhook secrets at rest. A secret is an HMAC key, so it must be recoverable to sign with, unlike
// an API key (kept as a hash): it is sealed with AES-256-GCM under a key derived (HKDF-SHA256) from
// the installation's secret (SENDTRAIL_SECRET, or the one generated at the first start). A copy of
// the database alone therefore reveals no webhook secret; every process on one database already
// shares the installation secret. Changing that secret makes the sealed secrets unreadable: rotate
// each endpoint's secret afterwards (the dashboard and the API say so when opening fails).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export type SecretBox = {
  seal(plain: string): string;
  open(sealed: string): string;
};

const VERSION = 'v1';

export function createSecretBox(installationSecret: string): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', installationSecret, 'sendtrail', 'webhook endpoint secrets', 32));
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not a sealed webhook secret');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}
