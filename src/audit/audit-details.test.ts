import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from './audit-actions.ts';
import { auditDetails } from './audit-details.ts';

const SECRETS = {
  password: 'correct horse battery staple',
  new_password: 'n3w-passw0rd-2026!',
  current_password: 'old-passw0rd-2026!',
  token: 'tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0',
  key: 'st_SECRETKEYSECRETKEYSECRETKEY12',
  secret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmU=',
  sign_in_link: 'http://localhost:3000/sign-in#link=abcdef0123456789',
  key_hash: 'a'.repeat(64),
  authorization: 'Bearer st_SECRETKEYSECRETKEYSECRETKEY12',
};

describe('audit details', () => {
  it('keep no secret whatever an action is handed, for every action', () => {
    for (const action of AUDIT_ACTIONS) {
      const stored = JSON.stringify(auditDetails(action, { ...SECRETS, nested: { ...SECRETS }, email: 'ann@example.com' }));
      for (const secret of Object.values(SECRETS)) expect(stored, action).not.toContain(secret);
    }
  });

  it('keep the fields the action names and drop the others', () => {
    expect(auditDetails('api_key.create', { name: 'shop backend', prefix: 'st_abcd', key: SECRETS.key })).toEqual({ name: 'shop backend', prefix: 'st_abcd' });
    expect(auditDetails('user.create', { email: 'ann@example.com', role: 'viewer', password: SECRETS.password, with_password: true }))
      .toEqual({ email: 'ann@example.com', role: 'viewer', with_password: true });
  });

  it('keep only short scalars and lists of strings, cut to 200 characters', () => {
    const details = auditDetails('webhook.create', {
      url: `https://example.com/${'x'.repeat(500)}`,
      event_types: ['email.sent', 42],
      counted_only: { nested: true },
      enabled: false,
    });
    expect((details.url as string).length).toBe(200);
    expect(details).not.toHaveProperty('event_types');
    expect(details).not.toHaveProperty('counted_only');
    expect(details.enabled).toBe(false);
    expect(auditDetails('webhook.create', { event_types: ['email.sent', 'email.bounced'] }).event_types).toEqual(['email.sent', 'email.bounced']);
  });

  it('make text storable: a NUL becomes U+FFFD', () => {
    expect(auditDetails('api_key.create', { name: 'a\u0000b' }).name).toBe('a\uFFFDb');
  });
});
