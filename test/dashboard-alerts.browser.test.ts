// Alerts in a real Chromium against `sendtrail start` (its scheduler evaluating them), on the
// embedded store and on PostgreSQL: a mail refused for failed authentication by the simulator sets
// off an alert, shown in a banner on every screen and on the Alerts page, light and dark; an admin
// changes a rule's line there; a viewer reads the rules without a control to change them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startSendtrailOn, type StoreProcess } from './support/store-process.ts';
import { STORE_KINDS } from './support/test-store.ts';
import { launchChromium, screenshot, seriousAxeViolations, watchPage, type PageWatch } from './support/browser.ts';

const ADMIN = { email: 'admin@example.com', password: 'a long enough password for tests' };
const API_KEY = 'st_dashboard_alerts_test_key_0123456789abc';
const expectedErrors = (text: string, url: string) => /status of 401/.test(text) && /\/v1\/session$/.test(url);

describe.each(STORE_KINDS)('alerts in the dashboard on %s', (kind) => {
  let proc: StoreProcess;
  let browser: Browser;
  let base: string;
  const shot = (page: Page, name: string) => screenshot(page, kind === 'pglite' ? name : `${name}-postgres`);

  beforeAll(async () => {
    proc = await startSendtrailOn(kind, 'sendtrail-alerts-', {
      SENDTRAIL_API_KEY: API_KEY,
      SENDTRAIL_ADMIN_EMAIL: ADMIN.email,
      SENDTRAIL_ADMIN_PASSWORD: ADMIN.password,
      PROVIDER_MX_LOOKUP: 'false',
    });
    base = proc.url!;
    browser = await launchChromium();
  }, 150_000);
  afterAll(async () => {
    await browser?.close();
    await proc?.remove();
  });

  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.ok, `${method} ${path}: ${res.status}`).toBe(true);
    return (await res.json()) as T;
  };
  const expectClean = async (page: Page, watch: PageWatch) => {
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await watch.cspViolations()).toEqual([]);
    expect(watch.errors).toEqual([]);
  };

  it('shows an authentication refusal in a banner on every screen and on the Alerts page; an admin changes a line, a viewer only reads', { timeout: 180_000 }, async () => {
    const sent = await api<{ data: Array<{ id: string }> }>('POST', '/v1/emails', { from: 'shop@shop.example', to: 'authfail@simulator.test', subject: 'Hi', text: 'Hi' });
    const id = sent.data[0]!.id;
    await expect.poll(async () => (await api<{ status: string }>('GET', `/v1/emails/${id}`)).status, { timeout: 30_000 }).toBe('bounced');
    // A change of the rules has them evaluated at the scheduler's next beat (within 5 s), not 30 s on.
    await api('PUT', '/v1/alert-rules', { complaint_rate: { min_volume: 2_000 } });
    await expect.poll(async () => (await api<{ data: Array<{ rule: string }> }>('GET', '/v1/alerts?state=triggered')).data.map((a) => a.rule), { timeout: 30_000 }).toContain('auth_refusal');

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    const page = await context.newPage();
    const watch = await watchPage(page, expectedErrors);
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const banner = page.getByRole('region', { name: 'Alerts triggered' });
    await banner.getByText(/1 alert triggered/).waitFor();
    await expect.poll(() => banner.textContent()).toContain('Authentication refusals 1 for provider other (5.7.26)');
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Campaigns' }).click();
    await banner.waitFor();
    await banner.getByRole('link', { name: 'See the alerts' }).click();
    await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    await page.getByRole('region', { name: 'Alerts triggered now' }).getByText('Authentication refusals', { exact: true }).waitFor();
    await shot(page, 'alerts');

    // An admin raises the complaint rule's warning line to 0.1 %.
    const warn = page.getByLabel('Complaint rate: warn at (%)');
    expect(await warn.inputValue()).toBe('0.08');
    await warn.fill('0.1');
    await page.getByRole('button', { name: 'Save Complaint rate' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const rules = await api<{ data: Array<{ rule: string; warn: number }> }>('GET', '/v1/alert-rules');
    expect(rules.data.find((r) => r.rule === 'complaint_rate')?.warn).toBeCloseTo(0.001, 9);
    await expectClean(page, watch);

    const dark = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark', storageState: await context.storageState() });
    const darkPage = await dark.newPage();
    const darkWatch = await watchPage(darkPage, expectedErrors);
    await darkPage.goto(`${base}/alerts`);
    await darkPage.getByRole('region', { name: 'Alerts triggered now' }).waitFor();
    await shot(darkPage, 'alerts-dark');
    await expectClean(darkPage, darkWatch);
    await dark.close();

    // A viewer reads the rules, with no control to change them.
    const created = await page.evaluate(async () => {
      const res = await fetch('/v1/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'viewer@example.com', role: 'viewer' }) });
      return (await res.json()) as { sign_in_link: string };
    });
    const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const viewerPage = await viewerContext.newPage();
    const viewerWatch = await watchPage(viewerPage, expectedErrors);
    const link = new URL(created.sign_in_link);
    await viewerPage.goto(`${base}${link.pathname}${link.hash}`);
    await viewerPage.getByRole('heading', { name: 'Overview' }).waitFor();
    await viewerPage.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Alerts' }).click();
    await viewerPage.getByRole('region', { name: 'Alert rules' }).getByText('0.1 %').waitFor();
    expect(await viewerPage.getByRole('button', { name: /^Save/ }).count()).toBe(0);
    expect(await viewerPage.getByRole('textbox').count()).toBe(0);
    await shot(viewerPage, 'alerts-viewer');
    await expectClean(viewerPage, viewerWatch);
    await viewerContext.close();
    await context.close();
  });
});
