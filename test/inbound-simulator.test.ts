// The simulator's inbound recipients: what they send back travels over SMTP to the real inbound
// server and becomes the right event on the right email, on PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.ts';
import { startTestWorker, eventually } from './support/test-worker.ts';
import { startTestInbound, TEST_BOUNCE_DOMAIN, TEST_REPLY_DOMAIN } from './support/test-inbound.ts';
import { STORE_KINDS } from './support/test-store.ts';

type Event = { event_type: string; metadata: Record<string, unknown> };

describe.each(STORE_KINDS)('simulated recipients who answer back, on %s', (kind) => {
  let t: TestApp;
  let inbound: Awaited<ReturnType<typeof startTestInbound>>;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  const ids: Record<string, string> = {};

  const events = async (id: string): Promise<Event[]> => (await t.app.inject({ url: `/v1/emails/${id}/events`, headers: t.auth })).json().data;
  const eventOf = (id: string, type: string) => eventually(async () => (await events(id)).find((e) => e.event_type === type), 15_000);
  const statusOf = async (id: string) => (await t.app.inject({ url: `/v1/emails/${id}`, headers: t.auth })).json().status;

  beforeAll(async () => {
    t = await createTestApp(kind);
    inbound = await startTestInbound(t.store, t.projectId);
    worker = await startTestWorker(t.store, { INBOUND_SMTP_PORT: String(inbound.port), BOUNCE_DOMAIN: TEST_BOUNCE_DOMAIN, REPLY_DOMAIN: TEST_REPLY_DOMAIN });
    for (const local of ['complaint', 'ooto', 'reply', 'asyncbounce']) {
      const res = await t.app.inject({
        method: 'POST', url: '/v1/emails', headers: t.auth,
        payload: { from: 'Shop <shop@example.com>', to: `${local}@simulator.test`, subject: `Your order (${local})`, text: 'Your order has shipped.\nTrack it online.' },
      });
      ids[local] = res.json().data[0].id;
    }
  });
  afterAll(async () => {
    await worker?.stop();
    await inbound?.stop();
    await t?.close();
  });

  it('complaint@ is delivered, then its ARF report makes a complaint and suppresses the address', async () => {
    const complaint = await eventOf(ids.complaint!, 'complaint');
    expect(complaint.metadata.feedback_type).toBe('abuse');
    expect((await events(ids.complaint!)).map((e) => e.event_type)).toContain('delivered');
    const list = (await t.app.inject({ url: '/v1/suppressions?email=complaint@simulator.test', headers: t.auth })).json();
    expect(list.data[0]).toMatchObject({ email: 'complaint@simulator.test', reason: 'complaint' });
  });

  it('ooto@ answers with an auto-reply: a reply with auto=true, and the email stays delivered', async () => {
    const reply = await eventOf(ids.ooto!, 'reply');
    expect(reply.metadata.auto).toBe(true);
    expect(await statusOf(ids.ooto!)).toBe('delivered');
    expect((await events(ids.ooto!)).map((e) => e.event_type)).not.toContain('bounced');
  });

  it('reply@ answers as a person: a reply with the new text and without the quoted original', async () => {
    const reply = await eventOf(ids.reply!, 'reply');
    expect(reply.metadata.auto).toBe(false);
    expect(reply.metadata.text).toContain('Can you send the invoice too?');
    expect(reply.metadata.text).not.toContain('Your order has shipped');
  });

  it('asyncbounce@ is accepted, then its DSN bounces the email hard as userunknown', async () => {
    const bounce = await eventOf(ids.asyncbounce!, 'bounced');
    expect(bounce.metadata).toMatchObject({ bounce_type: 'hard', reason: 'userunknown', status: '5.1.1' });
    expect(await statusOf(ids.asyncbounce!)).toBe('bounced');
  });
});
