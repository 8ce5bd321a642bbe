// Tracking end to end: mail sent by a real worker, with its links, pixel and List-Unsubscribe
// followed over real HTTP by the simulated recipients and by this test.
import { afterEach, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { STORE_KINDS } from './support/test-store.ts';
import { createTrackingApp, TRACKING_TEST_KEYS, type TrackingApp } from './support/tracking-app.ts';
import { eventually, startTestWorker } from './support/test-worker.ts';
import { startTestInbound } from './support/test-inbound.ts';
import { createTransport } from 'nodemailer';

type Event = { event_type: string; metadata: Record<string, unknown> };

describe.each(STORE_KINDS)('tracking end to end on %s', (kind) => {
  let t: TrackingApp;
  let worker: { stop(): Promise<void> } | undefined;
  let inbound: { stop(): Promise<void> } | undefined;
  afterEach(async () => {
    await inbound?.stop();
    inbound = undefined;
    await worker?.stop();
    await t?.close();
  });

  const start = async (humanDelayMs?: number) => {
    t = await createTrackingApp(kind);
    const url = t.url;
    worker = await startTestWorker(t.store, { PUBLIC_URL: url, TRACKING_KEYS: TRACKING_TEST_KEYS.join(',') }, 'test-worker', humanDelayMs);
    return url;
  };
  const api = (method: 'GET' | 'POST', url: string, payload?: object) => t.app.inject({ method, url, headers: t.auth, payload });
  const send = async (body: object) => (await api('POST', '/v1/emails', body)).json().data as Array<{ id: string }>;
  const events = async (id: string) => ((await api('GET', `/v1/emails/${id}/events`)).json().data as Event[]);
  const hits = async (id: string) => (await events(id)).filter((e) => e.event_type === 'open' || e.event_type === 'click');

  it('open@, click@ and scanner@ show counted human traffic beside uncounted scanner traffic', async () => {
    await start(6_000);
    const html = '<html><body><p>Sale!</p><a href="https://shop.example/sale">Shop</a> <a href="https://shop.example/faq">FAQ</a></body></html>';
    const [open, click, scanner] = await send({ from: 'news@shop.example', to: ['open@simulator.test', 'click@simulator.test', 'scanner@simulator.test'], subject: 'Sale', html });
    const settled = async (id: string, n: number) => eventually(async () => ((await hits(id)).length >= n ? hits(id) : undefined), 20_000);

    const scans = await settled(scanner!.id, 7);
    // HEAD + GET on the 2 links and the hidden honeypot link, and the pixel, right at delivery: none of it counts.
    expect(scans.filter((e) => e.event_type === 'click')).toHaveLength(6);
    expect(scans.every((e) => e.metadata.counted === false && typeof e.metadata.why === 'string')).toBe(true);
    expect(new Set(scans.map((e) => e.metadata.why))).toContain('head_request');
    expect(new Set(scans.map((e) => e.metadata.why))).toContain('honeypot');

    const opened = await settled(open!.id, 1);
    expect(opened).toEqual([expect.objectContaining({ event_type: 'open', metadata: expect.objectContaining({ counted: true, method: 'GET', ip: '127.0.0.1' }) })]);

    const clicked = await settled(click!.id, 2);
    expect(clicked.map((e) => [e.event_type, e.metadata.counted])).toEqual([['open', true], ['click', true]]);
    expect(clicked[1]!.metadata).toMatchObject({ url: 'https://shop.example/sale', link_index: 0 });
    await new Promise((r) => setTimeout(r, 300));
    expect(await hits(scanner!.id)).toHaveLength(7);
  });

  it('campaign mail carries one-click List-Unsubscribe; posting it suppresses the recipient, whose next email is rejected', async () => {
    await start();
    const created = (await api('POST', '/v1/campaigns', {
      name: 'News', from: 'news@shop.example', subject: 'News',
      html: '<p>Read <a href="https://shop.example/news">this</a>. <a href="{{unsubscribe_url}}">Unsubscribe</a></p>',
      text: 'Read https://shop.example/news - unsubscribe: {{unsubscribe_url}}',
      recipients: [{ email: 'ann@example.org' }],
    })).json() as { id: string };
    const captured = await eventually(() => t.store.db.selectFrom('captured_messages').select(['raw', 'email_id']).executeTakeFirst(), 15_000);
    const mail = await simpleParser(captured.raw);
    const listUnsubscribe = mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
    expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toMatch(/List-Unsubscribe=One-Click/);
    const oneClick = /<(http:\/\/127\.0\.0\.1:\d+\/u\/[A-Za-z0-9_-]+)>/.exec(listUnsubscribe.replace(/\r?\n\s+/g, ' '))?.[1];
    expect(listUnsubscribe).toMatch(/mailto:unsubscribe\+[A-Za-z0-9_-]+@bounces\.sendtrail\.test/);
    // The body's unsubscribe link is the same page and is not click-tracked; the other link is.
    expect(mail.html).toContain(`href="${oneClick}"`);
    expect(mail.html).toMatch(/href="http:\/\/127\.0\.0\.1:\d+\/t\/c\/[A-Za-z0-9_-]+">this/);
    expect(mail.html).toMatch(/<img src="http:\/\/127\.0\.0\.1:\d+\/t\/o\//);
    // Plain text keeps the readable URL.
    expect(mail.text).toContain('Read https://shop.example/news');
    expect(mail.text).toContain(oneClick);

    const res = await fetch(oneClick!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    expect((await events(captured.email_id)).map((e) => e.event_type)).toContain('unsubscribe');

    const [next] = await send({ from: 'news@shop.example', to: 'ann@example.org', subject: 'Again', text: 'hello' });
    const status = await eventually(async () => {
      const s = (await api('GET', `/v1/emails/${next!.id}`)).json().status as string;
      return s === 'queued' ? undefined : s;
    });
    expect(status).toBe('rejected');
    expect(created.id).toBeTruthy();
  });

  it('the List-Unsubscribe mailto, sent to the inbound server, unsubscribes and suppresses the recipient; a forged one does not', async () => {
    await start();
    const mailbox = await startTestInbound(t.store, t.projectId, { TRACKING_KEYS: TRACKING_TEST_KEYS.join(',') });
    inbound = mailbox;
    await api('POST', '/v1/campaigns', {
      name: 'News', from: 'news@shop.example', subject: 'News', html: '<p>News</p>',
      recipients: [{ email: 'bob@example.org' }, { email: 'eve@example.org' }],
    });
    const captured = await eventually(async () => {
      const rows = await t.store.db.selectFrom('captured_messages').select(['raw', 'email_id']).execute();
      return rows.length === 2 ? rows : undefined;
    }, 15_000);
    const mailtoOf = async (raw: Buffer | string) => {
      const header = (await simpleParser(raw)).headerLines.find((h) => h.key === 'list-unsubscribe')!.line.replace(/\r?\n\s+/g, ' ');
      return /<mailto:([^>]+)>/.exec(header)![1]!;
    };
    const [bob, eve] = await Promise.all(captured.map(async (c) => ({ id: c.email_id!, mailto: await mailtoOf(c.raw) })));
    const smtp = createTransport({ host: '127.0.0.1', port: mailbox.port, secure: false, ignoreTLS: true });
    try {
      await smtp.sendMail({ from: 'bob@example.org', to: bob!.mailto, subject: 'unsubscribe', text: 'unsubscribe' });
      // A forged token at the same address: kept as inbound mail, acts on nobody.
      const forged = eve!.mailto.replace(/\+([A-Za-z0-9_-])/, (_, c: string) => `+${c === 'A' ? 'B' : 'A'}`);
      await smtp.sendMail({ from: 'eve@example.org', to: forged, subject: 'unsubscribe', text: 'unsubscribe' });
    } finally {
      smtp.close();
    }
    const bobEvents = await events(bob!.id);
    expect(bobEvents.find((e) => e.event_type === 'unsubscribe')?.metadata).toMatchObject({ method: 'mailto' });
    expect((await api('GET', '/v1/suppressions?email=bob@example.org')).json().data[0]).toMatchObject({ reason: 'unsubscribe' });
    expect((await events(eve!.id)).map((e) => e.event_type)).not.toContain('unsubscribe');
    expect((await api('GET', '/v1/suppressions?email=eve@example.org')).json().data).toEqual([]);
  });
});
