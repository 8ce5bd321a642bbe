// The API keys API on both stores: list (never the key), create (the key once), revoke (401 from
// the next request on), last use recorded at most once a minute; a viewer reads the list only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardApp, PASSWORD, type DashboardApp } from '../../../test/support/dashboard-app.ts';
import { STORE_KINDS } from '../../../test/support/test-store.ts';
import { createApiKey } from '../../projects/api-keys.ts';
import { newId } from '../../shared/ids.ts';

describe.each(STORE_KINDS)('the API keys API on %s', (kind) => {
  let t: DashboardApp;
  let admin: string;
  let viewer: string;
  beforeAll(async () => {
    t = await createDashboardApp(kind);
    await t.addUser('admin@example.org', 'admin', PASSWORD);
    await t.addUser('viewer@example.org', 'viewer', PASSWORD);
    admin = await t.signIn('admin@example.org');
    viewer = await t.signIn('viewer@example.org');
  });
  afterAll(async () => t?.close());

  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const create = (name: unknown, cookie = admin) => t.asBrowser(cookie, { method: 'POST', url: '/v1/api-keys', payload: { name } });
  const list = async (cookie = admin) => (await t.asBrowser(cookie, { url: '/v1/api-keys' })).json().data as Array<Record<string, unknown>>;
  const emails = (key: string) => t.app.inject({ url: '/v1/emails', headers: bearer(key) });

  it('creates a key that works at once, shows it in clear in that answer only, and lists it without it', async () => {
    const res = await create('  shop backend ');
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ name: 'shop backend', last_used_at: null, revoked_at: null });
    expect(created.key).toMatch(/^st_[A-Za-z0-9_-]{32}$/);
    expect(created.prefix).toBe(created.key.slice(0, 7));
    expect((await emails(created.key)).statusCode).toBe(200);

    const listed = (await t.asBrowser(admin, { url: '/v1/api-keys' })).body;
    expect(listed).toContain(created.id);
    expect(listed).not.toContain(created.key);
    const row = await t.store.db.selectFrom('api_keys').select('key_hash').where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(listed).not.toContain(row.key_hash);
    const [newest] = await list();
    expect(Object.keys(newest!).sort()).toEqual(['created_at', 'id', 'last_used_at', 'name', 'prefix', 'revoked_at']);
    expect(newest!.id).toBe(created.id);
  });

  it('lets an API key create and revoke keys too', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(t.apiKey), payload: { name: 'made by a key' } });
    expect(res.statusCode).toBe(201);
    const revoked = await t.app.inject({ method: 'DELETE', url: `/v1/api-keys/${res.json().id}`, headers: bearer(t.apiKey) });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revoked_at).toEqual(expect.any(String));
  });

  it('revokes a key: from the next request on it gets 401, and it stays in the list with revoked_at', async () => {
    const { id, key } = (await create('to revoke')).json();
    expect((await emails(key)).statusCode).toBe(200);
    const res = await t.asBrowser(admin, { method: 'DELETE', url: `/v1/api-keys/${id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, name: 'to revoke', revoked_at: t.clock.now.toISOString() });
    const refused = await emails(key);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toBe('Unknown or revoked API key');
    expect((await list()).find((k) => k.id === id)?.revoked_at).toBe(t.clock.now.toISOString());
    // Again: nothing changes, not even the time.
    t.clock.advance(5_000);
    const again = await t.asBrowser(admin, { method: 'DELETE', url: `/v1/api-keys/${id}` });
    expect(again.statusCode).toBe(200);
    expect(again.json().revoked_at).toBe(res.json().revoked_at);
  });

  it('lets a key revoke itself: the answer is given, the next request is refused', async () => {
    const { id, key } = (await create('self')).json();
    const res = await t.app.inject({ method: 'DELETE', url: `/v1/api-keys/${id}`, headers: bearer(key) });
    expect(res.statusCode).toBe(200);
    expect((await emails(key)).statusCode).toBe(401);
  });

  it('records the last use once a minute, not at every request', async () => {
    const { id, key } = (await create('busy')).json();
    const lastUsed = async () => (await list()).find((k) => k.id === id)?.last_used_at;
    const first = t.clock.now.toISOString();
    await emails(key);
    expect(await lastUsed()).toBe(first);
    t.clock.advance(30_000);
    for (let i = 0; i < 5; i++) await emails(key);
    expect(await lastUsed()).toBe(first);
    t.clock.advance(31_000);
    await emails(key);
    expect(await lastUsed()).toBe(t.clock.now.toISOString());
  });

  it('refuses a blank, missing or too long name and unknown fields with 400', async () => {
    for (const payload of [{ name: '   ' }, {}, { name: 'x'.repeat(101) }, { name: 'ok', scope: 'all' }, { name: 7 }]) {
      const res = await t.asBrowser(admin, { method: 'POST', url: '/v1/api-keys', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
    }
  });

  it('answers 404 for an unknown id, a malformed one, and another project\'s key', async () => {
    const other = newId();
    await t.store.db.insertInto('projects').values({ id: other, name: 'Other' }).execute();
    const theirs = await createApiKey(t.store.db, other, 'theirs');
    for (const id of [newId(), 'not-a-uuid', theirs.id]) {
      const res = await t.asBrowser(admin, { method: 'DELETE', url: `/v1/api-keys/${id}` });
      expect(res.statusCode, id).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    expect((await emails(theirs.key)).statusCode).toBe(200);
    expect((await list()).map((k) => k.id)).not.toContain(theirs.id);
  });

  it('lets a viewer read the list and nothing more: 403 on create and revoke', async () => {
    const rows = await list(viewer);
    expect(rows.length).toBeGreaterThan(0);
    const created = await create('viewer key', viewer);
    expect(created.statusCode).toBe(403);
    expect(created.json().error.code).toBe('forbidden');
    const revoked = await t.asBrowser(viewer, { method: 'DELETE', url: `/v1/api-keys/${rows[0]!.id}` });
    expect(revoked.statusCode).toBe(403);
    expect((await list()).length).toBe(rows.length);
  });

  it('refuses a request with no key and no session', async () => {
    expect((await t.app.inject({ url: '/v1/api-keys' })).statusCode).toBe(401);
  });
});
