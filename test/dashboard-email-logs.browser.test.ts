// Email Logs and an email's detail in a real Chromium against `sendtrail start`, on the embedded
// store and on PostgreSQL, the way the documentation walks a user through them: "Go to Email Logs
// in the sidebar. Click any email row to open its detail view. Select the Events timeline tab."
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startSendtrailProcess, type SendtrailProcess } from './support/sendtrail-process.ts';
import { launchChromium, screenshot, seriousAxeViolations, watchPage } from './support/browser.ts';
import { createMigratedDataDir, createTestDatabase } from './support/test-store.ts';

const ADMIN = { email: 'admin@example.com', password: 'a long enough password for tests' };
const API_KEY = 'st_dashboard_email_logs_test_key_0123456789';
const HTML = '<html><body><p>Thanks for your order.</p><p><a href="https://shop.example.com/orders/7">See your order</a></p></body></html>';

/** Chromium logs every 4xx answer to fetch: a visitor not signed in yet gets a 401 from /v1/session. */
const expectedErrors = (text: string, url: string) => /status of 401/.test(text) && /\/v1\/session$/.test(url);

describe.each(['pglite', 'postgres'] as const)('Email Logs in a real browser on %s', (kind) => {
  let proc: SendtrailProcess;
  let dataDir: string;
  let dropDatabase: (() => Promise<void>) | undefined;
  let browser: Browser;
  let base: string;
  const shot = (page: Page, name: string) => screenshot(page, kind === 'pglite' ? name : `${name}-postgres`);

  beforeAll(async () => {
    // Not this file's subject, a first start's initdb is skipped: the embedded database is a migrated copy.
    dataDir = kind === 'pglite' ? await createMigratedDataDir('sendtrail-email-logs-') : await mkdtemp(join(tmpdir(), 'sendtrail-email-logs-'));
    const database = kind === 'postgres' ? await createTestDatabase() : undefined;
    dropDatabase = database?.drop;
    proc = await startSendtrailProcess({
      SENDTRAIL_DATA_DIR: dataDir,
      ...(database ? { DATABASE_URL: database.url } : {}),
      SENDTRAIL_API_KEY: API_KEY,
      SENDTRAIL_ADMIN_EMAIL: ADMIN.email,
      SENDTRAIL_ADMIN_PASSWORD: ADMIN.password,
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

  const apiGet = async (path: string) => (await (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${API_KEY}` } })).json()) as { data: Array<{ event_type: string }> };
  const send = async (to: string, fields: Record<string, unknown> = {}): Promise<string> => {
    const res = await fetch(`${base}/v1/emails`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'Shop <shop@example.com>', to, subject: 'Your order', html: HTML, text: 'Thanks!', tags: ['orders'], ...fields }),
    });
    expect(res.ok, await res.clone().text()).toBe(true);
    return ((await res.json()) as { data: Array<{ id: string }> }).data[0]!.id;
  };
  const eventTypes = async (id: string): Promise<string[]> => (await apiGet(`/v1/emails/${id}/events`)).data.map((e) => e.event_type);
  const signIn = async (context: BrowserContext, path: string) => {
    const page = await context.newPage();
    const watch = await watchPage(page, expectedErrors);
    await page.goto(`${base}${path}`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return { page, watch };
  };
  const row = (page: Page, id: string) => page.locator(`tr[data-email-id="${id}"]`);

  it('follows an email from the log to its live Events timeline, shows content without recording an open, and exports the view', { timeout: 240_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', acceptDownloads: true });
    const { page, watch } = await signIn(context, '/');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();

    // "Go to Email Logs in the sidebar": a new install's log teaches the first send.
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Email Logs' }).click();
    await page.getByRole('heading', { name: 'Email Logs' }).waitFor();
    await page.getByRole('heading', { name: 'Send your first email' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Mail sent through the API appears without a reload, and its status moves live.
    await page.evaluate(() => ((globalThis as unknown as { sameDocument: boolean }).sameDocument = true));
    const delivered = await send('delivered@simulator.test');
    const opened = await send('open@simulator.test');
    await row(page, delivered).waitFor({ timeout: 30_000 });
    await row(page, opened).waitFor({ timeout: 30_000 });
    await expect.poll(() => row(page, opened).locator('[data-status]').getAttribute('data-status'), { timeout: 30_000 }).toBe('delivered');
    expect(await page.locator('tr[data-email-id]').first().getAttribute('data-email-id')).toBe(opened); // newest first
    expect(await page.evaluate(() => (globalThis as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await shot(page, 'email-logs');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // "Click any email row to open its detail view. Select the Events timeline tab."
    await row(page, opened).locator('td').nth(1).click(); // the recipient's cell, not the subject's link
    await page.getByRole('heading', { name: 'Your order' }).waitFor();
    await page.getByRole('tab', { name: 'Events' }).click();
    expect(new URL(page.url()).pathname).toBe(`/email-logs/${opened}`);
    expect(new URL(page.url()).searchParams.get('tab')).toBe('events');
    const timeline = page.getByRole('list', { name: 'Events, oldest first' });
    await timeline.locator('[data-event-type="queued"]').waitFor();
    await timeline.locator('[data-event-type="delivered"]').waitFor({ timeout: 30_000 });
    // open@ opens like a person some seconds after delivery: the open joins the timeline live, counted.
    const open = timeline.locator('[data-event-type="open"]');
    await open.waitFor({ timeout: 45_000 });
    expect(await open.locator('[data-counted]').textContent()).toBe('counted: a person');
    expect(await open.textContent()).toContain('User agent');
    expect(await open.textContent()).toContain('IP');
    await shot(page, 'email-detail-events');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // A security gateway's hits: not counted, and why, in words.
    const scanned = await send('scanner@simulator.test', { subject: 'Scanned order' });
    await page.goto(`${base}/email-logs/${scanned}?tab=events`);
    const scannerHits = page.locator('[data-event-type="click"] [data-counted="false"]');
    await scannerHits.first().waitFor({ timeout: 30_000 });
    const reasons = await page.locator('[data-counted="false"]').allTextContents();
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason).toMatch(/^not counted: [a-z (),]+[a-z)]$/i);
    expect(reasons.join(' ')).not.toContain('_');
    await shot(page, 'email-detail-scanner');

    // The Content tab: the message as sent, no pixel fetched, no open recorded.
    const trackingRequests: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/t/')) trackingRequests.push(r.url());
    });
    await page.goto(`${base}/email-logs/${delivered}?tab=events`);
    await page.getByRole('tab', { name: 'Content' }).click();
    expect(new URL(page.url()).searchParams.get('tab')).toBe('content');
    const frame = page.frameLocator('iframe[title^="The email as sent"]');
    await frame.getByText('Thanks for your order.').waitFor();
    expect(await page.locator('iframe').getAttribute('sandbox')).toBe('');
    await page.getByText('The tracking pixel is removed here, so viewing records no open.').waitFor();
    await page.getByText('https://shop.example.com/orders/7', { exact: true }).waitFor();
    expect(await page.getByText(/^via http:\/\/localhost:\d+\/t\/c\//).count()).toBe(1);
    await page.getByRole('button', { name: 'Load remote images' }).click();
    await frame.getByText('Thanks for your order.').waitFor();
    await shot(page, 'email-detail-content');
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The tracking recorder commits within a second; wait longer before reading the events again.
    await new Promise((r) => setTimeout(r, 2500));
    expect(trackingRequests).toEqual([]);
    expect(await eventTypes(delivered)).not.toContain('open');

    // Headers and Raw.
    await page.getByRole('tab', { name: 'Headers' }).click();
    await page.getByRole('rowheader', { name: 'X-Sendtrail-ID' }).waitFor();
    await page.getByRole('tab', { name: 'Raw' }).click();
    const [raw] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download .eml' }).click()]);
    expect(await readFile((await raw.path())!, 'utf8')).toMatch(/\r\nSubject: Your order\r\n/);

    // Filters live in the URL; the CSV export holds the filtered rows.
    await page.getByRole('link', { name: '← Email Logs' }).click();
    await page.getByLabel('Search recipient or subject').fill('scanned');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('scanned');
    await expect.poll(() => page.locator('tr[data-email-id]').count()).toBe(1);
    expect(await row(page, scanned).count()).toBe(1);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^Export CSV/ }).click()]);
    const lines = (await readFile((await csv.path())!, 'utf8')).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,created_at,status,from,to,subject,campaign_id,tags,message_id');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([scanned]);
    await page.getByLabel('Status').selectOption('bounced');
    await expect.poll(() => new URL(page.url()).searchParams.get('status')).toBe('bounced');
    await page.getByRole('heading', { name: 'No email matches these filters' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'No email matches these filters' }).waitFor();
    expect(await page.getByLabel('Status').inputValue()).toBe('bounced');

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await row(page, delivered).waitFor();
    await shot(page, 'email-logs-dark');
    expect(await seriousAxeViolations(page)).toEqual([]);

    expect(await watch.cspViolations()).toEqual([]);
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('is usable at a phone width', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const { page, watch } = await signIn(context, '/email-logs');
    await page.getByRole('heading', { name: 'Email Logs' }).waitFor();
    const first = page.locator('tr[data-email-id]').first();
    await first.waitFor();
    const overflow = () => page.evaluate(() => {
      const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return d.scrollWidth - d.clientWidth;
    });
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot(page, 'email-logs-phone');
    await first.locator('td').first().tap();
    await page.getByRole('tab', { name: 'Events' }).waitFor();
    await page.getByRole('list', { name: 'Events, oldest first' }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot(page, 'email-detail-phone');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await watch.cspViolations()).toEqual([]);
    expect(watch.errors).toEqual([]);
    await context.close();
  });
});
