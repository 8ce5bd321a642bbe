// The sending domains API on both stores: add (records to publish, never the private key), list,
// read by id or name, remove; strict names (400), duplicates (409); a viewer reads only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardApp, PASSWORD, type DashboardApp } from '../../../test/support/dashboard-app.ts';
import { STORE_KINDS } from '../../../test/support/test-store.ts';
import { newId } from '../../shared/ids.ts';
import { publicMxHost } from './domains.routes.ts';

describe.each(STORE_KINDS)('the domains API on %s', (kind) => {
  let t: DashboardApp;
  let admin: string;
  let viewer: string;
  beforeAll(async () => {
    t = await createDashboardApp(kind, { bounceDomain: 'bounces.mail.example.net', publicUrl: 'https://mail.example.net' });
    await t.addUser('admin@example.org', 'admin', PASSWORD);
    await t.addUser('viewer@example.org', 'viewer', PASSWORD);
    admin = await t.signIn('admin@example.org');
    viewer = await t.signIn('viewer@example.org');
  });
  afterAll(async () => t?.close());

  const add = (payload: object, cookie = admin) => t.asBrowser(cookie, { method: 'POST', url: '/v1/domains', payload });
  const privateKeys = async () => (await t.store.db.selectFrom('domains').select('private_key').execute()).map((r) => r.private_key);
  const expectNoPrivateKey = async (body: string) => {
    expect(body).not.toMatch(/PRIVATE KEY|private_key/);
    for (const pem of await privateKeys()) expect(body).not.toContain(pem.split('\n')[1]);
  };

  it('adds a domain and answers the DKIM, SPF, DMARC and bounce MX records to publish', async () => {
    const res = await add({ domain: 'Shop.Example.com.' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ domain: 'shop.example.com', algorithm: 'rsa', selector: expect.stringMatching(/^st\d{6}$/), bounce_domain: 'bounces.mail.example.net' });
    expect(body.records.map((r: { type: string; name: string }) => `${r.type} ${r.name}`)).toEqual([
      `TXT ${body.selector}._domainkey.shop.example.com`,
      'TXT bounces.mail.example.net',
      'TXT _dmarc.shop.example.com',
      'MX bounces.mail.example.net',
    ]);
    expect(body.records[0].value).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{300,}$/);
    expect(body.records[0].zone_value).toMatch(/^"v=DKIM1; k=rsa; p=[^"]+" "[^"]+"$/);
    expect(body.records[3]).toMatchObject({ value: '10 mail.example.net', zone_value: '10 mail.example.net.' });
    await expectNoPrivateKey(res.body);
  });

  it('makes an Ed25519 key and puts SPF and MX on a bounce domain of its own when asked', async () => {
    const res = await add({ domain: 'ed.example.com', algorithm: 'ed25519', bounce_domain: 'Returns.Example.com' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ algorithm: 'ed25519', bounce_domain: 'returns.example.com' });
    expect(res.json().records[0].value).toMatch(/^v=DKIM1; k=ed25519; p=/);
    expect(res.json().records.filter((r: { name: string }) => r.name === 'returns.example.com').map((r: { type: string }) => r.type)).toEqual(['TXT', 'MX']);
  });

  it('lists the domains by name and reads one by id or by name with the same records', async () => {
    const listed = await t.asBrowser(admin, { url: '/v1/domains' });
    expect(listed.statusCode).toBe(200);
    const data = listed.json().data as Array<{ id: string; domain: string }>;
    expect(data.map((d) => d.domain)).toEqual(['ed.example.com', 'shop.example.com']);
    expect(Object.keys(data[0]!).sort()).toEqual(['algorithm', 'bounce_domain', 'created_at', 'domain', 'id', 'selector']);
    await expectNoPrivateKey(listed.body);
    const byId = await t.asBrowser(admin, { url: `/v1/domains/${data[1]!.id}` });
    const byName = await t.asBrowser(admin, { url: '/v1/domains/SHOP.example.com' });
    expect(byId.statusCode).toBe(200);
    expect(byName.json()).toEqual(byId.json());
    expect(byId.json().records).toHaveLength(4);
    await expectNoPrivateKey(byId.body);
  });

  it('refuses a domain the project has already with 409 domain_exists, keeping the first key', async () => {
    const before = await privateKeys();
    const res = await add({ domain: 'shop.EXAMPLE.com', algorithm: 'ed25519' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'domain_exists', message: expect.stringContaining('shop.example.com') });
    expect(await privateKeys()).toEqual(before);
  });

  it.each([
    [{ domain: 'https://example.com/' }, 'not a URL'],
    [{ domain: 'ann@example.com' }, 'without the part before "@"'],
    [{ domain: 'localhost' }, 'at least two labels'],
    [{ domain: '-bad.example.com' }, 'label "-bad"'],
    [{ domain: '10.0.0.1' }, 'IP address'],
    [{ domain: '' }, 'empty'],
    [{ domain: 'ok.example.com', bounce_domain: 'not a domain' }, 'spaces'],
  ])('refuses %j with 400 validation_error saying why', async (payload, why) => {
    const res = await add(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_error', message: expect.stringContaining(why) });
  });

  it('refuses an unknown algorithm, unknown fields and a missing domain with 400', async () => {
    for (const payload of [{ domain: 'x.example.com', algorithm: 'dsa' }, { domain: 'x.example.com', selector: 's1' }, {}, { domain: 42 }]) {
      expect((await add(payload)).statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect((await t.asBrowser(admin, { url: '/v1/domains' })).json().data.map((d: { domain: string }) => d.domain)).not.toContain('x.example.com');
  });

  it('answers 404 for an unknown id or name, a name that is no domain, and another project\'s domain', async () => {
    const other = newId();
    await t.store.db.insertInto('projects').values({ id: other, name: 'Other' }).execute();
    await t.store.db.insertInto('domains').values({ id: newId(), project_id: other, name: 'theirs.example.com', selector: 's', algorithm: 'rsa', private_key: 'x', public_key: 'y', bounce_domain: null }).execute();
    for (const id of [newId(), 'nothing.example.com', 'not a domain!', 'theirs.example.com']) {
      const res = await t.asBrowser(admin, { url: `/v1/domains/${encodeURIComponent(id)}` });
      expect(res.statusCode, id).toBe(404);
      expect(res.json().error.code).toBe('not_found');
      expect((await t.asBrowser(admin, { method: 'DELETE', url: `/v1/domains/${encodeURIComponent(id)}` })).statusCode, id).toBe(404);
    }
  });

  it('lets a viewer read domains and records, and refuses them adding or removing one (403)', async () => {
    expect((await t.asBrowser(viewer, { url: '/v1/domains' })).statusCode).toBe(200);
    expect((await t.asBrowser(viewer, { url: '/v1/domains/shop.example.com' })).statusCode).toBe(200);
    const added = await add({ domain: 'viewer.example.com' }, viewer);
    expect(added.statusCode).toBe(403);
    expect(added.json().error.code).toBe('forbidden');
    expect((await t.asBrowser(viewer, { method: 'DELETE', url: '/v1/domains/shop.example.com' })).statusCode).toBe(403);
  });

  it('works with an API key too, and removes a domain with its key', async () => {
    const auth = { authorization: `Bearer ${t.apiKey}` };
    const created = await t.app.inject({ method: 'POST', url: '/v1/domains', headers: auth, payload: { domain: 'gone.example.com' } });
    expect(created.statusCode).toBe(201);
    const removed = await t.app.inject({ method: 'DELETE', url: '/v1/domains/gone.example.com', headers: auth });
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toMatchObject({ domain: 'gone.example.com', deleted: true });
    expect(await t.store.db.selectFrom('domains').select('id').where('name', '=', 'gone.example.com').execute()).toEqual([]);
    expect((await t.app.inject({ url: '/v1/domains/gone.example.com', headers: auth })).statusCode).toBe(404);
  });
});

describe('publicMxHost', () => {
  it('names PUBLIC_URL\'s host only when mail servers could reach it by that name', () => {
    expect(publicMxHost('https://mail.example.com')).toBe('mail.example.com');
    for (const url of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000', 'http://app.localhost', 'http://intranet']) expect(publicMxHost(url), url).toBeUndefined();
  });
});
