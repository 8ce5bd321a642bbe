// Signing in to the dashboard, as a browser does it: cookies, expiry, sign-out, links, rate limits.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardApp, cookieOf, PASSWORD, PUBLIC_URL, type DashboardApp } from '../../../test/support/dashboard-app.ts';
import { STORE_KINDS } from '../../../test/support/test-store.ts';

const HOUR = 3_600_000;
const origin = PUBLIC_URL;

describe.each(STORE_KINDS)('dashboard sign-in on %s', (kind) => {
  let t: DashboardApp;
  let n = 0;
  /** A fresh address per test: rate limits and sessions do not leak between tests. */
  const newEmail = () => `user${++n}@example.org`;
  beforeAll(async () => {
    t = await createDashboardApp(kind);
  });
  afterAll(async () => t?.close());
  afterEach(async () => {
    await t.store.db.deleteFrom('sign_in_attempts').execute();
  });

  const signIn = (email: string, password: string, remoteAddress = '127.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/v1/session', headers: { origin }, payload: { email, password }, remoteAddress });

  it('signs in with the right password: the user, an HttpOnly SameSite=Lax cookie (not Secure on http), and the session works', async () => {
    const email = newEmail();
    const { id } = await t.addUser(email, 'admin', PASSWORD);
    const res = await signIn(email.toUpperCase(), PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ user: { id, email, role: 'admin', has_password: true } });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^sendtrail_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure');

    const cookie = cookieOf(res);
    const session = await t.asBrowser(cookie, { url: '/v1/session' });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toEqual({
      user: { id, email, role: 'admin', has_password: true },
      session: { created_at: t.clock.now.toISOString(), expires_at: new Date(t.clock.now.getTime() + 12 * HOUR).toISOString() },
    });
    // A session works on the default project like its API key.
    expect((await t.asBrowser(cookie, { url: '/v1/emails?limit=1' })).statusCode).toBe(200);
  });

  it('answers a wrong password, an unknown email and a disabled user alike: 401 invalid_credentials', async () => {
    const email = newEmail();
    await t.addUser(email, 'viewer', PASSWORD);
    const wrong = await signIn(email, 'not the password at all');
    const unknown = await signIn(newEmail(), PASSWORD);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error.code).toBe('invalid_credentials');
    expect(wrong.headers['set-cookie']).toBeUndefined();

    const disabled = newEmail();
    const { id } = await t.addUser(disabled, 'viewer', PASSWORD);
    await t.store.db.updateTable('users').set({ disabled_at: t.clock.now }).where('id', '=', id).execute();
    expect((await signIn(disabled, PASSWORD)).json()).toEqual(wrong.json());
  });

  it('is not signed in without a cookie, or with an unknown one', async () => {
    expect((await t.app.inject({ url: '/v1/session' })).json().error.code).toBe('unauthorized');
    const res = await t.asBrowser('sendtrail_session=forged', { url: '/v1/session' });
    expect(res.statusCode).toBe(401);
  });

  it('refuses the 11th failure of an email from one network in 15 minutes with 429 and Retry-After, even with the right password, then admits it again', async () => {
    const email = newEmail();
    await t.addUser(email, 'viewer', PASSWORD);
    for (let i = 0; i < 10; i++) expect((await signIn(email, `wrong password ${i}`, '198.51.100.7')).statusCode).toBe(401);
    t.clock.advance(60_000);
    const limited = await signIn(email, PASSWORD, '198.51.100.7');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toEqual({ code: 'rate_limited', message: 'Too many failed sign-in attempts: retry in 840 seconds' });
    expect(Number(limited.headers['retry-after'])).toBe(14 * 60);
    // Another email from the same network is not affected.
    const other = newEmail();
    await t.addUser(other, 'viewer', PASSWORD);
    expect((await signIn(other, PASSWORD, '198.51.100.7')).statusCode).toBe(200);
    t.clock.advance(14 * 60_000);
    expect((await signIn(email, PASSWORD, '198.51.100.7')).statusCode).toBe(200);
  });

  it('does not lock the owner out: while one network is refused for their email, the owner signs in from their own', async () => {
    const admin = newEmail();
    await t.addUser(admin, 'admin', PASSWORD);
    for (let i = 0; i < 10; i++) await signIn(admin, `wrong password ${i}`, '203.0.113.66');
    expect((await signIn(admin, PASSWORD, '203.0.113.66')).statusCode).toBe(429);
    expect((await signIn(admin, PASSWORD, '192.0.2.10')).statusCode).toBe(200);
    // Nor by guessing from many networks: each is refused on its own, the owner's is not.
    for (let n = 1; n <= 6; n++) {
      for (let i = 0; i < 11; i++) await signIn(admin, `wrong password ${i}`, `203.0.113.${n}`);
      expect((await signIn(admin, PASSWORD, `203.0.113.${n}`)).statusCode).toBe(429);
    }
    expect((await signIn(admin, PASSWORD, '192.0.2.10')).statusCode).toBe(200);
  });

  it('does not reset one network\'s failures when the user signs in from another; a success from the same network does', async () => {
    const email = newEmail();
    await t.addUser(email, 'viewer', PASSWORD);
    for (let i = 0; i < 9; i++) await signIn(email, 'wrong password!', '10.0.0.1');
    expect((await signIn(email, PASSWORD, '10.0.0.2')).statusCode).toBe(200);
    expect((await signIn(email, 'wrong password!', '10.0.0.1')).statusCode).toBe(401); // the 10th
    expect((await signIn(email, PASSWORD, '10.0.0.1')).statusCode).toBe(429);
    t.clock.advance(15 * 60_000);
    for (let i = 0; i < 9; i++) await signIn(email, 'wrong password!', '10.0.0.3');
    expect((await signIn(email, PASSWORD, '10.0.0.3')).statusCode).toBe(200);
    for (let i = 0; i < 10; i++) expect((await signIn(email, 'wrong password!', '10.0.0.3')).statusCode).toBe(401);
  });

  it('refuses a network after 50 failures in 15 minutes, whatever the emails and links it tries', async () => {
    const email = newEmail();
    await t.addUser(email, 'viewer', PASSWORD);
    const ip = '10.1.1.1';
    for (let i = 0; i < 45; i++) expect((await signIn(`nobody${i}@example.org`, 'wrong password!', ip)).statusCode).toBe(401);
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/session/link', payload: { token: `guess-${i}` }, remoteAddress: ip });
      expect(res.statusCode).toBe(401);
    }
    const limited = await signIn(email, PASSWORD, ip);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBe(15 * 60);
    expect((await t.app.inject({ method: 'POST', url: '/v1/session/link', payload: { token: 'x' }, remoteAddress: ip })).statusCode).toBe(429);
    expect((await signIn(email, PASSWORD, '10.1.1.2')).statusCode).toBe(200);
  });

  it('counts an IPv6 client by its /64, and an IPv4-mapped address as the IPv4 address', async () => {
    const email = newEmail();
    await t.addUser(email, 'viewer', PASSWORD);
    // An attacker rotating through the addresses of their /64 is one network.
    for (let i = 0; i < 10; i++) expect((await signIn(email, 'wrong password!', `2001:db8:7:7::${(i + 1).toString(16)}`)).statusCode).toBe(401);
    expect((await signIn(email, PASSWORD, '2001:db8:7:7:ffff::1')).statusCode).toBe(429);
    expect((await signIn(email, PASSWORD, '2001:db8:7:8::1')).statusCode).toBe(200);

    const other = newEmail();
    await t.addUser(other, 'viewer', PASSWORD);
    for (let i = 0; i < 5; i++) await signIn(other, 'wrong password!', '198.51.100.20');
    for (let i = 0; i < 5; i++) await signIn(other, 'wrong password!', '::ffff:198.51.100.20');
    expect((await signIn(other, PASSWORD, '198.51.100.20')).statusCode).toBe(429);
  });

  it('counts the connection\'s address, not an X-Forwarded-For it sends, unless its proxy is trusted', async () => {
    const email = newEmail();
    await t.addUser(email, 'viewer', PASSWORD);
    const forwarded = (i: number) => ({ 'x-forwarded-for': `192.0.2.${i}` });
    for (let i = 0; i < 10; i++) {
      await t.app.inject({ method: 'POST', url: '/v1/session', headers: { origin, ...forwarded(i) }, payload: { email, password: 'wrong password!' }, remoteAddress: '198.51.100.30' });
    }
    const res = await t.app.inject({ method: 'POST', url: '/v1/session', headers: { origin, ...forwarded(99) }, payload: { email, password: PASSWORD }, remoteAddress: '198.51.100.30' });
    expect(res.statusCode).toBe(429);
  });

  it('behind a proxy listed in TRACKING_TRUSTED_PROXIES, counts the client its X-Forwarded-For names', async () => {
    const proxied = await createDashboardApp(kind, { trustProxy: ['127.0.0.1'] });
    try {
      const email = newEmail();
      await proxied.addUser(email, 'viewer', PASSWORD);
      const signInVia = (client: string, password: string) =>
        proxied.app.inject({ method: 'POST', url: '/v1/session', headers: { origin, 'x-forwarded-for': client }, payload: { email, password }, remoteAddress: '127.0.0.1' });
      for (let i = 0; i < 10; i++) expect((await signInVia('192.0.2.1', 'wrong password!')).statusCode).toBe(401);
      expect((await signInVia('192.0.2.1', PASSWORD)).statusCode).toBe(429);
      expect((await signInVia('192.0.2.2', PASSWORD)).statusCode).toBe(200);
    } finally {
      await proxied.close();
    }
  });

  it('ends a session after 12 idle hours, and keeps a used one alive, written at most once a minute', async () => {
    const email = newEmail();
    await t.addUser(email, 'viewer', PASSWORD);
    const cookie = await t.signIn(email);
    const lastSeen = async () => (await t.store.db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id').select('last_seen_at').where('users.email', '=', email).executeTakeFirstOrThrow()).last_seen_at.getTime();
    const signedInAt = t.clock.now.getTime();

    t.clock.advance(30_000);
    expect((await t.asBrowser(cookie, { url: '/v1/session' })).statusCode).toBe(200);
    expect(await lastSeen()).toBe(signedInAt); // not rewritten within the minute
    t.clock.advance(31_000);
    expect((await t.asBrowser(cookie, { url: '/v1/session' })).statusCode).toBe(200);
    expect(await lastSeen()).toBe(t.clock.now.getTime());

    t.clock.advance(12 * HOUR - 1000);
    expect((await t.asBrowser(cookie, { url: '/v1/session' })).statusCode).toBe(200);
    t.clock.advance(12 * HOUR);
    const ended = await t.asBrowser(cookie, { url: '/v1/session' });
    expect(ended.statusCode).toBe(401);
    expect(String(ended.headers['set-cookie'])).toMatch(/^sendtrail_session=;.*Max-Age=0/); // the browser drops it
  });

  it('ends a session 7 days after sign-in however much it is used', async () => {
    const email = newEmail();
    await t.addUser(email, 'viewer', PASSWORD);
    const cookie = await t.signIn(email);
    for (let h = 11; h < 7 * 24; h += 11) {
      t.clock.advance(11 * HOUR);
      expect((await t.asBrowser(cookie, { url: '/v1/session' })).statusCode, `after ${h} hours`).toBe(200);
    }
    t.clock.advance(11 * HOUR);
    expect((await t.asBrowser(cookie, { url: '/v1/session' })).statusCode).toBe(401);
  });

  it('signs out this session, or every session of the user', async () => {
    const email = newEmail();
    await t.addUser(email, 'viewer', PASSWORD);
    const [laptop, phone, tablet] = [await t.signIn(email), await t.signIn(email), await t.signIn(email)];
    const out = await t.asBrowser(laptop, { method: 'DELETE', url: '/v1/session' });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^sendtrail_session=;/);
    expect((await t.asBrowser(laptop, { url: '/v1/session' })).statusCode).toBe(401);
    expect((await t.asBrowser(phone, { url: '/v1/session' })).statusCode).toBe(200);

    expect((await t.asBrowser(phone, { method: 'DELETE', url: '/v1/sessions' })).statusCode).toBe(204);
    expect((await t.asBrowser(phone, { url: '/v1/session' })).statusCode).toBe(401);
    expect((await t.asBrowser(tablet, { url: '/v1/session' })).statusCode).toBe(401);
  });

  it('redeems a sign-in link once, within 24 hours', async () => {
    const email = newEmail();
    const { signInToken } = await t.addUser(email, 'admin');
    const redeem = (token: string) => t.app.inject({ method: 'POST', url: '/v1/session/link', headers: { origin }, payload: { token } });
    const first = await redeem(signInToken!);
    expect(first.statusCode).toBe(200);
    expect(first.json().user).toMatchObject({ email, role: 'admin', has_password: false });
    expect((await t.asBrowser(cookieOf(first), { url: '/v1/session' })).statusCode).toBe(200);
    const again = await redeem(signInToken!);
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('invalid_link');

    const late = await t.addUser(newEmail(), 'viewer');
    t.clock.advance(24 * HOUR);
    expect((await redeem(late.signInToken!)).json().error.code).toBe('invalid_link');
  });

  it('lets a user without a password set one, then asks for the current one; the other sessions end', async () => {
    const email = newEmail();
    const { signInToken } = await t.addUser(email, 'viewer');
    const linked = cookieOf(await t.app.inject({ method: 'POST', url: '/v1/session/link', payload: { token: signInToken! } }));
    const put = (cookie: string, payload: object) => t.asBrowser(cookie, { method: 'PUT', url: '/v1/session/password', payload });

    const short = await put(linked, { new_password: 'too short' });
    expect(short.statusCode).toBe(422);
    expect(short.json().error).toMatchObject({ code: 'password_too_short', message: expect.stringContaining('12 characters') });
    expect((await put(linked, { new_password: PASSWORD })).statusCode).toBe(204);
    expect((await t.asBrowser(linked, { url: '/v1/session' })).json().user.has_password).toBe(true);

    const other = await t.signIn(email);
    const newPassword = 'a much better passphrase';
    expect((await put(linked, { new_password: newPassword })).json().error.code).toBe('validation_error');
    expect((await put(linked, { current_password: 'not the password', new_password: newPassword })).json().error.code).toBe('wrong_password');
    expect((await put(linked, { current_password: PASSWORD, new_password: newPassword })).statusCode).toBe(204);
    expect((await t.asBrowser(linked, { url: '/v1/session' })).statusCode).toBe(200);
    expect((await t.asBrowser(other, { url: '/v1/session' })).statusCode).toBe(401);
    expect((await signIn(email, PASSWORD)).statusCode).toBe(401);
    expect((await signIn(email, newPassword)).statusCode).toBe(200);
  });

  it('stores neither the session token nor the link token, only their hashes', async () => {
    const email = newEmail();
    const { signInToken } = await t.addUser(email, 'viewer', PASSWORD);
    const token = (await t.signIn(email)).split('=')[1]!;
    const stored = JSON.stringify([
      await t.store.db.selectFrom('sessions').selectAll().execute(),
      await t.store.db.selectFrom('sign_in_links').selectAll().execute(),
      await t.store.db.selectFrom('users').selectAll().execute(),
    ]);
    expect(stored).not.toContain(token);
    expect(signInToken).toBeUndefined(); // a user with a password gets no link
    expect(stored).not.toContain(PASSWORD);
    expect(stored).toContain('$argon2id$');
  });
});

describe('logs', () => {
  it('never carry a password, a session token or a sign-in link, at level debug', async () => {
    const t = await createDashboardApp('pglite');
    try {
      await t.addUser('logged@example.org', 'admin', PASSWORD);
      await t.app.inject({ method: 'POST', url: '/v1/session', headers: { origin }, payload: { email: 'logged@example.org', password: 'a wrong password guess' } });
      await t.app.inject({ method: 'POST', url: '/v1/session', headers: { origin }, payload: { email: 'nobody@example.org', password: 'an unknown user guess' } });
      const cookie = await t.signIn('logged@example.org');
      const newPassword = 'another secret passphrase';
      await t.asBrowser(cookie, { method: 'PUT', url: '/v1/session/password', payload: { current_password: 'a wrong current one', new_password: newPassword } });
      await t.asBrowser(cookie, { method: 'PUT', url: '/v1/session/password', payload: { current_password: PASSWORD, new_password: newPassword } });
      await t.asBrowser(cookie, { url: '/v1/session' });
      const created = (await t.asBrowser(cookie, { method: 'POST', url: '/v1/users', payload: { email: 'linked@example.org', role: 'viewer' } })).json();
      const link = created.sign_in_link as string;
      const linkToken = link.split('#link=')[1]!;
      const redeemed = await t.app.inject({ method: 'POST', url: '/v1/session/link', headers: { origin }, payload: { token: linkToken } });
      expect(redeemed.statusCode).toBe(200);
      await t.app.inject({ method: 'POST', url: '/v1/session/link', headers: { origin }, payload: { token: linkToken } }); // used: refused
      await t.asBrowser(cookie, { method: 'POST', url: '/v1/users', payload: { email: 'short@example.org', role: 'viewer', password: 'tiny secret' } });
      const logs = t.logs.join('');
      expect(logs).toContain('/v1/session'); // requests are logged
      expect(logs).toContain('/v1/session/link');
      const secrets = [PASSWORD, 'a wrong password guess', 'an unknown user guess', 'a wrong current one', newPassword, 'tiny secret', cookie.split('=')[1]!, linkToken, cookieOf(redeemed).split('=')[1]!];
      for (const secret of secrets) expect(logs).not.toContain(secret);
    } finally {
      await t.close();
    }
  });
});

describe('timing', () => {
  it('takes about as long to refuse an unknown email as a wrong password (both verify an argon2id hash)', async () => {
    const t = await createDashboardApp('pglite');
    try {
      await t.addUser('known@example.org', 'viewer', PASSWORD);
      // CPU time of this process (argon2 hashes on libuv's threads, PGlite in this process), not wall
      // time: other test files busy on the same cores would stretch one side at random.
      const timed = async (email: string) => {
        const started = process.cpuUsage();
        const res = await t.app.inject({ method: 'POST', url: '/v1/session', headers: { origin }, payload: { email, password: 'not the password at all' }, remoteAddress: '10.9.9.9' });
        expect(res.statusCode).toBe(401);
        const used = process.cpuUsage(started);
        return (used.user + used.system) / 1000;
      };
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const known: number[] = [];
      const unknown: number[] = [];
      // Interleaved, a different unknown address each time, the first of them included.
      for (let i = 0; i < 9; i++) {
        unknown.push(await timed(`unknown${i}@example.org`));
        known.push(await timed('known@example.org'));
        await t.store.db.deleteFrom('sign_in_attempts').execute();
      }
      // An argon2id verification at these parameters takes well over 5 ms; a shortcut would not.
      expect(median(known)).toBeGreaterThan(5);
      expect(median(unknown) / median(known)).toBeGreaterThan(0.5);
      expect(median(unknown) / median(known)).toBeLessThan(2);
    } finally {
      await t.close();
    }
  });
});
