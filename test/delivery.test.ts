// End to end through the API and a real worker: the lifecycle a user sees, on both stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { STORE_KINDS } from './support/test-store.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';
import { startTestWorker, eventually, TEST_SECRET } from './support/test-worker.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';
import { ensureSimulatorSuppressions } from '../src/delivery/index.ts';
import { parseReturnPath } from '../src/bounces/index.ts';

describe.each(STORE_KINDS)('delivery on %s', (kind) => {
  let t: TestApp;
  let sink: SmtpSink;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await ensureSimulatorSuppressions(t.store.db, t.projectId);
    sink = await startSmtpSink({
      advertiseDsn: true,
      onRecipient: (rcpt) =>
        rcpt.startsWith('unknown') ? { code: 550, message: '5.1.1 <' + rcpt + '>: Recipient address rejected: User unknown' }
        : rcpt.startsWith('full') ? { code: 452, message: '4.2.2 Mailbox full' }
        : undefined,
    });
    worker = await startTestWorker(t.store, { SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
  });
  afterAll(async () => {
    await worker?.stop();
    await sink?.close();
    await t?.close();
  });

  const send = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/emails', headers: { ...t.auth, ...headers }, payload: body });
    expect(res.statusCode, res.body).toBe(202);
    return res.json().data as Array<{ id: string; to: string; status: string }>;
  };
  const email = async (id: string) => (await t.app.inject({ url: `/v1/emails/${id}`, headers: t.auth })).json();
  const events = async (id: string) =>
    (await t.app.inject({ url: `/v1/emails/${id}/events`, headers: t.auth })).json().data as Array<{ event_type: string; metadata: Record<string, any> }>;
  const finalStatus = (id: string, statuses: string[]) =>
    eventually(async () => {
      const e = await email(id);
      return statuses.includes(e.status) ? e : undefined;
    });
  const base = { from: 'Shop <shop@example.com>', subject: 'Hello', html: '<p>Hi</p>', text: 'Hi' };

  it('walks delivered@simulator.test through queued, sent and delivered', async () => {
    const [e] = await send({ ...base, to: 'delivered@simulator.test' });
    expect(e!.status).toBe('queued');
    expect((await finalStatus(e!.id, ['delivered'])).transport).toBe('simulator');
    expect((await events(e!.id)).map((x) => x.event_type)).toEqual(['queued', 'sent', 'delivered']);
  });

  it('bounces bounce@simulator.test hard with reason userunknown and the SMTP diagnostic', async () => {
    const [e] = await send({ ...base, to: 'bounce@simulator.test' });
    await finalStatus(e!.id, ['bounced']);
    const bounced = (await events(e!.id)).find((x) => x.event_type === 'bounced')!;
    expect(bounced.metadata).toMatchObject({ bounce_type: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: 550 });
    expect(bounced.metadata.diagnostic).toContain('User unknown');
    // The hard bounce put the address on the suppression list: the next email to it is never sent.
    const [again] = await send({ ...base, to: 'Bounce@simulator.test' });
    await finalStatus(again!.id, ['rejected']);
    expect((await events(again!.id)).find((x) => x.event_type === 'rejected')!.metadata).toMatchObject({ reason: 'suppressed', suppression_reason: 'hard_bounce' });
  });

  it('retries softbounce@simulator.test with delivery_delayed events until it ends as a soft bounce', async () => {
    const [e] = await send({ ...base, to: 'softbounce@simulator.test' });
    await finalStatus(e!.id, ['bounced']);
    const types = (await events(e!.id)).map((x) => x.event_type);
    expect(types.filter((x) => x === 'delivery_delayed').length).toBeGreaterThanOrEqual(2);
    expect((await events(e!.id)).at(-1)!.metadata).toMatchObject({ bounce_type: 'soft', reason: 'expired', last_reason: 'mailboxfull' });
  });

  it('delivers deferred@simulator.test after one delay', async () => {
    const [e] = await send({ ...base, to: 'deferred@simulator.test' });
    await finalStatus(e!.id, ['delivered']);
    expect((await events(e!.id)).map((x) => x.event_type)).toEqual(['queued', 'delivery_delayed', 'sent', 'delivered']);
  });

  it('rejects suppressed@simulator.test without sending it', async () => {
    const before = sink.messages.length;
    const [e] = await send({ ...base, to: 'suppressed@simulator.test' });
    await finalStatus(e!.id, ['rejected']);
    const rejected = (await events(e!.id)).find((x) => x.event_type === 'rejected')!;
    expect(rejected.metadata.reason).toBe('suppressed');
    expect(sink.messages.length).toBe(before);
  });

  it('relays real-domain mail with a VERP return path, DSN parameters and a stable Message-ID', async () => {
    const [e] = await send({ ...base, to: 'ann@example.org', headers: { 'X-Campaign-Ref': 'abc' } });
    const sent = await finalStatus(e!.id, ['sent']);
    const msg = sink.messages.find((m) => m.to.includes('ann@example.org'))!;
    expect(parseReturnPath(msg.from, TEST_SECRET)).toBe(e!.id);
    expect(msg.from.endsWith('@bounces.sendtrail.test')).toBe(true);
    expect(msg.dsn).toMatchObject({ envid: e!.id, ret: 'HDRS' });
    const parsed = await simpleParser(msg.raw);
    expect(parsed.messageId).toBe(sent.message_id);
    expect(parsed.headers.get('x-campaign-ref')).toBe('abc');
    expect(parsed.subject).toBe('Hello');
    expect((await events(e!.id)).map((x) => x.event_type)).toEqual(['queued', 'sent']);
  });

  it('classifies a 550 from the relay as a hard bounce and retries a 452', async () => {
    const [hard, soft] = await send({ ...base, to: ['unknown1@example.org', 'full1@example.org'] });
    await finalStatus(hard!.id, ['bounced']);
    expect((await events(hard!.id)).at(-1)!.metadata).toMatchObject({ bounce_type: 'hard', reason: 'userunknown' });
    await eventually(async () => (await events(soft!.id)).some((x) => x.event_type === 'delivery_delayed'));
  });

  it('a send slower than the lease is not taken over by another worker: its lease is renewed, the recipient gets one copy', async () => {
    // Its own store, so that only the two slow-relay workers below can claim the email.
    const own = await createTestApp(kind);
    const slow = await startSmtpSink({ dataReplyDelayMs: 3500 });
    const env = { SMTP_URL: `smtp://127.0.0.1:${slow.port}`, LEASE_MS: '1000' };
    const workers = [await startTestWorker(own.store, env, 'lease-w1'), await startTestWorker(own.store, env, 'lease-w2')];
    try {
      const res = await own.app.inject({ method: 'POST', url: '/v1/emails', headers: own.auth, payload: { ...base, to: 'slow@example.net' } });
      const id = (res.json().data as Array<{ id: string }>)[0]!.id;
      const sent = await eventually(async () => {
        const e = (await own.app.inject({ url: `/v1/emails/${id}`, headers: own.auth })).json();
        return e.status === 'sent' ? e : undefined;
      });
      // Long enough for a second claim to have reached the sink had the lease run out.
      await new Promise((r) => setTimeout(r, 1500));
      expect(slow.messages.filter((m) => m.to.includes('slow@example.net'))).toHaveLength(1);
      expect(sent.attempts).toBe(1);
      const timeline = (await own.app.inject({ url: `/v1/emails/${id}/events`, headers: own.auth })).json().data as Array<{ event_type: string }>;
      expect(timeline.map((x) => x.event_type)).toEqual(['queued', 'sent']);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await slow.close();
      await own.close();
    }
  }, 20_000);

  it('sends cc and bcc with the first email only, so each gets one copy', async () => {
    const data = await send({ ...base, to: ['t1@example.org', 't2@example.org'], cc: 'cc@example.org', bcc: 'bcc@example.org' });
    await Promise.all(data.map((d) => finalStatus(d.id, ['sent'])));
    const withCc = sink.messages.filter((m) => m.to.includes('cc@example.org'));
    expect(withCc).toHaveLength(1);
    expect(withCc[0]!.to).toEqual(['t1@example.org', 'cc@example.org', 'bcc@example.org']);
    expect(withCc[0]!.raw).not.toMatch(/^bcc:/im);
  });

  it('holds a scheduled email until its time, then sends it', async () => {
    const at = new Date(Date.now() + 1500).toISOString();
    const [e] = await send({ ...base, to: 'delivered@simulator.test', scheduled_at: at });
    expect(e!.status).toBe('scheduled');
    await new Promise((r) => setTimeout(r, 500));
    expect((await email(e!.id)).status).toBe('scheduled');
    const done = await finalStatus(e!.id, ['delivered']);
    expect(new Date(done.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(at).getTime());
  });

  it('cancels a scheduled email, which is then never sent, and refuses to cancel a sent one', async () => {
    const [e] = await send({ ...base, to: 'delivered@simulator.test', scheduled_at: new Date(Date.now() + 800).toISOString() });
    const res = await t.app.inject({ method: 'POST', url: `/v1/emails/${e!.id}/cancel`, headers: t.auth });
    expect(res.statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 1200));
    expect((await email(e!.id)).status).toBe('cancelled');
    expect((await events(e!.id)).map((x) => x.event_type)).toEqual(['scheduled', 'cancelled']);

    const [d] = await send({ ...base, to: 'delivered@simulator.test' });
    await finalStatus(d!.id, ['delivered']);
    const refused = await t.app.inject({ method: 'POST', url: `/v1/emails/${d!.id}/cancel`, headers: t.auth });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('email_not_cancellable');
  });
});

describe('capture without SMTP_URL', () => {
  it('keeps real-domain mail locally and marks it as not delivered', async () => {
    const t = await createTestApp('pglite');
    const worker = await startTestWorker(t.store);
    try {
      const res = await t.app.inject({ method: 'POST', url: '/v1/emails', headers: t.auth, payload: { from: 'a@example.com', to: 'b@example.org', subject: 's', text: 'hello capture' } });
      const id = res.json().data[0].id;
      const e = await eventually(async () => {
        const r = (await t.app.inject({ url: `/v1/emails/${id}`, headers: t.auth })).json();
        return r.status === 'sent' ? r : undefined;
      });
      expect(e.transport).toBe('capture');
      const evs = (await t.app.inject({ url: `/v1/emails/${id}/events`, headers: t.auth })).json().data;
      expect(evs.at(-1).metadata).toMatchObject({ captured: true, delivered: false });
      const raw = await t.store.db.selectFrom('captured_messages').select('raw').where('email_id', '=', id).executeTakeFirstOrThrow();
      expect(raw.raw).toContain('hello capture');
    } finally {
      await worker.stop();
      await t.close();
    }
  });
});
