import { afterEach, describe, expect, it } from 'vitest';
import { signToken } from '../../tracking/index.ts';
import { createTrackingApp, TRACKING_TEST_KEYS, type TrackingApp } from '../../../test/support/tracking-app.ts';
import { createEmails } from '../../../test/support/tracking-fixtures.ts';
import { STORE_KINDS } from '../../../test/support/test-store.ts';

const KEY = TRACKING_TEST_KEYS[0]!;

describe.each(STORE_KINDS)('unsubscribe endpoints on %s', (kind) => {
  let t: TrackingApp;
  afterEach(async () => t?.close());

  const suppressions = () => t.store.db.selectFrom('suppressions').select(['email', 'reason', 'source_email_id']).execute();
  const unsubscribeEvents = () => t.store.db.selectFrom('events').select(['email_id', 'metadata']).where('event_type', '=', 'unsubscribe').execute();

  it('GET shows a confirmation page and unsubscribes nobody (scanners follow GETs)', async () => {
    t = await createTrackingApp(kind);
    const [emailId] = (await createEmails(t.store.db, 1)).emailIds as [string];
    const res = await t.app.inject({ method: 'GET', url: `/u/${signToken(KEY, { kind: 'unsubscribe', emailId })}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<form method="post"');
    expect(await suppressions()).toEqual([]);
    expect(await unsubscribeEvents()).toEqual([]);
  });

  it('an RFC 8058 one-click POST records one unsubscribe event and suppresses the recipient, however often it comes', async () => {
    t = await createTrackingApp(kind);
    const [emailId] = (await createEmails(t.store.db, 1)).emailIds as [string];
    const url = `/u/${signToken(KEY, { kind: 'unsubscribe', emailId })}`;
    for (const [type, payload] of [
      ['application/x-www-form-urlencoded', 'List-Unsubscribe=One-Click'],
      ['multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b--\r\n'],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url, headers: { 'content-type': type, 'user-agent': 'Gmail-OneClick' }, payload });
      expect(res.statusCode).toBe(200);
    }
    expect(await suppressions()).toEqual([{ email: 'person0@example.com', reason: 'unsubscribe', source_email_id: emailId }]);
    expect(await unsubscribeEvents()).toEqual([{ email_id: emailId, metadata: { ua: 'Gmail-OneClick', ip: '127.0.0.1', method: 'POST' } }]);
  });

  it('a forged or non-unsubscribe token is a 404 in the error shape and changes nothing', async () => {
    t = await createTrackingApp(kind);
    const [emailId] = (await createEmails(t.store.db, 1)).emailIds as [string];
    for (const token of [signToken('attacker', { kind: 'unsubscribe', emailId }), signToken(KEY, { kind: 'open', emailId }), 'nope']) {
      for (const method of ['GET', 'POST'] as const) {
        const res = await t.app.inject({ method, url: `/u/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: method === 'POST' ? 'List-Unsubscribe=One-Click' : undefined });
        expect(res.statusCode).toBe(404);
        expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
      }
    }
    expect(await suppressions()).toEqual([]);
  });

  it('a person whose browser follows a broken or forged link, or one of an email no longer on record, gets a plain HTML page saying nobody was unsubscribed', async () => {
    t = await createTrackingApp(kind);
    const [emailId] = (await createEmails(t.store.db, 1)).emailIds as [string];
    const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'content-type': 'application/x-www-form-urlencoded' };
    const valid = signToken(KEY, { kind: 'unsubscribe', emailId });
    const confirmation = (await t.app.inject({ method: 'GET', url: `/u/${valid}`, headers: browser })).body;
    const styleOf = (html: string) => /<body style="[^"]*">/.exec(html)?.[0];

    const pages = [];
    for (const token of [valid.slice(0, -3), signToken('attacker', { kind: 'unsubscribe', emailId }), 'nope']) {
      for (const method of ['GET', 'POST'] as const) {
        pages.push(await t.app.inject({ method, url: `/u/${token}`, headers: browser, payload: method === 'POST' ? 'List-Unsubscribe=One-Click' : undefined }));
      }
    }
    const gone = signToken(KEY, { kind: 'unsubscribe', emailId: '0190a2b4-0000-7000-8000-000000000000' });
    const goneRes = await t.app.inject({ method: 'POST', url: `/u/${gone}`, headers: browser, payload: 'List-Unsubscribe=One-Click' });
    for (const res of [...pages, goneRes]) {
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toMatch(/^<!doctype html><html lang="en">/);
      expect(res.body).toContain('nobody was unsubscribed');
      expect(res.body).toMatch(/<title>[^<]+<\/title>.*<h1>[^<]+<\/h1>/);
      // Self-contained, in the confirmation page's look: no scripts, stylesheets, images or links out.
      expect(res.body).not.toMatch(/<script|<link|<img|src=|href=|url\(/i);
      expect(styleOf(res.body)).toBe(styleOf(confirmation));
    }
    expect(pages[0]!.body).toContain('This unsubscribe link is not valid');
    expect(goneRes.body).toContain('This unsubscribe link no longer works');
    expect(await suppressions()).toEqual([]);
    expect(await unsubscribeEvents()).toEqual([]);
  });
});
