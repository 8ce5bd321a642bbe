// The audit log through the API, on both stores: a few actions by an admin, a viewer and an API key
// are read back from GET /v1/audit (newest first, filtered, paged), with no secret in them, and the
// chain verifies; only an admin's session reads it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardApp, PASSWORD, PUBLIC_URL, type DashboardApp } from '../../../test/support/dashboard-app.ts';
import { STORE_KINDS } from '../../../test/support/test-store.ts';
import { testWebhookSettings } from '../../../test/support/webhook-settings.ts';
import { verifyAuditChain } from '../../audit/index.ts';

type Entry = { id: string; action: string; outcome: string; reason: string | null; actor: { type: string; id: string | null; label: string | null }; target: { type: string; id: string } | null; ip: string | null; user_agent: string | null; details: Record<string, unknown> };

describe.each(STORE_KINDS)('the audit log over HTTP on %s', (kind) => {
  let t: DashboardApp;
  let admin: string;
  let viewer: string;
  let adminId: string;
  const secrets: string[] = [PASSWORD, 'a-wrong-password-typed'];

  const audit = async (query = '') => {
    const res = await t.asBrowser(admin, { url: `/v1/audit${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { data: Entry[]; next_cursor: string | null };
  };

  beforeAll(async () => {
    t = await createDashboardApp(kind, { webhooks: testWebhookSettings() });
    adminId = (await t.addUser('root@example.org', 'admin', PASSWORD)).id;
    await t.addUser('vera@example.org', 'viewer', PASSWORD);
    // A failed sign-in, then the admin's and the viewer's.
    const wrong = await t.app.inject({ method: 'POST', url: '/v1/session', headers: { origin: PUBLIC_URL }, payload: { email: 'root@example.org', password: 'a-wrong-password-typed' } });
    expect(wrong.statusCode).toBe(401);
    admin = await t.signIn('root@example.org');
    viewer = await t.signIn('vera@example.org');

    const key = await t.asBrowser(admin, { method: 'POST', url: '/v1/api-keys', headers: { 'user-agent': 'audit-test/1.0' }, payload: { name: 'ci' } });
    expect(key.statusCode).toBe(201);
    secrets.push(key.json().key);
    const asKey = { authorization: `Bearer ${key.json().key}` };
    const hook = await t.app.inject({ method: 'POST', url: '/v1/webhooks', headers: asKey, payload: { url: 'http://hooks.example.com/in', event_types: ['email.sent'] } });
    expect(hook.statusCode, hook.body).toBe(201);
    secrets.push(hook.json().secret);
    const rotated = await t.asBrowser(admin, { method: 'POST', url: `/v1/webhooks/${hook.json().id}/rotate-secret` });
    secrets.push(rotated.json().secret);
    expect((await t.asBrowser(viewer, { method: 'POST', url: '/v1/api-keys', payload: { name: 'not allowed' } })).statusCode).toBe(403);
    expect((await t.asBrowser(admin, { method: 'POST', url: '/v1/suppressions', payload: { email: 'Gone@Example.com' } })).statusCode).toBe(201);
    expect((await t.asBrowser(admin, { method: 'DELETE', url: '/v1/suppressions/gone@example.com' })).statusCode).toBe(200);
    expect((await t.asBrowser(admin, { method: 'POST', url: '/v1/users', payload: { email: 'new@example.org', role: 'viewer', password: 'another long password 1' } })).statusCode).toBe(201);
    secrets.push('another long password 1');
    expect((await t.asBrowser(admin, { method: 'PUT', url: '/v1/session/password', payload: { current_password: PASSWORD, new_password: 'the admin\'s new password' } })).statusCode).toBe(204);
    secrets.push('the admin\'s new password');
  });
  afterAll(async () => t?.close());

  it('reads back who did what, newest first, with the outcome and where from', async () => {
    const { data } = await audit();
    expect(data.map((e) => `${e.action} ${e.outcome}`)).toEqual([
      'user.password_change success',
      'user.create success',
      'suppression.remove success',
      'suppression.add success',
      'api_key.create denied',
      'webhook.rotate_secret success',
      'webhook.create success',
      'api_key.create success',
      'user.sign_in success',
      'user.sign_in success',
      'user.sign_in_failed denied',
    ]);
    const byAction = (action: string, outcome = 'success') => data.find((e) => e.action === action && e.outcome === outcome)!;
    expect(byAction('api_key.create')).toMatchObject({ actor: { type: 'user', id: adminId, label: 'root@example.org' }, user_agent: 'audit-test/1.0', ip: '127.0.0.1', details: { name: 'ci' } });
    expect(byAction('webhook.create')).toMatchObject({ actor: { type: 'api_key', label: 'ci' }, details: { url: 'http://hooks.example.com/in', event_types: ['email.sent'] } });
    expect(byAction('api_key.create', 'denied')).toMatchObject({ actor: { label: 'vera@example.org' }, reason: 'forbidden' });
    expect(byAction('user.sign_in_failed', 'denied')).toMatchObject({ actor: { id: null, label: 'root@example.org' }, reason: 'invalid_credentials' });
    expect(byAction('suppression.add')).toMatchObject({ target: { type: 'suppression', id: 'gone@example.com' } });
  });

  it('stores no password, API key or webhook secret anywhere in the log', async () => {
    const { rows } = await t.store.db.selectFrom('audit_log').selectAll().execute().then((r) => ({ rows: JSON.stringify(r) }));
    for (const secret of secrets) expect(rows).not.toContain(secret);
  });

  it('filters by action, actor and target, and pages with a cursor', async () => {
    expect((await audit('?action=user.sign_in')).data).toHaveLength(2);
    expect((await audit(`?actor=${adminId}&outcome=success`)).data.every((e) => e.actor.id === adminId)).toBe(true);
    expect((await audit('?target=gone@example.com')).data.map((e) => e.action)).toEqual(['suppression.remove', 'suppression.add']);
    const first = await audit('?limit=4');
    const second = await audit(`?limit=4&cursor=${first.next_cursor}`);
    const all = await audit();
    expect([...first.data, ...second.data].map((e) => e.id)).toEqual(all.data.slice(0, 8).map((e) => e.id));
    expect((await audit(`?to=${encodeURIComponent('2000-01-01T00:00:00Z')}`)).data).toEqual([]);
    expect((await t.asBrowser(admin, { url: '/v1/audit?action=nope' })).statusCode).toBe(400);
    expect((await t.asBrowser(admin, { url: '/v1/audit?cursor=abc' })).statusCode).toBe(400);
  });

  it('answers 403 to a viewer and to an API key: the log is the installation\'s, read by admins', async () => {
    expect((await t.asBrowser(viewer, { url: '/v1/audit' })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/v1/audit', headers: { authorization: `Bearer ${t.apiKey}` } })).statusCode).toBe(403);
  });

  it('is in the OpenAPI document with its filters', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json() as { paths: Record<string, { get?: { parameters?: Array<{ name: string }> } }> };
    expect(doc.paths['/v1/audit']?.get?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['actor', 'action', 'target', 'from', 'to', 'cursor']));
  });

  it('keeps a chain that verifies', async () => {
    expect(await verifyAuditChain(t.store.db)).toMatchObject({ ok: true, rows: 11 });
  });
});
