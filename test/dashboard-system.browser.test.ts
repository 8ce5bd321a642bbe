// The System and Settings screens in a real Chromium against `sendtrail start`, on the embedded
// store and on PostgreSQL: the running process with its roles and a fresh heartbeat, the email its
// worker holds while the relay never answers, the queue and the store; the configuration with a
// setting given by env, and a secret given by env that appears nowhere in the page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startSendtrailProcess, type SendtrailProcess } from './support/sendtrail-process.ts';
import { launchChromium, screenshot, seriousAxeViolations, watchPage } from './support/browser.ts';
import { createMigratedDataDir, createTestDatabase } from './support/test-store.ts';
import pg from 'pg';

const ADMIN = { email: 'admin@example.com', password: 'a long enough password for tests' };
const API_KEY = 'st_dashboard_system_test_key_0123456789';
// Texts found nowhere else: any of them in the page is a leak.
const SMTP_PASSWORD = 'smtpRelayPasswordShouldNeverShow';
const DB_PASSWORD = 'databasePasswordShouldNeverShow';
const METRICS_TOKEN = 'metricsTokenShouldNeverShow';

describe.each(['pglite', 'postgres'] as const)('System and Settings in a real browser on %s', (kind) => {
  let proc: SendtrailProcess;
  let dataDir: string;
  let db: { url: string; drop: () => Promise<void> } | undefined;
  let browser: Browser;
  // The relay: it takes connections and never greets, so the worker holds each email it sends
  // there (for the SMTP greeting timeout) until the test lets go.
  let relay: Server;
  const relaySockets = new Set<Socket>();

  beforeAll(async () => {
    relay = createServer((socket) => {
      relaySockets.add(socket);
      socket.on('close', () => relaySockets.delete(socket));
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const relayPort = (relay.address() as AddressInfo).port;
    // Not this file's subject, a first start's initdb is skipped: the embedded database is a migrated copy.
    dataDir = kind === 'pglite' ? await createMigratedDataDir('sendtrail-system-') : await mkdtemp(join(tmpdir(), 'sendtrail-system-'));
    if (kind === 'postgres') {
      db = await createTestDatabase();
      // The test server trusts local connections, so a password in the URL is accepted and ignored.
      const url = new URL(db.url);
      url.password = DB_PASSWORD;
      db.url = url.toString();
    }
    proc = await startSendtrailProcess({
      SENDTRAIL_DATA_DIR: dataDir,
      SENDTRAIL_API_KEY: API_KEY,
      SENDTRAIL_ADMIN_EMAIL: ADMIN.email,
      SENDTRAIL_ADMIN_PASSWORD: ADMIN.password,
      SMTP_URL: `smtp://relay-user:${SMTP_PASSWORD}@127.0.0.1:${relayPort}`,
      METRICS_TOKEN,
      PROCESS_HEARTBEAT_MS: '1000',
      PROVIDER_MX_LOOKUP: 'false',
      ...(db ? { DATABASE_URL: db.url } : {}),
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    // No new connection, none left open: a stop waits for the sends in flight.
    const relayClosed = new Promise((resolve) => relay?.close(resolve));
    for (const socket of relaySockets) socket.destroy();
    await proc?.stop();
    await relayClosed;
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const signIn = async (page: Page) => {
    await page.goto(`${proc.url}/sign-in`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
  };
  const shot = (name: string) => (kind === 'pglite' ? name : `${name}-postgres`);

  it('System lists the running process with its roles and a fresh heartbeat, the queue and the store', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    const page = await context.newPage();
    const watch = await watchPage(page);
    if (db) {
      // Two processes of another host that ran before: one stopped cleanly, one whose heartbeat stopped.
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      await c.query(`INSERT INTO processes (id, roles, version, host, pid, store_kind, started_at, heartbeat_at, stopped_at, stop_kind) VALUES
        ('worker-2:311:aaaaaa', '{worker}', '0.1.0', 'worker-2', 311, 'postgres', now() - interval '2 hours', now() - interval '1 hour', now() - interval '1 hour', 'stopped'),
        ('worker-3:312:bbbbbb', '{worker}', '0.1.0', 'worker-3', 312, 'postgres', now() - interval '2 hours', now() - interval '5 minutes', NULL, NULL)`);
      await c.end();
    }
    await signIn(page);
    await page.getByRole('link', { name: 'System' }).click();
    await page.getByRole('heading', { name: 'System', level: 1 }).waitFor();
    if (db) {
      // The lost one is swept (its leases taken over) by the running process's next beat; either way it reads Lost.
      await page.locator('[data-process="worker-3:312:bbbbbb"]').getByText('Lost', { exact: true }).waitFor();
      await page.locator('[data-process="worker-2:311:aaaaaa"]').getByText('Stopped', { exact: true }).waitFor();
    }

    const row = page.locator(`[data-process*=":${proc.pid}:"]`);
    await row.waitFor();
    expect(await row.getByRole('rowheader').textContent()).toContain(`pid ${proc.pid}`);
    const roles = await row.getByRole('list', { name: /^Roles of/ }).getByRole('listitem').allTextContents();
    expect(roles.sort()).toEqual(['api', 'inbound', 'scheduler', 'tracking', 'worker']);
    expect(await row.getByText('Alive', { exact: true }).isVisible()).toBe(true);
    // Fresh: beats every second, so it never reads older than a few seconds, and it moves.
    const ages = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const age = (await row.locator('[data-heartbeat]').textContent()) ?? '';
      expect(age).toMatch(/^(just now|[0-4] s ago)$/);
      ages.add(age);
      await page.waitForTimeout(500);
    }
    expect(ages.size).toBeGreaterThan(1);

    expect(await page.locator('[data-queue="held"] [data-value]').textContent()).toBe('0');
    if (kind === 'pglite') {
      expect(await page.locator('[data-store="pglite"]').textContent()).toContain(dataDir);
      expect(await page.getByRole('note').textContent()).toContain('never syncs to disk');
    } else {
      const store = (await page.locator('[data-store="postgres"]').textContent()) ?? '';
      expect(store).toContain(new URL(db!.url).pathname.slice(1));
      expect(store).toContain('127.0.0.1:5432');
    }
    expect(await page.content()).not.toContain(DB_PASSWORD);
    await screenshot(page, shot('system'));
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, shot('system-dark'));
    expect(await seriousAxeViolations(page)).toEqual([]);

    // What the process holds: nothing, then the email its worker is sending to a relay that never answers.
    const lease = (kind: string) => row.locator(`[data-lease="${kind}"]`);
    expect(await row.getByRole('list', { name: /^Leases held by/ }).getByRole('listitem').allTextContents())
      .toEqual(['0 emails', '0 webhook deliveries', '0 reply forwards']);
    const sent = await fetch(`${proc.url}/v1/emails`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'shop@example.com', to: 'ann@example.org', subject: 'Held', text: 'Held by the worker' }),
    });
    expect(sent.status).toBe(202);
    await expect.poll(() => lease('emails').textContent(), { timeout: 12_000 }).toBe('1 email');
    expect(await page.locator('[data-queue="held"] [data-value]').textContent()).toBe('1');
    await page.emulateMedia({ colorScheme: 'light' });
    await screenshot(page, shot('system-holding'));
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The relay lets go (the connection drops): the send fails, the lease ends, and the screen says so.
    for (const socket of relaySockets) socket.destroy();
    await expect.poll(() => lease('emails').textContent(), { timeout: 12_000 }).toBe('0 emails');

    expect(await watch.cspViolations()).toEqual([]);
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('Settings shows a setting given by env and masks a secret passed in env', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    const page = await context.newPage();
    // The refused retention below is a 400 that Chromium logs.
    const watch = await watchPage(page, (text, url) => /status of 400/.test(text) && /\/v1\/projects\/current\/retention$/.test(url));
    await signIn(page);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();

    for (const title of ['HTTP server', 'Database', 'Sending (relay, retries, concurrency)', 'Secrets and access']) {
      await page.getByRole('heading', { name: title, level: 2 }).waitFor();
    }
    const heartbeat = page.locator('[data-setting="PROCESS_HEARTBEAT_MS"]');
    expect(await heartbeat.locator('[data-value]').textContent()).toBe('1000');
    expect(await heartbeat.locator('[data-source]').textContent()).toBe('from the environment');
    expect(await heartbeat.textContent()).toContain('default: 5000');
    expect(await heartbeat.textContent()).toContain('Milliseconds between two heartbeats');
    expect(await page.locator('[data-setting="HOST"] [data-source]').textContent()).toBe('from the environment');
    expect(await page.locator('[data-setting="LOG_LEVEL"] [data-source]').textContent()).toBe('from the environment');
    expect(await page.locator('[data-setting="RETRY_BASE_MS"] [data-source]').textContent()).toBe('default');
    expect(await page.locator('[data-setting="SMTP_URL"] [data-value]').textContent()).toBe(`smtp://relay-user:****@127.0.0.1:${(relay.address() as AddressInfo).port}`);
    expect(await page.locator('[data-setting="METRICS_TOKEN"] [data-value]').textContent()).toBe('******** (set, hidden)');
    const html = await page.content();
    for (const secret of [SMTP_PASSWORD, DB_PASSWORD, METRICS_TOKEN, API_KEY, ADMIN.password]) expect(html).not.toContain(secret);
    await screenshot(page, shot('settings'));
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Retention: the defaults, changed by this admin and kept; a setting the API refuses is explained.
    const retention = page.locator('[data-retention]');
    expect(await retention.getByLabel('Message bodies (days)').inputValue()).toBe('30');
    expect(await retention.getByLabel('Emails and their events (days)').inputValue()).toBe('400');
    await retention.getByLabel('Message bodies (days)').fill('14');
    await retention.getByRole('button', { name: 'Save retention' }).click();
    await retention.getByRole('status').getByText('Saved.').waitFor();
    await retention.getByLabel('Emails and their events (days)').fill('10');
    await retention.getByRole('button', { name: 'Save retention' }).click();
    await retention.getByRole('alert').getByText('must be at least bodies_days (14)').waitFor();
    await page.reload();
    await expect.poll(() => page.locator('[data-retention]').getByLabel('Message bodies (days)').inputValue()).toBe('14');
    expect(await page.locator('[data-retention]').getByLabel('Emails and their events (days)').inputValue()).toBe('400');

    // The filters live in the URL.
    await page.getByLabel('Search settings').fill('heartbeat');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('heartbeat');
    await expect.poll(() => page.locator('[data-setting]').count()).toBe(2);
    await screenshot(page, shot('settings-search'));
    await page.getByLabel('Only those set in the environment').check();
    await expect.poll(() => new URL(page.url()).searchParams.get('source')).toBe('env');
    await expect.poll(() => page.locator('[data-setting]').count()).toBe(1);
    await page.reload();
    await expect.poll(() => page.locator('[data-setting]').count()).toBe(1);
    await page.getByLabel('Search settings').fill('no such setting at all');
    await page.getByRole('button', { name: 'Show every setting' }).click();
    await expect.poll(() => page.locator('[data-setting]').count()).toBeGreaterThan(30);

    expect(await watch.cspViolations()).toEqual([]);
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('a viewer reads System but is told that Settings are for admins', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    // The refused settings are a 403 that Chromium logs.
    const watch = await watchPage(page, (text, url) => /status of 403/.test(text) && /\/v1\/settings$/.test(url));
    await signIn(page);
    const created = await page.evaluate(async () => {
      const res = await fetch('/v1/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'viewer@example.com', role: 'viewer', password: 'a long enough viewer password' }) });
      return res.status;
    });
    expect(created).toBe(201);
    await context.clearCookies();
    await page.goto(`${proc.url}/sign-in`);
    await page.getByLabel('Email').fill('viewer@example.com');
    await page.getByLabel('Password').fill('a long enough viewer password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('link', { name: 'System' }).click();
    await page.locator(`[data-process*=":${proc.pid}:"]`).getByText('Alive', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('alert').getByText('Only admins can read the settings').waitFor();
    // The retention is read by everyone, changed by admins only: no field to edit here.
    const retention = page.locator('[data-retention]');
    expect(await retention.locator('[data-retention-field="bodies_days"] [data-value]').textContent()).toBe('14 days');
    expect(await retention.getByRole('spinbutton').count()).toBe(0);
    await retention.getByText('You are a viewer: admins change these.').waitFor();
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, shot('settings-viewer-dark'));
    expect(await page.content()).not.toContain(SMTP_PASSWORD);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await watch.cspViolations()).toEqual([]);
    expect(watch.errors).toEqual([]);
    await context.close();
  });
});
