// An admin manages the dashboard's users: create (with a password or a sign-in link), list, change
// role, disable; the last admin stays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardApp, cookieOf, PASSWORD, type DashboardApp } from '../../../test/support/dashboard-app.ts';
import { STORE_KINDS } from '../../../test/support/test-store.ts';

describe.each(STORE_KINDS)('users on %s', (kind) => {
  let t: DashboardApp;
  let admin: string;
  let adminId: string;
  beforeAll(async () => {
    t = await createDashboardApp(kind);
    adminId = (await t.addUser('root@example.org', 'admin', PASSWORD)).id;
    admin = await t.signIn('root@example.org');
  });
  afterAll(async () => t?.close());

  const create = (payload: object) => t.asBrowser(admin, { method: 'POST', url: '/v1/users', payload });
  const patch = (cookie: string, id: string, payload: object) => t.asBrowser(cookie, { method: 'PATCH', url: `/v1/users/${id}`, payload });

  it('creates a user without a password and answers a one-time sign-in link that signs them in', async () => {
    const res = await create({ email: 'Ann@Example.org', role: 'viewer' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.user).toMatchObject({ email: 'ann@example.org', role: 'viewer', has_password: false, disabled: false });
    expect(body.sign_in_link).toMatch(/^http:\/\/localhost:3000\/sign-in#link=[A-Za-z0-9_-]{43}$/);
    const token = body.sign_in_link.split('#link=')[1];
    const signedIn = await t.app.inject({ method: 'POST', url: '/v1/session/link', payload: { token } });
    expect(signedIn.json().user).toMatchObject({ email: 'ann@example.org', role: 'viewer' });
  });

  it('creates a user with a password (no link), refuses a short one and an email taken in any case', async () => {
    const res = await create({ email: 'bob@example.org', role: 'admin', password: PASSWORD });
    expect(res.statusCode).toBe(201);
    expect(res.json().sign_in_link).toBeUndefined();
    expect((await t.app.inject({ method: 'POST', url: '/v1/session', payload: { email: 'bob@example.org', password: PASSWORD } })).statusCode).toBe(200);
    const taken = await create({ email: 'BOB@example.org', role: 'viewer' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('user_exists');
    const short = await create({ email: 'carl@example.org', role: 'viewer', password: 'short' });
    expect(short.statusCode).toBe(422);
    expect(short.json().error.message).toContain('at least 12 characters');
    expect((await create({ email: 'not an email', role: 'viewer' })).statusCode).toBe(400);
  });

  it('lists the users, oldest first', async () => {
    const res = await t.asBrowser(admin, { url: '/v1/users' });
    expect(res.statusCode).toBe(200);
    const emails = res.json().data.map((u: { email: string }) => u.email);
    expect(emails.slice(0, 3)).toEqual(['root@example.org', 'ann@example.org', 'bob@example.org']);
  });

  it('disables a user: their sessions end and they cannot sign in until enabled again', async () => {
    const { id } = (await create({ email: 'dora@example.org', role: 'viewer', password: PASSWORD })).json().user;
    const dora = await t.signIn('dora@example.org');
    const res = await patch(admin, id, { disabled: true });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ email: 'dora@example.org', disabled: true });
    expect((await t.asBrowser(dora, { url: '/v1/session' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/v1/session', payload: { email: 'dora@example.org', password: PASSWORD } })).statusCode).toBe(401);
    expect((await patch(admin, id, { disabled: false, role: 'admin' })).json().user).toMatchObject({ disabled: false, role: 'admin' });
    expect((await t.app.inject({ method: 'POST', url: '/v1/session', payload: { email: 'dora@example.org', password: PASSWORD } })).statusCode).toBe(200);
    expect((await patch(admin, '0190d6c2-0000-7000-8000-000000000000', { disabled: true })).statusCode).toBe(404);
    expect((await patch(admin, 'not-a-uuid', { disabled: true })).statusCode).toBe(404);
  });

  it('keeps the last enabled admin: neither disabled nor demoted (409 last_admin)', async () => {
    const users = (await t.asBrowser(admin, { url: '/v1/users' })).json().data as Array<{ id: string; role: string; disabled: boolean }>;
    for (const u of users) if (u.id !== adminId && u.role === 'admin' && !u.disabled) expect((await patch(admin, u.id, { role: 'viewer' })).statusCode).toBe(200);
    for (const change of [{ disabled: true }, { role: 'viewer' }]) {
      const res = await patch(admin, adminId, change);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('last_admin');
    }
    expect((await t.asBrowser(admin, { url: '/v1/session' })).json().user.role).toBe('admin');
  });

  if (kind === 'postgres') {
    it('keeps one admin when two admins disable each other at the same moment', async () => {
      const a = (await create({ email: 'eve@example.org', role: 'admin', password: PASSWORD })).json().user.id;
      const eve = await t.signIn('eve@example.org');
      // root and eve are the only enabled admins (the test above demoted the others).
      const [one, two] = await Promise.all([patch(admin, a, { disabled: true }), patch(eve, adminId, { disabled: true })]);
      // The loser is refused as the last admin, or, if the winner ended its session first, as signed out.
      const statuses = [one.statusCode, two.statusCode];
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.find((s) => s !== 200)).toBeOneOf([401, 409]);
      const enabledAdmins = (await t.store.db.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled_at', 'is', null).execute());
      expect(enabledAdmins).toHaveLength(1);
    });
  }
});

describe('an admin who was signed in by link', () => {
  it('sets a password, then signs in with it', async () => {
    const t = await createDashboardApp('pglite');
    try {
      const { signInToken } = await t.addUser('first@example.org', 'admin');
      const cookie = cookieOf(await t.app.inject({ method: 'POST', url: '/v1/session/link', payload: { token: signInToken! } }));
      expect((await t.asBrowser(cookie, { method: 'PUT', url: '/v1/session/password', payload: { new_password: PASSWORD } })).statusCode).toBe(204);
      expect((await t.app.inject({ method: 'POST', url: '/v1/session', payload: { email: 'first@example.org', password: PASSWORD } })).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});
