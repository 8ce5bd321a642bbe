// The admin screens in a real Chromium against `sendtrail start`, on the embedded store and on
// PostgreSQL: an admin creates an API key (shown once), sends with it, revokes it (then 401); adds a
// sending domain and reads its records; invites a viewer, who signs in by the link and finds
// nothing to change, and whose cookie is refused (403) when it tries anyway; the admin reads all of it
// in the audit log, which the viewer may not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startSendtrailProcess, type SendtrailProcess } from './support/sendtrail-process.ts';
import { createMigratedDataDir, createTestDatabase, STORE_KINDS } from './support/test-store.ts';
import { launchChromium, screenshot, seriousAxeViolations, watchPage, type PageWatch } from './support/browser.ts';

const ADMIN = { email: 'admin@example.com', password: 'a long enough password for tests' };

/** Chromium logs every 4xx answer to fetch: a visitor not signed in yet gets a 401 from /v1/session. */
const expectedErrors = (text: string, url: string) => /status of 401/.test(text) && /\/v1\/session$/.test(url);

describe.each(STORE_KINDS)('the admin screens in a real browser on %s', (kind) => {
  let proc: SendtrailProcess;
  let dataDir: string;
  let dropDatabase: (() => Promise<void>) | undefined;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    // Not this file's subject, a first start's initdb is skipped: the embedded database is a migrated copy.
    dataDir = kind === 'pglite' ? await createMigratedDataDir('sendtrail-admin-') : await mkdtemp(join(tmpdir(), 'sendtrail-admin-'));
    const database = kind === 'postgres' ? await createTestDatabase() : undefined;
    dropDatabase = database?.drop;
    proc = await startSendtrailProcess({
      SENDTRAIL_DATA_DIR: dataDir,
      ...(database ? { DATABASE_URL: database.url } : {}),
      SENDTRAIL_ADMIN_EMAIL: ADMIN.email,
      SENDTRAIL_ADMIN_PASSWORD: ADMIN.password,
      BOUNCE_DOMAIN: 'bounces.example.com',
      PROVIDER_MX_LOOKUP: 'false',
    });
    base = proc.url!;
    browser = await launchChromium();
    // A first start makes its database (PGlite's initdb, or the migrations), slow on a busy machine.
  }, 150_000);
  afterAll(async () => {
    await browser?.close();
    await proc?.stop();
    await dropDatabase?.();
    await rm(dataDir, { recursive: true, force: true });
  });

  const sendWith = (key: string) =>
    fetch(`${base}/v1/emails`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'shop@example.com', to: 'delivered@simulator.test', subject: 'Hi', text: 'Hi' }),
    });
  const cookieOf = async (context: BrowserContext) => (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const expectClean = async (page: Page, watch: PageWatch) => {
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await watch.cspViolations()).toEqual([]);
    expect(watch.errors).toEqual([]);
  };

  it('lets an admin manage keys, domains and users, and a viewer only read', { timeout: 240_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    const page = await context.newPage();
    const watch = await watchPage(page, expectedErrors);
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    // The first-email lesson points at the API keys screen, not at a command that needs the server stopped.
    await page.getByRole('heading', { name: 'Send your first email' }).waitFor();
    expect(await page.locator('#main').textContent()).not.toContain('keys create');

    // API keys: create one, shown once, that works; its last use appears; revoked, it gets 401.
    await page.locator('#main').getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await page.getByLabel('Key name').fill('browser test');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('Copy it now: you won’t see it again.').waitFor();
    const key = (await page.locator('[data-new-key]').textContent())!;
    expect(key).toMatch(/^st_[A-Za-z0-9_-]{32}$/);
    const row = page.locator('tr', { has: page.getByRole('rowheader', { name: 'browser test' }) });
    await expect.poll(() => row.locator('[data-last-used]').textContent()).toBe('Never');
    expect((await sendWith(key)).status).toBe(202);
    // The stats stream moves as the email is folded in, and the list refetches: no reload.
    await expect.poll(() => row.locator('[data-last-used]').textContent(), { timeout: 45_000 }).toBe('just now');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.locator('[data-new-key]').count()).toBe(0);
    await page.getByRole('button', { name: 'Revoke browser test' }).click();
    await page.getByRole('group', { name: 'Confirm revoking browser test' }).waitFor();
    await page.getByRole('button', { name: 'Revoke browser test' }).click();
    await expect.poll(() => row.locator('[data-status]').textContent()).toMatch(/^Revoked/);
    const refused = await sendWith(key);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe('Unknown or revoked API key');
    await page.getByLabel('Show').selectOption('active');
    await expect.poll(() => new URL(page.url()).searchParams.get('keys')).toBe('active');
    // The key the first start made stays; the revoked one is filtered out.
    await page.getByRole('rowheader', { name: 'browser test' }).waitFor({ state: 'detached' });
    await page.getByRole('rowheader', { name: 'default' }).waitFor();
    await page.getByLabel('Show').selectOption('all');
    await screenshot(page, 'api-keys');
    await expectClean(page, watch);

    // Domains: add one and read its records, each with copy buttons.
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Domains' }).click();
    await page.getByText('No sending domain yet.', { exact: false }).waitFor();
    await page.getByLabel('Domain', { exact: true }).fill('Shop.Example.com');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.getByRole('heading', { name: 'Records for shop.example.com' }).waitFor();
    expect(new URL(page.url()).searchParams.get('domain')).toBe('shop.example.com');
    const records = page.locator('[data-record]');
    expect(await records.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-record')))).toEqual(['TXT', 'TXT', 'TXT', 'MX']);
    expect(await records.first().locator('[data-value]').textContent()).toMatch(/^v=DKIM1; k=rsa; p=/);
    expect(await page.getByRole('button', { name: /^Copy the value of the TXT record st\d{6}\._domainkey\.shop\.example\.com$/ }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /^Copy the host of the MX record bounces\.example\.com$/ }).count()).toBe(1);
    expect(await page.locator('#main').textContent()).not.toContain('PRIVATE KEY');
    await page.locator('[data-domain="shop.example.com"]').waitFor();
    await screenshot(page, 'domains');
    await expectClean(page, watch);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'domains-dark');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });

    // Users: invite a viewer; the link is shown once.
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Users' }).click();
    await page.locator(`[data-user="${ADMIN.email}"]`).waitFor();
    await page.getByLabel('Email', { exact: true }).fill('viewer@example.com');
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await page.getByRole('button', { name: 'Add user' }).click();
    const link = (await page.locator('[data-sign-in-link]').textContent())!;
    expect(link).toMatch(/\/sign-in#link=[A-Za-z0-9_-]{43}$/);
    await page.locator('[data-user="viewer@example.com"]').waitFor();
    expect(await page.getByLabel('Role of viewer@example.com').inputValue()).toBe('viewer');
    await screenshot(page, 'users');
    await expectClean(page, watch);

    // The viewer signs in by the link: keys listed without buttons, no Users entry, and the API says no.
    const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const viewerPage = await viewerContext.newPage();
    const viewerWatch = await watchPage(viewerPage, expectedErrors);
    await viewerPage.goto(`${base}${new URL(link).pathname}${new URL(link).hash}`);
    await viewerPage.getByRole('heading', { name: 'Overview' }).waitFor();
    const nav = viewerPage.getByRole('navigation', { name: 'Screens' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Overview', 'Email Logs', 'Campaigns', 'Suppressions', 'Inbound', 'Domains', 'API keys', 'Webhooks', 'Alerts', 'Settings', 'System']);
    await nav.getByRole('link', { name: 'API keys' }).click();
    await viewerPage.getByRole('rowheader', { name: 'browser test' }).waitFor();
    expect(await viewerPage.getByRole('button', { name: 'Create key' }).count()).toBe(0);
    expect(await viewerPage.getByRole('button', { name: /^Revoke/ }).count()).toBe(0);
    await nav.getByRole('link', { name: 'Domains' }).click();
    await viewerPage.getByRole('button', { name: 'Show the records of shop.example.com' }).click();
    await viewerPage.getByRole('heading', { name: 'Records for shop.example.com' }).waitFor();
    expect(await viewerPage.getByRole('button', { name: 'Add domain' }).count()).toBe(0);
    expect(await viewerPage.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    await viewerPage.goto(`${base}/users`);
    await viewerPage.getByText('Admins only', { exact: false }).waitFor();
    await screenshot(viewerPage, 'users-viewer');
    await expectClean(viewerPage, viewerWatch);

    const forbidden = await fetch(`${base}/v1/api-keys`, {
      method: 'POST',
      headers: { cookie: await cookieOf(viewerContext), origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'sneaky' }),
    });
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    const listed = await fetch(`${base}/v1/api-keys`, { headers: { cookie: await cookieOf(context), origin: base } });
    expect(((await listed.json()) as { data: Array<{ name: string }> }).data.map((k) => k.name)).not.toContain('sneaky');

    // The audit log is the admins': the viewer has no link to it, is told so by address, and the API says no.
    expect((await fetch(`${base}/v1/audit`, { headers: { cookie: await cookieOf(viewerContext), origin: base } })).status).toBe(403);
    await viewerPage.goto(`${base}/audit`);
    await viewerPage.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await viewerPage.getByText('Admins only', { exact: false }).waitFor();

    // The admin disables the viewer (confirmed in the row): their session ends at once; enabled again.
    await page.getByRole('button', { name: 'Disable viewer@example.com' }).click();
    await page.getByRole('group', { name: 'Confirm disabling viewer@example.com' }).waitFor();
    await page.getByRole('button', { name: 'Disable viewer@example.com' }).click();
    const viewerStatus = page.locator('[data-user="viewer@example.com"] [data-status]');
    await expect.poll(() => viewerStatus.textContent()).toBe('Disabled');
    expect((await fetch(`${base}/v1/session`, { headers: { cookie: await cookieOf(viewerContext), origin: base } })).status).toBe(401);
    await page.getByRole('button', { name: 'Enable viewer@example.com' }).click();
    await expect.poll(() => viewerStatus.textContent()).toMatch(/^Enabled/);
    // The last admin stays one: the refusal is shown in words and the role does not move.
    await page.getByLabel('Role of admin@example.com').selectOption('viewer');
    await page.getByText('Could not change admin@example.com: This is the last enabled admin: make another user admin first').waitFor();
    expect(await page.getByLabel('Role of admin@example.com').inputValue()).toBe('admin');

    // The admin reads what happened above in the audit log, filters it (the filter is in the URL), in both themes.
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await page.locator('tr[data-audit-action="user.enable"]').waitFor();
    for (const action of ['user.sign_in', 'api_key.create', 'api_key.revoke', 'domain.add', 'user.create', 'user.disable']) {
      expect(await page.locator(`tr[data-audit-action="${action}"][data-audit-outcome="success"]`).count(), action).toBeGreaterThan(0);
    }
    // The viewer's attempt to create a key, and the admin's refused demotion of the last admin.
    await page.locator('tr[data-audit-action="api_key.create"][data-audit-outcome="denied"]').getByText('viewer@example.com').waitFor();
    await page.locator('tr[data-audit-action="user.update"][data-audit-outcome="failed"]').getByText('last_admin', { exact: true }).waitFor();
    await screenshot(page, 'audit');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await watch.cspViolations()).toEqual([]);
    // The refused demotion above answered 409, which Chromium logs; nothing else may have failed.
    expect(watch.errors.filter((e) => !/status of 409 .*\/v1\/users\//.test(e))).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'audit-dark');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByLabel('Action').selectOption('user.disable');
    await expect.poll(() => new URL(page.url()).searchParams.get('action')).toBe('user.disable');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await page.reload();
    await page.locator('tr[data-audit-action="user.disable"]').waitFor();
    expect(await page.getByLabel('Action').inputValue()).toBe('user.disable');

    await viewerContext.close();
    await context.close();
  });
});
