// Who may do what with a dashboard session: viewers read, admins change; a cookie never acts for
// another site; API keys work as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardApp, cookieOf, PASSWORD, type DashboardApp } from '../../test/support/dashboard-app.ts';

const EVIL = 'https://evil.example';

describe('roles', () => {
  let t: DashboardApp;
  let viewer: string;
  let admin: string;
  beforeAll(async () => {
    t = await createDashboardApp('pglite');
    await t.addUser('viewer@example.org', 'viewer', PASSWORD);
    await t.addUser('admin@example.org', 'admin', PASSWORD);
    viewer = await t.signIn('viewer@example.org');
    admin = await t.signIn('admin@example.org');
  });
  afterAll(async () => t?.close());

  it('lets a viewer read everything and change nothing: 403 forbidden', async () => {
    expect((await t.asBrowser(viewer, { url: '/v1/suppressions' })).statusCode).toBe(200);
    expect((await t.asBrowser(viewer, { url: '/v1/emails' })).statusCode).toBe(200);
    for (const [method, url, payload] of [
      ['POST', '/v1/suppressions', { email: 'ann@example.org' }],
      ['DELETE', '/v1/suppressions/ann@example.org', undefined],
      ['POST', '/v1/emails', { from: 'a@example.com', to: 'b@example.org', subject: 'x', text: 'x' }],
      ['POST', '/v1/campaigns/0190d6c2-0000-7000-8000-000000000000/cancel', undefined],
    ] as const) {
      const res = await t.asBrowser(viewer, { method, url, payload });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
    const suppressions = (await t.asBrowser(viewer, { url: '/v1/suppressions' })).json();
    expect(suppressions.data).toEqual([]);
  });

  it('refuses a viewer every route that changes something, as listed in the OpenAPI document, but signing out and their own password', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const allowed = ['DELETE /v1/session', 'DELETE /v1/sessions', 'PUT /v1/session/password', 'POST /v1/session', 'POST /v1/session/link'];
    const changing = Object.entries(doc.paths).filter(([path]) => path.startsWith('/v1/')).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`).filter((route) => !/^(GET|HEAD|OPTIONS) /.test(route) && !allowed.includes(route)));
    expect(changing).toEqual(expect.arrayContaining(['POST /v1/emails', 'POST /v1/suppressions', 'POST /v1/users', 'PATCH /v1/users/{id}']));
    for (const route of changing) {
      const [method, path] = route.split(' ') as [string, string];
      const url = path.replace(/\{[^}]+\}/g, '0190d6c2-0000-7000-8000-000000000000');
      const res = await t.asBrowser(viewer, { method: method as 'POST', url, payload: {} });
      expect(res.statusCode, route).toBe(403);
      expect(res.json().error.code, route).toBe('forbidden');
    }
  });

  it('refuses a viewer the users routes, reads included', async () => {
    for (const [method, url] of [['GET', '/v1/users'], ['POST', '/v1/users'], ['PATCH', '/v1/users/0190d6c2-0000-7000-8000-000000000000']] as const) {
      const res = await t.asBrowser(viewer, { method, url, payload: method === 'GET' ? undefined : { role: 'viewer' } });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
  });

  it('lets a viewer change their own password and sign out', async () => {
    const own = await t.signIn('viewer@example.org');
    const put = await t.asBrowser(own, { method: 'PUT', url: '/v1/session/password', payload: { current_password: PASSWORD, new_password: PASSWORD } });
    expect(put.statusCode).toBe(204);
    expect((await t.asBrowser(own, { method: 'DELETE', url: '/v1/session' })).statusCode).toBe(204);
    expect((await t.asBrowser(own, { method: 'DELETE', url: '/v1/sessions' })).statusCode).toBe(401); // already signed out
  });

  it('lets an admin change things and manage users', async () => {
    const res = await t.asBrowser(admin, { method: 'POST', url: '/v1/suppressions', payload: { email: 'ann@example.org' } });
    expect(res.statusCode).toBe(201);
    expect((await t.asBrowser(admin, { url: '/v1/users' })).statusCode).toBe(200);
    expect((await t.asBrowser(admin, { method: 'DELETE', url: '/v1/suppressions/ann@example.org' })).statusCode).toBe(200);
  });

  it('refuses an API key the users routes: they belong to people, not to a project', async () => {
    const res = await t.app.inject({ url: '/v1/users', headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(res.statusCode).toBe(403);
  });
});

describe('cross-site requests', () => {
  let t: DashboardApp;
  let cookie: string;
  beforeAll(async () => {
    t = await createDashboardApp('pglite');
    await t.addUser('admin@example.org', 'admin', PASSWORD);
    cookie = await t.signIn('admin@example.org');
  });
  afterAll(async () => t?.close());

  const post = (headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/v1/suppressions', headers: { cookie, ...headers }, payload: { email: 'eve@example.org' } });

  it('refuses a POST signed in by cookie from another origin, or with no Origin or Referer', async () => {
    for (const headers of [{ origin: EVIL }, { origin: 'null' }, {}, { referer: `${EVIL}/page` }, { origin: 'http://localhost:8080' }] as Record<string, string>[]) {
      const res = await post(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json().error.code).toBe('cross_origin');
    }
    expect((await t.app.inject({ url: '/v1/suppressions', headers: { authorization: `Bearer ${t.apiKey}` } })).json().data).toEqual([]);
  });

  it('accepts a POST from its own origin, or with a same-origin Referer when no Origin is sent', async () => {
    expect((await post({ origin: 'http://localhost:3000' })).statusCode).toBe(201);
    expect((await post({ referer: 'http://localhost:3000/suppressions' })).statusCode).toBe(201);
  });

  it('accepts a local installation reached by another loopback name or through a dev proxy, but not by any Host', async () => {
    expect((await post({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' })).statusCode).toBe(201);
    expect((await post({ origin: 'http://localhost:5173', host: 'localhost:5173' })).statusCode).toBe(201);
    // A DNS-rebinding page shows its own name in both.
    expect((await post({ origin: 'http://evil.example:3000', host: 'evil.example:3000' })).statusCode).toBe(403);
  });

  it('never lets a cookie read for a foreign Origin or a cross-site fetch, GET included', async () => {
    for (const url of ['/v1/emails', '/v1/events/stream', '/v1/session']) {
      const res = await t.app.inject({ url, headers: { cookie, origin: EVIL } });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.code).toBe('cross_origin');
    }
    const fetched = await t.app.inject({ url: '/v1/emails', headers: { cookie, 'sec-fetch-site': 'cross-site' } });
    expect(fetched.statusCode).toBe(403);
    expect((await t.app.inject({ url: '/v1/emails', headers: { cookie, 'sec-fetch-site': 'same-origin' } })).statusCode).toBe(200);
  });

  it('refuses a sign-in posted by another site (login CSRF)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/session', headers: { origin: EVIL }, payload: { email: 'admin@example.org', password: PASSWORD } });
    expect(res.statusCode).toBe(403);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('leaves API keys alone: any Origin, and the key wins over a cookie', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/suppressions', headers: { authorization: `Bearer ${t.apiKey}`, origin: EVIL }, payload: { email: 'bob@example.org' } });
    expect(res.statusCode).toBe(201);
    const wrongKey = await t.app.inject({ url: '/v1/emails', headers: { authorization: 'Bearer st_wrong', cookie, origin: 'http://localhost:3000' } });
    expect(wrongKey.statusCode).toBe(401);
  });
});

describe('on https', () => {
  it('sets a Secure cookie and takes only PUBLIC_URL as its origin', async () => {
    const t = await createDashboardApp('pglite', { publicUrl: 'https://mail.example.com' });
    try {
      await t.addUser('admin@example.org', 'admin', PASSWORD);
      const res = await t.app.inject({ method: 'POST', url: '/v1/session', headers: { origin: 'https://mail.example.com' }, payload: { email: 'admin@example.org', password: PASSWORD } });
      expect(res.statusCode).toBe(200);
      expect(String(res.headers['set-cookie'])).toContain('Secure');
      const cookie = cookieOf(res);
      const local = await t.app.inject({ method: 'POST', url: '/v1/suppressions', headers: { cookie, origin: 'http://localhost', host: 'localhost' }, payload: { email: 'x@example.org' } });
      expect(local.statusCode).toBe(403);
      expect((await t.asBrowser(cookie, { method: 'POST', url: '/v1/suppressions', payload: { email: 'x@example.org' } })).statusCode).toBe(201);
    } finally {
      await t.close();
    }
  });
});
