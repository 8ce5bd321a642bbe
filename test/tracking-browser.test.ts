// A real Chromium renders a sent email's HTML: the pixel records a counted open, and clicking a
// link lands on the destination (served here) and records a counted click.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { chromium, type Browser } from 'playwright-core';
import { STORE_KINDS } from './support/test-store.ts';
import { createTrackingApp, TRACKING_TEST_KEYS, type TrackingApp } from './support/tracking-app.ts';
import { eventually, startTestWorker } from './support/test-worker.ts';

// A desktop browser's own user agent: headless Chromium announces "HeadlessChrome", which is a bot.
const DESKTOP_CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

describe.each(STORE_KINDS)('tracking in a real browser on %s', (kind) => {
  let t: TrackingApp | undefined;
  let worker: { stop(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  let site: Server | undefined;
  afterEach(async () => {
    await browser?.close();
    await worker?.stop();
    await t?.close();
    await new Promise((r) => (site ? site.close(r) : r(undefined)));
  });

  it('opening the email counts an open; clicking its link lands on the page and counts a click', async () => {
    site = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<h1>Welcome to the sale</h1><p>${req.url}</p>`));
    await new Promise<void>((r) => site!.listen(0, '127.0.0.1', r));
    const landing = `http://127.0.0.1:${(site.address() as AddressInfo).port}/sale?from=mail`;

    // The person reads it a minute after it arrived, well past the prefetch window of scanners.
    t = await createTrackingApp(kind, { hitDelayMs: 60_000 });
    const publicUrl = t.url;
    worker = await startTestWorker(t.store, { PUBLIC_URL: publicUrl, TRACKING_KEYS: TRACKING_TEST_KEYS.join(',') });
    const sent = await t.app.inject({
      method: 'POST', url: '/v1/emails', headers: t.auth,
      payload: { from: 'news@shop.example', to: 'reader@example.org', subject: 'Sale', html: `<html><body><h1>Sale</h1><p><a id="go" href="${landing}">See the sale</a></p></body></html>` },
    });
    const emailId = (sent.json().data as Array<{ id: string }>)[0]!.id;
    const captured = await eventually(() => t!.store.db.selectFrom('captured_messages').select('raw').where('email_id', '=', emailId).executeTakeFirst(), 15_000);
    const html = String((await simpleParser(captured.raw)).html);

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const page = await (await browser.newContext({ userAgent: DESKTOP_CHROME })).newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await Promise.all([page.waitForURL(landing), page.click('#go')]);
    expect(await page.textContent('h1')).toBe('Welcome to the sale');

    const hits = await eventually(async () => {
      const res = await t!.app.inject({ url: `/v1/emails/${emailId}/events`, headers: t!.auth });
      const data = (res.json().data as Array<{ event_type: string; metadata: Record<string, unknown> }>).filter((e) => e.event_type === 'open' || e.event_type === 'click');
      return data.length >= 2 ? data : undefined;
    });
    expect(hits.map((e) => [e.event_type, e.metadata.counted, e.metadata.ua])).toEqual([
      ['open', true, DESKTOP_CHROME],
      ['click', true, DESKTOP_CHROME],
    ]);
    expect(hits[1]!.metadata.url).toBe(landing);
  });
});
