// Campaigns, suppressions and inbound mail in a real Chromium against `sendtrail start`, on the
// embedded store and on PostgreSQL: an admin uploads a CSV of simulator recipients (one bad line
// named), sends the campaign and watches it finish without a reload, reads its numbers, cancels a
// scheduled one, adds and removes a suppression, reads unmatched inbound mail; a viewer sees no
// control that changes anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { freePort, startSendtrailProcess, type SendtrailProcess } from './support/sendtrail-process.ts';
import { launchChromium, screenshot, seriousAxeViolations, watchPage, type PageWatch } from './support/browser.ts';
import { createMigratedDataDir, createTestDatabase, STORE_KINDS, type StoreKind } from './support/test-store.ts';

const ADMIN = { email: 'admin@example.com', password: 'a long enough password for tests' };
const VIEWER = { email: 'viewer@example.com', password: 'another long password for tests' };
const API_KEY = 'st_dashboard_campaigns_test_key_0123456789';
const BOUNCE_DOMAIN = 'bounces.campaigns.test';
const DELIVERED = 28;
const BOUNCED = 3;

/** Chromium logs every 4xx answer to fetch: the 401 of a visitor not signed in yet, and the 422 of the refused list. */
const expectedErrors = (text: string, url: string) =>
  (/status of 401/.test(text) && /\/v1\/session$/.test(url)) || (/status of 422/.test(text) && /\/v1\/campaigns\/[^/]+\/recipients\?skip_invalid=false$/.test(url));

/** A few dozen simulator recipients, with one bad line (line 12). */
function recipientsCsv(): string {
  const lines = ['email,first_name,city'];
  for (let i = 0; i < DELIVERED; i++) lines.push(`delivered+${i}@simulator.test,Ann${i},Lyon`);
  for (let i = 0; i < BOUNCED; i++) lines.push(`bounce+${i}@simulator.test,Bob${i},Nantes`);
  lines.splice(11, 0, 'not-an-address,Eve,Paris');
  return `${lines.join('\n')}\n`;
}

describe.each(STORE_KINDS)('campaigns, suppressions and inbound in a real browser on %s', (kind: StoreKind) => {
  let proc: SendtrailProcess;
  let cleanup: () => Promise<void>;
  let browser: Browser;
  let base: string;
  let inboundPort: number;

  beforeAll(async () => {
    let store: Record<string, string>;
    if (kind === 'pglite') {
      // Not this file's subject, a first start's initdb is skipped: the embedded database is a migrated copy.
      const dataDir = await createMigratedDataDir('sendtrail-campaigns-');
      store = { SENDTRAIL_DATA_DIR: dataDir };
      cleanup = () => rm(dataDir, { recursive: true, force: true });
    } else {
      const db = await createTestDatabase();
      store = { DATABASE_URL: db.url };
      cleanup = db.drop;
    }
    inboundPort = await freePort();
    proc = await startSendtrailProcess({
      ...store,
      SENDTRAIL_API_KEY: API_KEY,
      SENDTRAIL_ADMIN_EMAIL: ADMIN.email,
      SENDTRAIL_ADMIN_PASSWORD: ADMIN.password,
      PROVIDER_MX_LOOKUP: 'false',
      BOUNCE_DOMAIN,
      INBOUND_SMTP_PORT: String(inboundPort),
    });
    base = proc.url!;
    browser = await launchChromium();
    // The viewer, made by the admin through the API as the Users screen would.
    const signIn = await fetch(`${base}/v1/session`, { method: 'POST', headers: { origin: base, 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const made = await fetch(`${base}/v1/users`, { method: 'POST', headers: { origin: base, cookie, 'content-type': 'application/json' }, body: JSON.stringify({ ...VIEWER, role: 'viewer' }) });
    expect(made.status, await made.clone().text()).toBe(201);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await proc?.stop();
    await cleanup?.();
  });

  const apiCall = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.ok, await res.clone().text()).toBe(true);
    return res.json() as Promise<{ id: string }>;
  };
  async function signedIn(user: typeof ADMIN): Promise<{ context: BrowserContext; page: Page; watch: PageWatch }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    const page = await context.newPage();
    const watch = await watchPage(page, expectedErrors);
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    return { context, page, watch };
  }
  const progress = (page: Page, id: string) => page.locator(`[data-progress="${id}"] [data-value]`).textContent();

  it('creates a campaign from a CSV, names its bad line, sends it and follows it to the end live', { timeout: 240_000 }, async () => {
    const { context, page, watch } = await signedIn(ADMIN);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('heading', { name: 'No campaigns yet' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.getByRole('heading', { name: 'New campaign' }).waitFor();
    await page.getByLabel('Name (only you see it)').fill('Autumn launch');
    await page.getByLabel('From').fill('Shop <shop@example.com>');
    await page.getByLabel('Subject').fill('Hello {{data.first_name}} in {{data.city}}');
    await page.getByLabel('CSV file').setInputFiles({ name: 'recipients.csv', mimeType: 'text/csv', buffer: Buffer.from(recipientsCsv()) });
    // The columns as fields, the first rows, and the preview filled with the first recipient.
    await page.getByText('{{data.first_name}}', { exact: true }).first().waitFor();
    expect(await page.getByRole('table', { name: 'First rows of the file' }).locator('tbody tr').first().textContent()).toContain('delivered+0@simulator.test');
    await expect.poll(() => page.locator('[data-preview="subject"]').textContent()).toBe('Hello Ann0 in Lyon');
    const frame = page.frameLocator('iframe[title="Preview of the email"]');
    await expect.poll(() => frame.locator('h1').textContent()).toBe('Hello Ann0,');
    // Styles of the email apply through the CSSOM, and its links are shown, not followed.
    expect(await frame.locator('h1').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle(el).fontSize)).toBe('22px');
    expect(await frame.locator('a').first().getAttribute('href')).toBeNull();
    // A <style> block of the email applies too (a constructed sheet): its link colour, teal.
    expect(await frame.locator('a').first().evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color)).toBe('rgb(15, 118, 110)');
    expect(await page.locator('iframe[title="Preview of the email"]').getAttribute('sandbox')).toBe('allow-same-origin');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'campaign-new');

    // Strict first: the bad line refuses the list and is named; then the good lines go.
    await page.getByRole('button', { name: 'Send campaign' }).click();
    await page.getByText('Line 12: "not-an-address" is not a valid email address').waitFor();
    await page.getByRole('button', { name: 'Skip the bad lines and send' }).click();
    await page.getByRole('heading', { name: 'Autumn launch' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/campaigns\/[0-9a-f-]{36}$/);

    // From here on, no reload: the page follows the streams.
    await page.evaluate(() => ((globalThis as unknown as { sameDocument: boolean }).sameDocument = true));
    const total = DELIVERED + BOUNCED;
    await expect.poll(() => progress(page, 'delivered'), { timeout: 90_000 }).toBe(String(DELIVERED));
    await expect.poll(() => progress(page, 'sent'), { timeout: 30_000 }).toBe(String(total));
    await expect.poll(() => progress(page, 'queued'), { timeout: 30_000 }).toBe('0');
    await expect.poll(() => progress(page, 'left'), { timeout: 30_000 }).toBe('done');
    await page.getByText(`${total} emails: ${DELIVERED} delivered, ${BOUNCED} bounced.`).waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-rate="delivery"]').textContent()).toContain(`${total} sent`);
    await expect.poll(() => page.locator('[data-rate="bounce_hard"] td').nth(1).textContent(), { timeout: 30_000 }).toBe(`${((BOUNCED / total) * 100).toFixed(1)} %`);
    await expect.poll(() => page.locator('[data-bounce-reason] td').nth(2).textContent(), { timeout: 30_000 }).toBe(String(BOUNCED));
    // Its own emails, each linked to its detail in Email Logs.
    const firstEmail = page.getByRole('region', { name: 'Its emails' }).locator('tbody a').first();
    expect(await firstEmail.getAttribute('href')).toMatch(/^\/email-logs\/[0-9a-f-]{36}\?tab=events$/);
    expect(await page.evaluate(() => (globalThis as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'campaign-detail');

    // The list shows it completed with its counts.
    await page.getByRole('link', { name: 'Campaigns', exact: true }).first().click();
    const row = page.locator('tr[data-campaign="Autumn launch"]');
    await expect.poll(() => row.locator('[data-field="status"]').textContent()).toBe('completed');
    await expect.poll(() => row.locator('[data-field="delivered"]').textContent()).toBe(String(DELIVERED));

    // A scheduled campaign is cancelled after a second, in-place question.
    await apiCall('/v1/campaigns', {
      name: 'Winter preview',
      from: 'shop@example.com',
      subject: 'Soon',
      html: '<p>Soon</p>',
      recipients: [{ email: 'delivered+w1@simulator.test' }, { email: 'delivered+w2@simulator.test' }],
      scheduled_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const winter = page.locator('tr[data-campaign="Winter preview"]');
    await expect.poll(() => winter.locator('[data-field="status"]').textContent(), { timeout: 30_000 }).toContain('scheduled');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'campaigns');
    await winter.getByRole('link', { name: 'Winter preview' }).click();
    await page.getByRole('button', { name: 'Cancel campaign' }).click();
    await page.getByRole('group', { name: /Cancel every email still queued/ }).waitFor();
    await page.getByRole('button', { name: 'Yes, cancel it' }).click();
    await expect.poll(() => page.locator('h1 + p').textContent(), { timeout: 30_000 }).toMatch(/^cancelled/);
    await page.getByRole('button', { name: 'Cancel campaign' }).waitFor({ state: 'detached' });

    expect(await watch.cspViolations()).toEqual([]);
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('adds and removes a suppression, links a bounce to its email, and reads unmatched inbound mail', { timeout: 180_000 }, async () => {
    const { context, page, watch } = await signedIn(ADMIN);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Suppressions' }).click();
    await page.getByRole('heading', { name: 'Suppressions' }).waitFor();
    // The campaign's hard bounces are on the list, each linked to the email that bounced.
    const bounced = page.locator('tr[data-suppression="bounce+0@simulator.test"]');
    await bounced.waitFor({ timeout: 30_000 });
    expect(await bounced.getByRole('link', { name: /The email to bounce\+0@simulator.test/ }).getAttribute('href')).toMatch(/^\/email-logs\/[0-9a-f-]{36}$/);

    await page.getByLabel('Address', { exact: true }).fill('Blocked@Example.org');
    await page.getByRole('button', { name: 'Suppress', exact: true }).click();
    await page.getByText('blocked@example.org is suppressed: mail to it is rejected.').waitFor();
    const added = page.locator('tr[data-suppression="blocked@example.org"]');
    await added.waitFor();
    expect(await added.textContent()).toContain('added by hand');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'suppressions');
    await added.getByRole('button', { name: 'Remove blocked@example.org' }).click();
    await page.getByRole('button', { name: 'Yes, remove' }).click();
    await added.waitFor({ state: 'detached' });
    await page.getByText('blocked@example.org was removed: mail to it goes out again.').waitFor();

    // A list from elsewhere: its good lines join, its bad one is named.
    await page.getByLabel(/^CSV file with an email column/).setInputFiles({ name: 'old-provider.csv', mimeType: 'text/csv', buffer: Buffer.from('email,reason\nimported@example.org,complaint\nnot an address,manual\n') });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('1 added, 0 already on the list, 1 line skipped.').waitFor();
    await page.getByText('Line 3: "not an address" is not a valid email address').waitFor();
    expect(await page.locator('tr[data-suppression="imported@example.org"]').textContent({ timeout: 30_000 })).toContain('spam complaint');

    // Mail to the bounce domain that answers nothing Sendtrail sent.
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: inboundPort, secure: false, ignoreTLS: true });
    await smtp.sendMail({ from: 'stranger@example.net', to: `postmaster@${BOUNCE_DOMAIN}`, subject: 'Who are you?', text: 'Is anyone reading this mailbox?' });
    smtp.close();
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Inbound' }).click();
    await page.getByRole('link', { name: 'Who are you?' }).click({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'Who are you?' }).waitFor();
    await expect.poll(() => page.getByLabel('The raw message').textContent()).toContain('Is anyone reading this mailbox?');
    expect(await page.getByText('no email Sendtrail sent').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Download raw (.eml)' }).getAttribute('href')).toMatch(/^\/v1\/inbound\/[0-9a-f-]{36}\/raw$/);
    await page.getByRole('link', { name: 'Inbound', exact: true }).first().click();
    await page.getByRole('link', { name: 'Who are you?' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'inbound');

    expect(await watch.cspViolations()).toEqual([]);
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('shows a viewer every screen without a control that changes anything', { timeout: 120_000 }, async () => {
    const { context, page, watch } = await signedIn(VIEWER);
    await page.goto(`${base}/campaigns`);
    await page.locator('tr[data-campaign="Autumn launch"]').waitFor();
    expect(await page.getByRole('link', { name: 'New campaign' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Winter preview' }).click();
    await page.getByRole('heading', { name: 'Winter preview' }).waitFor();
    await page.getByRole('heading', { name: 'Rates' }).waitFor();
    expect(await page.getByRole('button', { name: /Cancel campaign|Send campaign/ }).count()).toBe(0);
    await page.goto(`${base}/suppressions`);
    await page.locator('tr[data-suppression="bounce+0@simulator.test"]').waitFor();
    expect(await page.getByRole('button', { name: /^(Remove|Suppress|Import)/ }).count()).toBe(0);
    expect(await page.getByLabel('Address', { exact: true }).count()).toBe(0);
    // Reading stays open to a viewer: the export downloads.
    expect(await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toBe('/v1/suppressions/export');
    expect(await watch.cspViolations()).toEqual([]);
    expect(watch.errors).toEqual([]);
    await context.close();
  });
});
