// The Webhooks screen in a real Chromium against `sendtrail start`, on the embedded store and on
// PostgreSQL, with a real receiver on 127.0.0.1 (allowed by WEBHOOK_ALLOWED_NETWORKS, as an
// operator would): an admin adds an endpoint (the secret shown once, and it verifies what arrives),
// sends a test event and sees it delivered in the log, gets an email's events, disables the
// endpoint, rotates its secret; a viewer sees the endpoint and its log but no button to change them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { Browser, Page } from 'playwright-core';
import { startSendtrailOn, type StoreProcess } from './support/store-process.ts';
import { STORE_KINDS } from './support/test-store.ts';
import { launchChromium, screenshot, seriousAxeViolations, watchPage, type PageWatch } from './support/browser.ts';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.ts';

const ADMIN = { email: 'admin@example.com', password: 'a long enough password for tests' };
const expectedErrors = (text: string, url: string) => /status of 401/.test(text) && /\/v1\/session$/.test(url);

describe.each(STORE_KINDS)('the Webhooks screen in a real browser on %s', (kind) => {
  let proc: StoreProcess;
  let browser: Browser;
  let receiver: WebhookReceiver;
  let base: string;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    proc = await startSendtrailOn(kind, 'sendtrail-webhooks-', {
      SENDTRAIL_ADMIN_EMAIL: ADMIN.email,
      SENDTRAIL_ADMIN_PASSWORD: ADMIN.password,
      PROVIDER_MX_LOOKUP: 'false',
      WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
      WEBHOOK_ALLOW_HTTP: 'true',
    });
    base = proc.url!;
    browser = await launchChromium();
  }, 150_000);
  afterAll(async () => {
    await browser?.close();
    await proc?.remove();
    await receiver?.close();
  });

  const expectClean = async (page: Page, watch: PageWatch) => {
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await watch.cspViolations()).toEqual([]);
    expect(watch.errors).toEqual([]);
  };
  const typesReceived = () => receiver.received.map((h) => (JSON.parse(h.body) as { type: string }).type);

  it('lets an admin add, test, disable and rotate an endpoint, and a viewer only read', { timeout: 240_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    const page = await context.newPage();
    // The private address is refused on purpose: Chromium logs that 422.
    const watch = await watchPage(page, (text, url) => expectedErrors(text, url) || (/status of 422/.test(text) && /\/v1\/webhooks$/.test(url)));
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await page.getByText('No endpoint yet.').waitFor();

    // A URL to a private address is refused in words.
    await page.getByLabel('URL').fill('http://10.0.0.1/hook');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('alert').filter({ hasText: '10.0.0.1 is a private address' }).waitFor();

    const url = `${receiver.url}/hook`;
    await page.getByLabel('URL').fill(url);
    await page.getByLabel('Description').fill('CRM sync');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByText('Copy it now: you won’t see it again.').waitFor();
    const secret = (await page.locator('[data-new-secret]').textContent())!;
    expect(secret).toMatch(/^whsec_/);
    await screenshot(page, 'webhooks-secret');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.locator('[data-new-secret]').count()).toBe(0);

    // A test event arrives signed with that secret, and the log shows it delivered.
    const endpoint = page.getByRole('listitem', { name: `Endpoint ${url}` });
    await endpoint.getByRole('button', { name: 'Send test event' }).click();
    const [test] = await receiver.waitFor(1, 20_000);
    expect(new Webhook(secret).verify(test!.body, test!.headers as Record<string, string>)).toMatchObject({ type: 'webhook.test' });
    const testRow = page.getByRole('listitem', { name: 'Delivery webhook.test' });
    await expect.poll(() => testRow.textContent(), { timeout: 20_000 }).toContain('delivered');
    await testRow.getByRole('cell', { name: '200' }).waitFor();

    // An email's events follow, in order.
    const sent = await page.evaluate(async () => {
      const res = await fetch('/v1/emails', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: 'shop@example.com', to: 'delivered@simulator.test', subject: 'Hi', text: 'Hi' }),
      });
      return res.status;
    });
    expect(sent).toBe(202);
    await expect.poll(typesReceived, { timeout: 30_000 }).toEqual(expect.arrayContaining(['email.queued', 'email.sent', 'email.delivered']));
    const types = typesReceived();
    expect(types.indexOf('email.queued')).toBeLessThan(types.indexOf('email.sent'));
    expect(types.indexOf('email.sent')).toBeLessThan(types.indexOf('email.delivered'));
    await page.getByRole('listitem', { name: 'Delivery email.delivered' }).waitFor({ timeout: 20_000 });
    await screenshot(page, 'webhooks');
    await expectClean(page, watch);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'webhooks-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    // Disabled: it says so; rotated: the new secret is shown once.
    await endpoint.getByRole('button', { name: 'Disable' }).click();
    await expect.poll(() => endpoint.locator('[data-endpoint-state]').textContent()).toBe('Disabled');
    await endpoint.getByText('Off: disabled by a user.').waitFor();
    await endpoint.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('group', { name: `Confirm rotating the secret of ${url}` }).getByRole('button', { name: 'Rotate secret' }).click();
    const rotated = (await page.locator('[data-new-secret]').textContent())!;
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await expectClean(page, watch);

    // A viewer sees the endpoint and its log, and no button that changes anything.
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
    await viewerPage.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Webhooks' }).click();
    await viewerPage.getByRole('listitem', { name: `Endpoint ${url}` }).waitFor();
    await viewerPage.getByRole('listitem', { name: 'Delivery webhook.test' }).waitFor();
    for (const name of ['Add endpoint', 'Disable', 'Enable', 'Rotate secret', 'Send test event', 'Send again']) {
      expect(await viewerPage.getByRole('button', { name }).count()).toBe(0);
    }
    await screenshot(viewerPage, 'webhooks-viewer');
    await expectClean(viewerPage, viewerWatch);
    await viewerContext.close();
    await context.close();
  });
});
