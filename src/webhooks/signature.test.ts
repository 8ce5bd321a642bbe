// Our signatures as the spec's own library reads them, and secrets sealed at rest.
import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret, webhookHeaders } from './signature.ts';
import { createSecretBox } from './secret-box.ts';

describe('webhook signatures', () => {
  const body = JSON.stringify({ type: 'email.sent', created_at: '2030-01-01T00:00:00.000Z', data: { email_id: 'x' } });
  const now = Math.floor(Date.now() / 1000);

  it('verify with the standardwebhooks package', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const headers = webhookHeaders([secret], 'msg_1', now, body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('carry one signature per secret during a rotation, each accepted alone', () => {
    const [next, previous] = [generateWebhookSecret(), generateWebhookSecret()];
    const headers = webhookHeaders([next, previous], 'msg_2', now, body);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(next).verify(body, headers)).toBeTruthy();
    expect(new Webhook(previous).verify(body, headers)).toBeTruthy();
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow();
  });

  it('fail for a changed body', () => {
    const secret = generateWebhookSecret();
    const headers = webhookHeaders([secret], 'msg_3', now, body);
    expect(() => new Webhook(secret).verify(body.replace('sent', 'opened'), headers)).toThrow();
  });
});

describe('the secret box', () => {
  it('opens what it sealed, with the same installation secret only', () => {
    const secret = generateWebhookSecret();
    const sealed = createSecretBox('installation-a').seal(secret);
    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(createSecretBox('installation-a').open(sealed)).toBe(secret);
    expect(() => createSecretBox('installation-b').open(sealed)).toThrow();
  });
});
