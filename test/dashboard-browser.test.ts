// The dashboard in a real Chromium against `sendtrail start` on the embedded store, as an operator
// meets it: sign in as the admin the environment created, find a new install's lesson, send
// simulator mail through the API and watch the Overview count it without a reload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { startSendtrailProcess, type SendtrailProcess } from './support/sendtrail-process.ts';
import { createMigratedDataDir } from './support/test-store.ts';
import { launchChromium, screenshot, seriousAxeViolations, watchPage, type PageWatch } from './support/browser.ts';

const ADMIN = { email: 'admin@example.com', password: 'a long enough password for tests' };
const API_KEY = 'st_dashboard_browser_test_key_0123456789';

/** Chromium logs every 4xx answer to fetch: a visitor not signed in yet gets a 401 from /v1/session, and a wrong password one from POST. */
const expectedErrors = (text: string, url: string) => /status of 401/.test(text) && /\/v1\/session$/.test(url);

describe('the dashboard in a real browser', () => {
  let proc: SendtrailProcess;
  let dataDir: string;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    // Not this file's subject, a first start's initdb is skipped: the embedded database is a migrated copy.
    dataDir = await createMigratedDataDir('sendtrail-dashboard-');
    proc = await startSendtrailProcess({
      SENDTRAIL_DATA_DIR: dataDir,
      SENDTRAIL_API_KEY: API_KEY,
      SENDTRAIL_ADMIN_EMAIL: ADMIN.email,
      SENDTRAIL_ADMIN_PASSWORD: ADMIN.password,
      // Offline: simulator.test counts under "other providers" without asking DNS for its MX.
      PROVIDER_MX_LOOKUP: 'false',
    });
    base = proc.url!;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await proc?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const send = async (to: string[]) => {
    const res = await fetch(`${base}/v1/emails`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'Shop <shop@example.com>', to, subject: 'Your order', text: 'Thanks!' }),
    });
    expect(res.ok, await res.clone().text()).toBe(true);
  };
  const metric = (page: Page, id: string) => page.locator(`[data-metric="${id}"] [data-value]`).textContent();

  it('signs in, teaches the first email, counts simulator mail live, and signs out', { timeout: 180_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    const page = await context.newPage();
    const watch: PageWatch = await watchPage(page, expectedErrors);

    // Not signed in: the app sends the visitor to sign in, and back where they were going after.
    await page.goto(`${base}/?period=24h`);
    await page.getByRole('heading', { name: 'Sign in to Sendtrail' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That email and password do not match an account.').waitFor();
    await screenshot(page, 'sign-in-error');
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(new URL(page.url()).searchParams.get('period')).toBe('24h');
    await expect.poll(() => page.getByLabel('Period', { exact: true }).inputValue()).toBe('24h');

    // A new install: the Overview teaches how to send a first email, with the command to copy.
    await page.getByRole('heading', { name: 'Send your first email' }).waitFor();
    expect(await page.locator('pre code').textContent()).toContain('delivered@simulator.test');
    expect(await page.locator('pre code').textContent()).toContain('Bearer $KEY');
    await screenshot(page, 'overview-empty');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Mail sent through the API shows up with no reload: two delivered, one hard bounce.
    await page.evaluate(() => ((globalThis as unknown as { sameDocument: boolean }).sameDocument = true));
    await send(['delivered@simulator.test', 'delivered+2@simulator.test', 'bounce+1@simulator.test']);
    await expect.poll(() => metric(page, 'sent'), { timeout: 30_000 }).toBe('3');
    await expect.poll(() => metric(page, 'delivered'), { timeout: 30_000 }).toBe('2');
    await expect.poll(() => metric(page, 'bounced'), { timeout: 30_000 }).toBe('1');
    await page.getByRole('heading', { name: 'Send your first email' }).waitFor({ state: 'detached' });
    expect(await page.locator('[data-metric="delivered"]').textContent()).toContain('66.7 %');
    expect(await page.locator('[data-metric="bounced"]').textContent()).toContain('1 hard (33.3 %)');
    // The denominator on hover.
    expect(await page.locator('[data-metric="delivered"] [title]').first().getAttribute('title')).toBe('delivery rate: 2 of 3 sent');
    await expect.poll(() => page.locator('[data-provider="other"] td').first().textContent(), { timeout: 30_000 }).toBe('3');
    await screenshot(page, 'overview');

    await send(['delivered+3@simulator.test']);
    await expect.poll(() => metric(page, 'sent'), { timeout: 30_000 }).toBe('4');
    await expect.poll(() => metric(page, 'delivered'), { timeout: 30_000 }).toBe('3');
    expect(await page.evaluate(() => (globalThis as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The period lives in the URL: another preset is another address, and the numbers stay.
    await page.getByLabel('Period', { exact: true }).selectOption('7d');
    await expect.poll(() => new URL(page.url()).searchParams.get('period')).toBe('7d');
    await expect.poll(() => metric(page, 'sent')).toBe('4');

    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'overview-dark');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });

    // Keyboard: the account menu opens from the keyboard and signs out.
    await page.getByRole('button', { name: /^Account: admin@example.com/ }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'Sign out', exact: true }).waitFor();
    await screenshot(page, 'user-menu');
    await page.getByRole('menuitem', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in to Sendtrail' }).waitFor();
    expect((await fetch(`${base}/v1/session`, { headers: { cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } })).status).toBe(401);

    expect(await watch.cspViolations()).toEqual([]);
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('answers a path the dashboard does not know with its own page, under the CSP, without errors', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const watch = await watchPage(page, expectedErrors);
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.goto(`${base}/no-such-screen/123`);
    await page.getByRole('heading', { name: 'No such page' }).waitFor();
    await page.getByRole('link', { name: 'Go to the Overview' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await watch.cspViolations()).toEqual([]);
    expect(watch.errors).toEqual([]);
    await context.close();
  });
});
