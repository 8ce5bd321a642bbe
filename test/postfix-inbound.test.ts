// Real Postfix end to end (issue 4, part 8): Sendtrail relays through Postfix to a sink; the DSNs
// Postfix sends to the VERP return path reach Sendtrail's inbound server (the bounce domain is routed
// there) and become delivered, bounced and delivery_delayed events on the right emails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.ts';
import { startTestWorker, eventually } from './support/test-worker.ts';
import { startTestInbound, TEST_BOUNCE_DOMAIN } from './support/test-inbound.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';
import { startPostfix, type PostfixInstance } from './support/postfix.ts';

type Event = { event_type: string; metadata: Record<string, unknown> };

describe('DSNs from a real Postfix become events', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let postfix: PostfixInstance;
  let inbound: Awaited<ReturnType<typeof startTestInbound>>;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  const ids: Record<string, string> = {};

  const events = async (id: string): Promise<Event[]> => (await t.app.inject({ url: `/v1/emails/${id}/events`, headers: t.auth })).json().data;
  const eventOf = (id: string, type: string, timeoutMs = 30_000) =>
    eventually(async () => (await events(id)).find((e) => e.event_type === type), timeoutMs);
  const statusOf = async (id: string) => (await t.app.inject({ url: `/v1/emails/${id}`, headers: t.auth })).json().status;

  beforeAll(async () => {
    t = await createTestApp('postgres');
    sink = await startSmtpSink({
      onRecipient: (rcpt) =>
        rcpt.startsWith('unknown@') ? { code: 550, message: '5.1.1 <unknown@example.org>: Recipient address rejected: User unknown'}
          : rcpt.startsWith('busy@') ? { code: 451, message: '4.3.2 Try again later' }
            : undefined,
    });
    inbound = await startTestInbound(t.store, t.projectId);
    // Seconds instead of hours, so a deferral warns and then expires within the test.
    postfix = await startPostfix({
      relayPort: sink.port,
      bounceDomain: TEST_BOUNCE_DOMAIN,
      inboundPort: inbound.port,
      timings: { queueRunDelay: '1s', minimalBackoffTime: '1s', maximalBackoffTime: '2s', delayWarningTime: '2s', maximalQueueLifetime: '10s', bounceQueueLifetime: '10s' },
    });
    worker = await startTestWorker(t.store, { SMTP_URL: `smtp://127.0.0.1:${postfix.port}`, BOUNCE_DOMAIN: TEST_BOUNCE_DOMAIN });
    for (const local of ['delivered', 'unknown', 'busy']) {
      const res = await t.app.inject({
        method: 'POST', url: '/v1/emails', headers: t.auth,
        payload: { from: 'Shop <shop@example.com>', to: `${local}@example.org`, subject: `Order for ${local}`, text: 'Your order.' },
      });
      ids[local] = res.json().data[0].id;
    }
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await postfix?.stop();
    await inbound?.stop();
    await sink?.close();
    await t?.close();
  });

  it('a 550 5.1.1 at the far side comes back as a DSN: bounced hard, userunknown, and suppressed', async () => {
    const bounce = await eventOf(ids.unknown!, 'bounced');
    expect(bounce.metadata).toMatchObject({ bounce_type: 'hard', reason: 'userunknown', status: '5.1.1' });
    expect(await statusOf(ids.unknown!)).toBe('bounced');
    const list = (await t.app.inject({ url: '/v1/suppressions?email=unknown@example.org', headers: t.auth })).json();
    expect(list.data[0]).toMatchObject({ reason: 'hard_bounce', source_email_id: ids.unknown });
  });

  it("a relayed message's success DSN makes it delivered", async () => {
    const delivered = await eventOf(ids.delivered!, 'delivered');
    expect(delivered.metadata).toMatchObject({ source: 'dsn' });
    expect(await statusOf(ids.delivered!)).toBe('delivered');
  });

  it('a deferral gives delivery_delayed, and its expiry a soft bounce', async () => {
    const delayed = await eventOf(ids.busy!, 'delivery_delayed');
    expect(delayed.metadata).toMatchObject({ action: 'delayed' });
    const bounce = await eventOf(ids.busy!, 'bounced', 60_000);
    expect(bounce.metadata).toMatchObject({ bounce_type: 'soft' });
    expect(await statusOf(ids.busy!)).toBe('bounced');
    const types = (await events(ids.busy!)).map((e) => e.event_type);
    expect(types.indexOf('delivery_delayed')).toBeLessThan(types.indexOf('bounced'));
  }, 90_000);
});
