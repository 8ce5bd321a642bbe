import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { signToken } from '../../tracking/index.ts';
import { createTrackingApp, TRACKING_TEST_KEYS, type TrackingApp } from '../../../test/support/tracking-app.ts';
import { createEmails } from '../../../test/support/tracking-fixtures.ts';
import { STORE_KINDS } from '../../../test/support/test-store.ts';
import { PIXEL_GIF, trackingHandler } from './tracking.routes.ts';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const [NEW_KEY, OLD_KEY] = TRACKING_TEST_KEYS as [string, string];

describe.each(STORE_KINDS)('tracking endpoints on %s', (kind) => {
  let t: TrackingApp;
  afterEach(async () => t?.close());

  const timeline = async (emailId: string) => {
    await t.recorder.settled();
    const res = await t.app.inject({ method: 'GET', url: `/v1/emails/${emailId}/events`, headers: t.auth });
    return (res.json() as { data: Array<{ event_type: string; metadata: Record<string, unknown> }> }).data.filter((e) => e.event_type !== 'queued');
  };

  it('the pixel answers a no-cache GIF and the timeline shows a counted open with ua and ip', async () => {
    t = await createTrackingApp(kind);
    const [emailId] = (await createEmails(t.store.db, 1)).emailIds as [string];
    const res = await t.fetch(`/t/o/${signToken(NEW_KEY, { kind: 'open', emailId })}`, { headers: { 'user-agent': CHROME } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/gif');
    expect(res.body.equals(PIXEL_GIF)).toBe(true);
    expect(res.headers.get('cache-control')).toContain('no-store');
    expect(await timeline(emailId)).toEqual([
      expect.objectContaining({ event_type: 'open', metadata: { ua: CHROME, ip: '127.0.0.1', method: 'GET', counted: true } }),
    ]);
  });

  it('a HEAD on the pixel is recorded and never counted', async () => {
    t = await createTrackingApp(kind);
    const [emailId] = (await createEmails(t.store.db, 1)).emailIds as [string];
    const res = await t.fetch(`/t/o/${signToken(OLD_KEY, { kind: 'open', emailId })}`, { method: 'HEAD', headers: { 'user-agent': CHROME } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(PIXEL_GIF.length));
    expect(res.body.length).toBe(0);
    expect((await timeline(emailId)).map((e) => e.metadata)).toEqual([expect.objectContaining({ method: 'HEAD', counted: false, why: 'head_request' })]);
  });

  it('a forged or altered pixel token still gets the GIF and records nothing', async () => {
    t = await createTrackingApp(kind);
    const [emailId] = (await createEmails(t.store.db, 1)).emailIds as [string];
    const forged = signToken('not-our-key', { kind: 'open', emailId });
    const good = signToken(NEW_KEY, { kind: 'open', emailId });
    for (const token of [forged, `${good.slice(0, -2)}AA`, 'garbage', 'x'.repeat(5000)]) {
      const res = await t.fetch(`/t/o/${token}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/gif');
    }
    expect(await timeline(emailId)).toEqual([]);
  });

  it('a click redirects to its destination and the timeline shows the click with url and link index', async () => {
    t = await createTrackingApp(kind);
    const [emailId] = (await createEmails(t.store.db, 1)).emailIds as [string];
    const token = signToken(NEW_KEY, { kind: 'click', emailId, linkIndex: 2, url: 'https://shop.example/sale?utm=mail&x=ü' });
    const res = await t.fetch(`/t/c/${token}`, { headers: { 'user-agent': CHROME } });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://shop.example/sale?utm=mail&x=%C3%BC');
    const events = await timeline(emailId);
    expect(events[0]).toMatchObject({ event_type: 'click', metadata: { url: 'https://shop.example/sale?utm=mail&x=ü', link_index: 2, counted: true, ua: CHROME } });
    // No counted open yet: the click back-fills one.
    expect(events[1]).toMatchObject({ event_type: 'open', metadata: { backfilled: true, counted: true } });
  });

  it('a forged, altered or non-click token never redirects: 404 in the error shape', async () => {
    t = await createTrackingApp(kind);
    const [emailId] = (await createEmails(t.store.db, 1)).emailIds as [string];
    const good = signToken(NEW_KEY, { kind: 'click', emailId, linkIndex: 0, url: 'https://good.example/' });
    const evil = Buffer.concat([Buffer.from(good, 'base64url').subarray(0, 19), Buffer.from('https://evil.example/'), Buffer.from(good, 'base64url').subarray(-16)]);
    for (const token of [evil.toString('base64url'), signToken('attacker', { kind: 'click', emailId, linkIndex: 0, url: 'https://evil.example/' }),
      signToken(NEW_KEY, { kind: 'open', emailId }), signToken(NEW_KEY, { kind: 'click', emailId, linkIndex: 0, url: 'javascript:alert(1)' }), '%ZZ']) {
      const res = await t.fetch(`/t/c/${token}`);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get('location')).toBeNull();
      expect(res.json()).toMatchObject({ error: { code: expect.any(String) } });
    }
    expect(await timeline(emailId)).toEqual([]);
  });

  it('a click still redirects when the database is gone, and the hit waits in the spool', async () => {
    t = await createTrackingApp(kind);
    const [emailId] = (await createEmails(t.store.db, 1)).emailIds as [string];
    await t.store.db.destroy();
    const res = await t.fetch(`/t/c/${signToken(NEW_KEY, { kind: 'click', emailId, linkIndex: 0, url: 'https://shop.example/' })}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://shop.example/');
    expect(t.recorder.isSpooling()).toBe(true);
  });

  it('X-Forwarded-For gives the client IP behind a trusted proxy', async () => {
    t = await createTrackingApp(kind, { trustProxy: ['127.0.0.1'] });
    const [emailId] = (await createEmails(t.store.db, 1)).emailIds as [string];
    await t.fetch(`/t/o/${signToken(NEW_KEY, { kind: 'open', emailId })}`, { headers: { 'x-forwarded-for': '198.51.100.9' } });
    expect((await timeline(emailId)).map((e) => e.metadata.ip)).toEqual(['198.51.100.9']);
  });

  it('X-Forwarded-For from a client that is no trusted proxy is ignored', async () => {
    t = await createTrackingApp(kind, { trustProxy: ['192.0.2.50'] });
    const [emailId] = (await createEmails(t.store.db, 1)).emailIds as [string];
    await t.fetch(`/t/o/${signToken(NEW_KEY, { kind: 'open', emailId })}`, { headers: { 'x-forwarded-for': '198.51.100.9' } });
    await t.fetch(`/t/o/${signToken(NEW_KEY, { kind: 'open', emailId })}`);
    expect((await timeline(emailId)).map((e) => e.metadata.ip)).toEqual(['127.0.0.1', '127.0.0.1']);
  });

  it('other paths under /t/ and other methods are left to the API, which answers 404 in the error shape', async () => {
    t = await createTrackingApp(kind);
    const [emailId] = (await createEmails(t.store.db, 1)).emailIds as [string];
    const token = signToken(NEW_KEY, { kind: 'open', emailId });
    for (const [method, path] of [['POST', `/t/o/${token}`], ['GET', `/t/x/${token}`], ['GET', `/t/o/${token}/more`], ['GET', '/t/o/']]) {
      const res = await t.fetch(path!, { method });
      expect(res.status).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    expect(await timeline(emailId)).toEqual([]);
  });

  it('a query string after the token is ignored', async () => {
    t = await createTrackingApp(kind);
    const [emailId] = (await createEmails(t.store.db, 1)).emailIds as [string];
    const res = await t.fetch(`/t/o/${signToken(NEW_KEY, { kind: 'open', emailId })}?utm=x`);
    expect(res.status).toBe(200);
    expect(await timeline(emailId)).toHaveLength(1);
  });

  it('while the server closes, a tracking request gets a 503 in the error shape and records nothing', async () => {
    t = await createTrackingApp(kind);
    const [emailId] = (await createEmails(t.store.db, 1)).emailIds as [string];
    const handler = trackingHandler({ keys: TRACKING_TEST_KEYS, recorder: t.recorder }, { isClosing: () => true });
    const server = http.createServer((req, res) => void (handler(req, res) || res.writeHead(418).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/t/o/${signToken(NEW_KEY, { kind: 'open', emailId })}`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: { code: 'shutting_down' } });
    } finally {
      server.close();
    }
    expect(await timeline(emailId)).toEqual([]);
  });
});
