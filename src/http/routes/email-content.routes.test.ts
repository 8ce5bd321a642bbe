import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../../test/support/test-store.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { eventually, startTestWorker, TEST_SECRET } from '../../../test/support/test-worker.ts';
import { loadConfig } from '../../config/load-config.ts';
import { trackingSettingsOf } from '../../roles/tracking-settings.ts';

const WORKER_ENV = { BOUNCE_DOMAIN: 'bounces.sendtrail.test', PUBLIC_URL: 'http://track.example.test' };
const HTML = '<html><head><title>Order</title></head><body><p>Hi {{data.first}}, see <a href="https://shop.example.com/orders/7">your order</a></p></body></html>';

// Generous waits: a busy machine (two cores shared with other test files) slows the worker down.
describe.each(STORE_KINDS)("an email's message as sent on %s", { timeout: 60_000 }, (kind) => {
  let t: TestApp;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  const logs: string[] = [];
  const get = (url: string) => t.app.inject({ url, headers: t.auth });

  beforeAll(async () => {
    const sentTracking = trackingSettingsOf(loadConfig(WORKER_ENV), TEST_SECRET);
    const logStream = new Writable({ write(chunk, _enc, done) { logs.push(chunk.toString()); done(); } });
    t = await createTestApp(kind, { sentTracking, logLevel: 'warn', logStream });
    worker = await startTestWorker(t.store, WORKER_ENV);
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
  });

  const send = async (to: string, extra: Record<string, unknown> = {}) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/emails',
      headers: t.auth,
      payload: { from: 'Shop <shop@example.com>', to, subject: 'Your order', html: HTML, text: 'Thanks!', ...extra },
    });
    expect(res.statusCode, res.body).toBe(202);
    return res.json().data[0].id as string;
  };
  const settled = (id: string) => eventually(async () => ['sent', 'delivered'].includes((await get(`/v1/emails/${id}`)).json().status), 40_000);

  it('shows captured mail as sent: rewritten links, the pixel left out of the content but kept in the raw message', async () => {
    const id = await send('ann@example.org');
    await settled(id);
    const content = (await get(`/v1/emails/${id}/content`)).json();
    expect(content).toMatchObject({ id, subject: 'Your order', from: '"Shop" <shop@example.com>', to: 'ann@example.org', text: 'Thanks!', tracking_pixel_removed: true, raw_source: 'captured' });
    expect(content.html).toContain('<title>Order</title>');
    expect(content.html).not.toContain('/t/o/');
    expect(content.html).not.toContain('https://shop.example.com/orders/7');
    // The honeypot link (TRACKING_HONEYPOT, on by default) is listed too, marked hidden.
    expect(content.links).toEqual([
      { index: 0, url: 'https://shop.example.com/orders/7', tracked_url: expect.stringMatching(/^http:\/\/track\.example\.test\/t\/c\//), hidden: false },
      { index: 1, url: expect.stringMatching(/^http:\/\/track\.example\.test\/#/), tracked_url: expect.stringMatching(/^http:\/\/track\.example\.test\/t\/c\//), hidden: true },
    ]);
    expect(content.html).toContain(content.links[0].tracked_url);
    const names = content.headers.map((h: { name: string }) => h.name.toLowerCase());
    expect(names).toEqual(expect.arrayContaining(['from', 'to', 'subject', 'message-id', 'date', 'x-sendtrail-id', 'mime-version']));
    expect(content.headers.find((h: { name: string }) => h.name === 'X-Sendtrail-ID').value).toBe(id);

    const raw = await get(`/v1/emails/${id}/raw`);
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-type']).toMatch(/^message\/rfc822/);
    expect(raw.headers['content-disposition']).toBe(`attachment; filename="${id}.eml"`);
    expect(raw.headers['sendtrail-raw-source']).toBe('captured');
    expect(raw.body).toMatch(/^[\s\S]*Subject: Your order\r\n/);
    // The recipient's copy carried the pixel: the raw message is the one sent.
    expect(raw.body.replace(/=\r\n/g, '')).toContain('http://track.example.test/t/o/');
  });

  it('rebuilds mail that was not captured from the email, with the same tracked links and the Date of its first attempt', async () => {
    const id = await send('delivered@simulator.test');
    await settled(id);
    const content = (await get(`/v1/emails/${id}/content`)).json();
    expect(content.raw_source).toBe('rebuilt');
    const raw = await get(`/v1/emails/${id}/raw`);
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['sendtrail-raw-source']).toBe('rebuilt');
    const unfolded = raw.body.replace(/=\r\n/g, '');
    expect(unfolded).toContain(content.links[0].tracked_url.replace(/=/g, '=3D'));
    expect(unfolded).toContain('http://track.example.test/t/o/');
    // Rebuilt twice, the same bytes.
    expect((await get(`/v1/emails/${id}/raw`)).body).toBe(raw.body);
  });

  it('renders a campaign email from its template and data', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: t.auth,
      payload: { name: 'Launch', from: 'news@example.com', subject: 'Hi {{data.first}}', html: HTML, recipients: [{ email: 'cy@example.org', data: { first: 'Cy' } }] },
    });
    expect(res.statusCode, res.body).toBe(201);
    const campaignId = res.json().id;
    const emailId = await eventually(async () => (await get(`/v1/emails?campaign_id=${campaignId}`)).json().data[0]?.id as string | undefined);
    await settled(emailId);
    const content = (await get(`/v1/emails/${emailId}/content`)).json();
    expect(content.subject).toBe('Hi Cy');
    expect(content.html).toContain('Hi Cy, see');
    // Campaign mail carries List-Unsubscribe (RFC 8058).
    expect(content.headers.map((h: { name: string }) => h.name)).toContain('List-Unsubscribe');
  });

  it('serves the html as a document for a sandboxed frame: no pixel, no script, remote images only when asked', async () => {
    const id = await send('bob@example.org', { html: '<p>Look <img src="https://cdn.example.com/a.png" alt="a"> <a href="https://example.com/x">x</a></p>' });
    await settled(id);
    const preview = await get(`/v1/emails/${id}/preview`);
    expect(preview.statusCode).toBe(200);
    expect(preview.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(preview.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('img-src data: cid:;');
    expect(csp).toMatch(/(^|; )sandbox($|;)/);
    expect(preview.body).toContain('<base target="_blank">');
    expect(preview.body).not.toContain('/t/o/');
    expect(String((await get(`/v1/emails/${id}/preview?remote_images=true`)).headers['content-security-policy'])).toContain('img-src data: cid: https: http:');
    expect((await get(`/v1/emails/${id}/preview?remote_images=yes`)).json().error.code).toBe('validation_error');
  });

  it('records no event when its content, preview or raw message is read', async () => {
    const id = await send('dee@example.org');
    await settled(id);
    const before = (await get(`/v1/emails/${id}/events`)).json().data;
    for (const path of ['content', 'preview', 'raw']) expect((await get(`/v1/emails/${id}/${path}`)).statusCode).toBe(200);
    expect((await get(`/v1/emails/${id}/events`)).json().data).toEqual(before);
    expect(before.map((e: { event_type: string }) => e.event_type)).not.toContain('open');
  });

  it('has no raw message before a worker handed the email to a transport, and says so', async () => {
    const id = await send('later@example.org', { scheduled_at: new Date(Date.now() + 3600_000).toISOString() });
    const raw = await get(`/v1/emails/${id}/raw`);
    expect(raw.statusCode).toBe(404);
    expect(raw.json().error.code).toBe('raw_not_available');
    const content = (await get(`/v1/emails/${id}/content`)).json();
    expect(content.raw_source).toBe('not_sent');
    expect(content.subject).toBe('Your order');
  });

  it('answers 409 content_unavailable, logged as a warning with the email\'s id, when what is stored no longer renders', async () => {
    const id = await send('delivered@simulator.test');
    await settled(id);
    // A row the renderer cannot read (cc is a list everywhere else): as one written by an older
    // version, or edited by hand, might be.
    await sql`UPDATE emails SET cc = '"ann@example.org"'::jsonb WHERE id = ${id}`.execute(t.store.db);
    logs.length = 0;
    for (const path of ['content', 'raw', 'preview']) {
      const res = await get(`/v1/emails/${id}/${path}`);
      expect(res.statusCode, path).toBe(409);
      expect(res.json().error).toEqual({ code: 'content_unavailable', message: expect.stringContaining(id) });
    }
    const lines = logs.map((l) => JSON.parse(l) as { level: number; emailId?: string; msg: string; err?: unknown });
    const warnings = lines.filter((l) => l.emailId === id);
    expect(warnings).toHaveLength(3);
    for (const w of warnings) expect(w).toMatchObject({ level: 40, msg: expect.stringContaining('could not be rebuilt') });
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('answers 404 not_found for an unknown or malformed id', async () => {
    for (const path of ['content', 'raw', 'preview']) {
      expect((await get(`/v1/emails/0193a1b2-0000-7000-8000-000000000000/${path}`)).json().error.code).toBe('not_found');
      expect((await get(`/v1/emails/nope/${path}`)).statusCode).toBe(404);
    }
  });
});
