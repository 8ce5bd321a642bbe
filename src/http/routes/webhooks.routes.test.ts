// The webhooks API on both stores: endpoints created with their secret shown once (and stored
// sealed), never returned after; changed, rotated, deleted; URLs refused when not https (unless
// allowed) or when their host resolves to a non-public address (unless its network is allowed);
// a viewer reads and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardApp, PASSWORD, type DashboardApp } from '../../../test/support/dashboard-app.ts';
import { STORE_KINDS } from '../../../test/support/test-store.ts';
import { tableResolver, testWebhookSettings } from '../../../test/support/webhook-settings.ts';

describe.each(STORE_KINDS)('the webhooks API on %s', (kind) => {
  let t: DashboardApp;
  let admin: string;
  let viewer: string;
  const resolver = tableResolver({ 'hooks.example.com': ['127.0.0.1'], 'intranet.example.com': ['93.184.216.34', '10.0.0.7'], 'public.example.com': ['93.184.216.34'] });
  beforeAll(async () => {
    t = await createDashboardApp(kind, { webhooks: testWebhookSettings({ resolver, allowHttp: false, allowedNetworks: ['127.0.0.1/32'] }) });
    await t.addUser('admin@example.org', 'admin', PASSWORD);
    await t.addUser('viewer@example.org', 'viewer', PASSWORD);
    admin = await t.signIn('admin@example.org');
    viewer = await t.signIn('viewer@example.org');
  });
  afterAll(async () => t?.close());

  const create = (payload: Record<string, unknown>, cookie = admin) => t.asBrowser(cookie, { method: 'POST', url: '/v1/webhooks', payload });

  it('creates an endpoint, shows its secret in that answer only, and stores it sealed', async () => {
    const res = await create({ url: 'https://hooks.example.com/in', event_types: ['email.delivered', 'email.bounced'], description: ' shop ' });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ url: 'https://hooks.example.com/in', event_types: ['email.delivered', 'email.bounced'], description: 'shop', enabled: true, counted_only: false, disabled_reason: null });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const one = await t.asBrowser(admin, { url: `/v1/webhooks/${created.id}` });
    expect(one.statusCode).toBe(200);
    expect(one.body).not.toContain(created.secret);
    expect(one.json()).not.toHaveProperty('secret');
    const list = await t.asBrowser(viewer, { url: '/v1/webhooks' });
    expect(list.json().data.map((e: { id: string }) => e.id)).toContain(created.id);
    expect(list.body).not.toContain(created.secret.slice(6));

    const row = await t.store.db.selectFrom('webhook_endpoints').select('secret_sealed').where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.secret_sealed).not.toContain(created.secret.slice(6));
    expect(t.logs.join('')).not.toContain(created.secret.slice(6));
  });

  it('refuses an http URL unless the installation allows http', async () => {
    const res = await create({ url: 'http://hooks.example.com/in' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'invalid_webhook_url', message: expect.stringContaining('WEBHOOK_ALLOW_HTTP') });
  });

  it.each([
    ['ftp://hooks.example.com/', 'invalid_webhook_url'],
    ['not a url', 'invalid_webhook_url'],
    ['https://user:pw@hooks.example.com/', 'invalid_webhook_url'],
    ['https://nowhere.example.com/', 'invalid_webhook_url'],
    ['https://127.0.0.2/', 'webhook_address_refused'],
    ['https://10.1.2.3/hook', 'webhook_address_refused'],
    ['https://[::1]/hook', 'webhook_address_refused'],
    ['https://[::ffff:192.168.0.1]/hook', 'webhook_address_refused'],
    ['https://169.254.169.254/latest/meta-data', 'webhook_address_refused'],
    ['https://intranet.example.com/', 'webhook_address_refused'],
  ])('refuses %s (%s)', async (url, code) => {
    const res = await create({ url });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe(code);
  });

  it('names the private address a host name resolves to, and the setting that would allow it', async () => {
    const res = await create({ url: 'https://intranet.example.com/' });
    expect(res.json().error.message).toMatch(/10\.0\.0\.7 is a private address.*WEBHOOK_ALLOWED_NETWORKS/);
  });

  it('accepts a public host, and refuses unknown event types and fields', async () => {
    expect((await create({ url: 'https://public.example.com/hook' })).statusCode).toBe(201);
    const bad = await create({ url: 'https://public.example.com/hook', event_types: ['email.exploded'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('email.exploded');
    expect((await create({ url: 'https://public.example.com/hook', secret: 'whsec_mine' })).statusCode).toBe(400);
  });

  it('changes an endpoint: disabling says why, enabling clears it, a bad URL changes nothing', async () => {
    const { id } = (await create({ url: 'https://hooks.example.com/a' })).json();
    const off = await t.asBrowser(admin, { method: 'PATCH', url: `/v1/webhooks/${id}`, payload: { enabled: false, counted_only: true } });
    expect(off.json()).toMatchObject({ enabled: false, disabled_reason: 'disabled by a user', counted_only: true });
    const on = await t.asBrowser(admin, { method: 'PATCH', url: `/v1/webhooks/${id}`, payload: { enabled: true } });
    expect(on.json()).toMatchObject({ enabled: true, disabled_reason: null });
    const refused = await t.asBrowser(admin, { method: 'PATCH', url: `/v1/webhooks/${id}`, payload: { url: 'https://10.0.0.1/' } });
    expect(refused.statusCode).toBe(422);
    expect((await t.asBrowser(admin, { url: `/v1/webhooks/${id}` })).json().url).toBe('https://hooks.example.com/a');
  });

  it('rotates the secret: a new one, shown once, the previous one signing for 24 hours', async () => {
    const created = (await create({ url: 'https://hooks.example.com/r' })).json();
    const res = await t.asBrowser(admin, { method: 'POST', url: `/v1/webhooks/${created.id}/rotate-secret` });
    expect(res.statusCode).toBe(200);
    const rotated = res.json();
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    expect(rotated.previous_secret_until).toBe(new Date(t.clock.now.getTime() + 24 * 3_600_000).toISOString());
  });

  it('deletes an endpoint: gone from the list, 404 after', async () => {
    const { id } = (await create({ url: 'https://hooks.example.com/d' })).json();
    expect((await t.asBrowser(admin, { method: 'DELETE', url: `/v1/webhooks/${id}` })).statusCode).toBe(204);
    expect((await t.asBrowser(admin, { url: `/v1/webhooks/${id}` })).statusCode).toBe(404);
    expect((await t.asBrowser(admin, { method: 'DELETE', url: `/v1/webhooks/${id}` })).statusCode).toBe(404);
    expect((await t.asBrowser(admin, { url: '/v1/webhooks' })).body).not.toContain(id);
  });

  it('lets a viewer read but change nothing', async () => {
    const { id } = (await create({ url: 'https://hooks.example.com/v' })).json();
    for (const request of [
      { method: 'POST' as const, url: '/v1/webhooks', payload: { url: 'https://hooks.example.com/x' } },
      { method: 'PATCH' as const, url: `/v1/webhooks/${id}`, payload: { enabled: false } },
      { method: 'POST' as const, url: `/v1/webhooks/${id}/rotate-secret` },
      { method: 'POST' as const, url: `/v1/webhooks/${id}/test` },
      { method: 'POST' as const, url: `/v1/webhooks/${id}/replay`, payload: { since: '2030-01-01T00:00:00Z' } },
      { method: 'DELETE' as const, url: `/v1/webhooks/${id}` },
    ]) {
      expect((await t.asBrowser(viewer, request)).statusCode).toBe(403);
    }
    expect((await t.asBrowser(viewer, { url: `/v1/webhooks/${id}/deliveries` })).statusCode).toBe(200);
    expect((await t.asBrowser(admin, { url: `/v1/webhooks/${id}` })).json().enabled).toBe(true);
  });

  it('works with an API key, and answers 404 for an id that is no endpoint', async () => {
    const headers = { authorization: `Bearer ${t.apiKey}` };
    const res = await t.app.inject({ method: 'POST', url: '/v1/webhooks', headers, payload: { url: 'https://hooks.example.com/k' } });
    expect(res.statusCode).toBe(201);
    for (const url of ['/v1/webhooks/nope', '/v1/webhooks/00000000-0000-7000-8000-000000000000', '/v1/webhooks/nope/deliveries']) {
      expect((await t.app.inject({ url, headers })).statusCode).toBe(404);
    }
  });
});
