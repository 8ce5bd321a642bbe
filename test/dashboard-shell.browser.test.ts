// The dashboard around its screens in a real Chromium against `sendtrail start`, on the embedded
// store and on PostgreSQL: an admin who came in by a one-time link sets a password and signs in
// with it; the period and time-zone pickers appear only where they change something; the Inbound
// screen shows mail as the inbound server takes it in; and every screen at a phone's width, with
// no sideways scrolling of the page (screenshots phone-*.png).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { freePort, startSendtrailProcess, type SendtrailProcess } from './support/sendtrail-process.ts';
import { launchChromium, screenshot, seriousAxeViolations, watchPage, type PageWatch } from './support/browser.ts';
import { createTestDatabase, STORE_KINDS } from './support/test-store.ts';

const ADMIN = { email: 'admin@example.com', password: 'a long enough password for tests' };
const API_KEY = 'st_dashboard_shell_test_key_0123456789abc';
const BOUNCE_DOMAIN = 'bounces.example.com';

/**
 * Chromium logs every 4xx answer to fetch: a visitor not signed in yet gets a 401 from
 * /v1/session, and a password refused (wrong current one: 403; too short: 422) from /v1/session/password.
 */
const expectedErrors = (text: string, url: string) =>
  (/status of 401/.test(text) && /\/v1\/session$/.test(url)) || (/status of (403|422)/.test(text) && /\/v1\/session\/password$/.test(url));

describe.each(STORE_KINDS)('the dashboard shell in a real browser on %s', (kind) => {
  let proc: SendtrailProcess;
  let dataDir: string;
  let dropDatabase: (() => Promise<void>) | undefined;
  let browser: Browser;
  let base: string;
  let inboundPort: number;
  const shot = (page: Page, name: string) => screenshot(page, kind === 'pglite' ? name : `${name}-postgres`);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sendtrail-shell-'));
    const database = kind === 'postgres' ? await createTestDatabase() : undefined;
    dropDatabase = database?.drop;
    inboundPort = await freePort();
    proc = await startSendtrailProcess({
      SENDTRAIL_DATA_DIR: dataDir,
      ...(database ? { DATABASE_URL: database.url } : {}),
      SENDTRAIL_API_KEY: API_KEY,
      SENDTRAIL_ADMIN_EMAIL: ADMIN.email,
      SENDTRAIL_ADMIN_PASSWORD: ADMIN.password,
      BOUNCE_DOMAIN,
      INBOUND_SMTP_PORT: String(inboundPort),
      PROVIDER_MX_LOOKUP: 'false',
    });
    base = proc.url!;
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await proc?.stop();
    await dropDatabase?.();
    await rm(dataDir, { recursive: true, force: true });
  });

  const api = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${API_KEY}` }): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`).toBe(true);
    return (await res.json()) as T;
  };
  /** A dashboard session of the admin, as a Cookie header (what a signed-in browser sends). */
  const adminCookie = async () => {
    const res = await fetch(`${base}/v1/session`, { method: 'POST', headers: { origin: base, 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    expect(res.status).toBe(200);
    return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  };
  const signIn = async (context: BrowserContext, email: string, password: string) => {
    const page = await context.newPage();
    const watch = await watchPage(page, expectedErrors);
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    return { page, watch };
  };
  const expectClean = async (page: Page, watch: PageWatch) => {
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await watch.cspViolations()).toEqual([]);
    expect(watch.errors).toEqual([]);
  };
  const openAccountMenu = (page: Page, email: string) => page.getByRole('button', { name: new RegExp(`^Account: ${email}`) }).click();
  const sendInbound = async (subject: string) => {
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: inboundPort });
    await smtp.sendMail({
      envelope: { from: 'someone@elsewhere.example', to: [`postmaster@${BOUNCE_DOMAIN}`] },
      raw: `From: Someone <someone@elsewhere.example>\r\nTo: postmaster@${BOUNCE_DOMAIN}\r\nSubject: ${subject}\r\nMessage-ID: <${Date.now()}.${Math.random()}@elsewhere.example>\r\n\r\nA message no email of ours explains.\r\n`,
    });
    smtp.close();
  };

  it('lets an admin who came in by a one-time link set a password, sign in with it and change it', { timeout: 180_000 }, async () => {
    // An admin invites another admin without a password: the answer carries the one-time link, as
    // the first start prints one for the first admin.
    const cookie = await adminCookie();
    const invited = await api<{ sign_in_link: string }>('POST', '/v1/users', { email: 'second@example.com', role: 'admin' }, { cookie, origin: base });
    const link = new URL(invited.sign_in_link);
    const newPassword = 'seven horses graze by the lake';

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    const page = await context.newPage();
    const watch = await watchPage(page, expectedErrors);
    await page.goto(`${base}${link.pathname}${link.hash}`);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await openAccountMenu(page, 'second@example.com');
    await page.getByRole('menuitem', { name: 'Set a password' }).click();
    await page.getByRole('heading', { name: 'Set a password', level: 1 }).waitFor();
    // Nothing to prove yet: no current password is asked for.
    expect(await page.getByLabel('Current password').count()).toBe(0);
    await page.getByLabel('New password', { exact: true }).fill('too short');
    await page.getByLabel('New password again').fill('too short');
    await page.getByRole('button', { name: 'Set a password' }).click();
    await page.getByRole('alert').getByText('A password needs at least 12 characters.').waitFor();
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('New password again').fill(`${newPassword}!`);
    await page.getByRole('button', { name: 'Set a password' }).click();
    await page.getByRole('alert').getByText('The new password and its repetition differ', { exact: false }).waitFor();
    await page.getByLabel('New password again').fill(newPassword);
    await page.getByRole('button', { name: 'Set a password' }).click();
    await page.getByRole('status').getByText('Your password is set.', { exact: false }).waitFor();
    await shot(page, 'password-set');
    await expectClean(page, watch);

    // Signed out, the password signs in.
    await openAccountMenu(page, 'second@example.com');
    await page.getByRole('menuitem', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in to Sendtrail' }).waitFor();
    await context.close();
    const again = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    const { page: signedIn, watch: signedInWatch } = await signIn(again, 'second@example.com', newPassword);
    const elsewhere = await browser.newContext();
    const { page: otherBrowser } = await signIn(elsewhere, 'second@example.com', newPassword);

    // Changing it asks for the current one: a wrong one is refused in words.
    await openAccountMenu(signedIn, 'second@example.com');
    await signedIn.getByRole('menuitem', { name: 'Change password' }).click();
    await signedIn.getByRole('heading', { name: 'Change password', level: 1 }).waitFor();
    await signedIn.getByLabel('Current password').fill('not the password at all');
    await signedIn.getByLabel('New password', { exact: true }).fill('an even longer passphrase');
    await signedIn.getByLabel('New password again').fill('an even longer passphrase');
    await signedIn.getByRole('button', { name: 'Change password' }).click();
    await signedIn.getByRole('alert').getByText('The current password is not right.').waitFor();
    await shot(signedIn, 'password-wrong-current');
    await signedIn.getByLabel('Current password').fill(newPassword);
    await signedIn.getByRole('button', { name: 'Change password' }).click();
    await signedIn.getByRole('status').getByText('Your password is changed.', { exact: false }).waitFor();
    await expectClean(signedIn, signedInWatch);

    // This browser stays signed in; the other one was signed out by the API.
    await signedIn.reload();
    await signedIn.getByRole('heading', { name: 'Change password', level: 1 }).waitFor();
    await otherBrowser.goto(`${base}/`);
    await otherBrowser.getByRole('heading', { name: 'Sign in to Sendtrail' }).waitFor();
    const oldRefused = await fetch(`${base}/v1/session`, { method: 'POST', headers: { origin: base, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'second@example.com', password: newPassword }) });
    expect(oldRefused.status).toBe(401);
    await elsewhere.close();
    await again.close();
  });

  it('shows the period and time-zone pickers only on the screens they change', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    const { page, watch } = await signIn(context, ADMIN.email, ADMIN.password);
    const pickers = async () => ({ period: await page.getByLabel('Period', { exact: true }).count(), tz: await page.getByLabel('Time zone').count() });
    expect(await pickers()).toEqual({ period: 1, tz: 1 });
    const nav = page.getByRole('navigation', { name: 'Screens' });
    for (const [screen, heading, expected] of [
      ['Email Logs', 'Email Logs', { period: 0, tz: 0 }],
      ['API keys', 'API keys', { period: 0, tz: 0 }],
      ['System', 'System', { period: 0, tz: 0 }],
      ['Campaigns', 'Campaigns', { period: 0, tz: 1 }],
      ['Overview', 'Overview', { period: 1, tz: 1 }],
    ] as const) {
      await nav.getByRole('link', { name: screen, exact: true }).click();
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      expect(await pickers(), screen).toEqual(expected);
    }
    await expectClean(page, watch);
    await context.close();
  });

  it('shows inbound mail on the open Inbound screen as it arrives, without a reload', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    const { page, watch } = await signIn(context, ADMIN.email, ADMIN.password);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Inbound' }).click();
    await page.getByRole('heading', { name: 'Inbound', level: 1 }).waitFor();
    await page.getByText('No unmatched mail.', { exact: false }).waitFor();
    // Time for the stream to open (opening, it reads the list again): what comes after is news.
    await page.waitForTimeout(1500);
    const subject = `Live arrival ${kind}`;
    await sendInbound(subject);
    await page.getByRole('link', { name: subject }).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (globalThis as unknown as { performance: { getEntriesByType(t: string): unknown[] } }).performance.getEntriesByType('navigation').length)).toBe(1);
    await shot(page, 'inbound-live');
    await expectClean(page, watch);
    await context.close();
  });

  it('fits every screen into a phone-width window, the sidebar included', { timeout: 300_000 }, async () => {
    // Something on every screen, so that tables and cards are drawn as a user would see them.
    const emailId = (await api<{ data: Array<{ id: string }> }>('POST', '/v1/emails', {
      from: 'Shop <shop@example.com>', to: 'delivered@simulator.test', subject: 'Your order has shipped and is on its way', text: 'Soon there.', tags: ['orders'],
    })).data[0]!.id;
    const campaignId = (await api<{ id: string }>('POST', '/v1/campaigns', {
      name: 'Spring newsletter with a rather long name', from: 'news@example.com', subject: 'Spring is here', html: '<p>Hi</p>',
      recipients: [{ email: 'delivered@simulator.test' }, { email: 'someone.with.a.long.address@simulator.test' }],
    })).id;
    await api('POST', '/v1/suppressions', { email: 'a.very.long.address.that.bounced@example.org', reason: 'manual' });
    await api('POST', '/v1/domains', { domain: 'news.example.com' });
    await sendInbound('A question about my order, written with a subject long enough to wrap');
    const newestUnmatched = async () => (await api<{ data: Array<{ id: string }> }>('GET', '/v1/inbound?matched=false')).data[0]?.id;
    await expect.poll(newestUnmatched).toBeDefined();
    const inboundId = (await newestUnmatched())!;

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'light' });
    const { page, watch } = await signIn(context, ADMIN.email, ADMIN.password);
    const screens: Array<{ name: string; path: string; ready: (p: Page) => Locator }> = [
      { name: 'overview', path: '/', ready: (p) => p.getByRole('heading', { name: 'Overview', level: 1 }) },
      { name: 'email-logs', path: '/email-logs', ready: (p) => p.locator('tr[data-email-id]').first() },
      { name: 'email-detail', path: `/email-logs/${emailId}?tab=events`, ready: (p) => p.getByRole('list', { name: 'Events, oldest first' }) },
      { name: 'campaigns', path: '/campaigns', ready: (p) => p.getByRole('link', { name: 'Spring newsletter with a rather long name' }) },
      { name: 'campaign-new', path: '/campaigns/new', ready: (p) => p.getByRole('heading', { name: 'New campaign', level: 1 }) },
      { name: 'campaign-detail', path: `/campaigns/${campaignId}`, ready: (p) => p.getByRole('heading', { name: 'Spring newsletter with a rather long name', level: 1 }) },
      { name: 'suppressions', path: '/suppressions', ready: (p) => p.getByText('a.very.long.address.that.bounced@example.org').first() },
      { name: 'inbound', path: '/inbound', ready: (p) => p.locator('tbody tr').first() },
      { name: 'inbound-message', path: `/inbound/${inboundId}`, ready: (p) => p.getByRole('heading', { name: /^A question about my order/, level: 1 }) },
      { name: 'domains', path: '/domains?domain=news.example.com', ready: (p) => p.getByRole('heading', { name: 'Records for news.example.com' }) },
      { name: 'api-keys', path: '/api-keys', ready: (p) => p.getByRole('rowheader').first() },
      { name: 'webhooks', path: '/webhooks', ready: (p) => p.getByRole('heading', { name: 'Webhooks', level: 1 }) },
      { name: 'alerts', path: '/alerts', ready: (p) => p.getByRole('region', { name: 'Alert rules' }) },
      { name: 'users', path: '/users', ready: (p) => p.locator(`[data-user="${ADMIN.email}"]`) },
      { name: 'settings', path: '/settings', ready: (p) => p.getByRole('heading', { name: 'Settings', level: 1 }) },
      { name: 'system', path: '/system', ready: (p) => p.getByRole('heading', { name: 'System', level: 1 }) },
      { name: 'password', path: '/account/password', ready: (p) => p.getByRole('heading', { name: 'Change password', level: 1 }) },
      { name: 'audit', path: '/audit', ready: (p) => p.locator('tr[data-audit-action]').first() },
    ];
    // A mobile viewport widens itself to content that overflows it (innerWidth follows): the
    // window's own 390 pixels are the measure too.
    const overflow = () => page.evaluate(() => {
      const { document, innerWidth } = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
      return document.documentElement.scrollWidth - Math.min(innerWidth, 390);
    });
    const sideways: Record<string, number> = {};
    for (const screen of screens) {
      await page.goto(`${base}${screen.path}`);
      await screen.ready(page).waitFor();
      // Late data (stats, charts) lays out after the first frame.
      await page.waitForTimeout(700);
      const pixels = await overflow();
      if (pixels > 0) sideways[screen.name] = pixels;
      await shot(page, `phone-${screen.name}`);
    }
    // Every screen's picture is taken first, so that one run shows all that is wrong.
    expect(sideways, 'screens that scroll sideways (pixels)').toEqual({});
    // Every screen stays one tap away: the sidebar's links are on the page, none cut off.
    const links = page.getByRole('navigation', { name: 'Screens' }).getByRole('link');
    expect(await links.count()).toBe(13);
    for (const link of await links.all()) {
      const box = (await link.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await expectClean(page, watch);
    await context.close();
  });
});
