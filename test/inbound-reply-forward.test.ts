// Human replies are forwarded to REPLY_FORWARD_TO through SMTP_URL; auto-replies are not. A forward
// is stored work: a relay that is down, or a process that stops before it is sent, loses none.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { createTestApp, type TestApp } from './support/test-app.ts';
import { startTestInbound, TEST_REPLY_DOMAIN } from './support/test-inbound.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';
import { eventually } from './support/test-worker.ts';
import { STORE_KINDS } from './support/test-store.ts';

// Retries a few times a second, so that a test sees several attempts and then the recovery.
const FAST_RETRY = { RETRY_BASE_MS: '100', RETRY_MAX_DELAY_MS: '200' };
const FAILED_FOR_GOOD = 'owner-gone@shop.example.com';

describe.each(STORE_KINDS)('reply forwarding on %s', (kind) => {
  let t: TestApp;
  let sink: SmtpSink;
  let proxy: TcpProxy;
  const inbounds: Array<{ stop(): Promise<void> }> = [];

  beforeAll(async () => {
    t = await createTestApp(kind);
    sink = await startSmtpSink({ keepRaw: true, onRecipient: (to) => (to === FAILED_FOR_GOOD ? { code: 550, message: '5.1.1 No such mailbox here' } : undefined) });
    proxy = await startTcpProxy('127.0.0.1', sink.port);
  });
  afterEach(async () => {
    for (const i of inbounds.splice(0)) await i.stop();
    proxy.restore();
  });
  afterAll(async () => {
    await proxy?.close();
    await sink?.close();
    await t?.close();
  });

  const startInbound = async (forwardTo: string, env: Record<string, string> = {}) => {
    const inbound = await startTestInbound(t.store, t.projectId, { SMTP_URL: `smtp://127.0.0.1:${proxy.port}`, REPLY_FORWARD_TO: forwardTo, ...FAST_RETRY, ...env });
    inbounds.push(inbound);
    return inbound;
  };
  const deliver = async (inboundUrl: string, raw: string) => {
    const client = nodemailer.createTransport(inboundUrl);
    await client.sendMail({ envelope: { from: 'reader@example.org', to: [`sales@${TEST_REPLY_DOMAIN}`] }, raw });
    client.close();
  };
  const reply = (id: string, text: string) =>
    `From: Reader <reader@example.org>\r\nSubject: Re: Your order\r\nIn-Reply-To: <nothing-we-sent@example.com>\r\nMessage-ID: <${id}@example.org>\r\n\r\n${text}\r\n`;
  const forwardOf = async (messageId: string) => {
    const rows = await t.store.db.selectFrom('inbound_messages').select(['id', 'raw', 'forward_state', 'forward_attempts', 'forward_error']).execute();
    const row = rows.find((r) => Buffer.from(r.raw).toString().includes(`<${messageId}@example.org>`));
    if (!row) throw new Error(`no inbound message ${messageId}`);
    // As the API shows it.
    const res = await t.app.inject({ method: 'GET', url: `/v1/inbound/${row.id}`, headers: t.auth });
    return (res.json() as { forward: { state: string; attempts: number; error: string | null } | null }).forward;
  };
  type Forward = NonNullable<Awaited<ReturnType<typeof forwardOf>>>;
  /** Waits until the reply's forward passes `check`, and returns it. */
  const forwardWhen = (messageId: string, check: (f: Forward) => boolean) =>
    eventually(async () => {
      const f = await forwardOf(messageId);
      return f && check(f) ? f : undefined;
    });
  const sentTo = (to: string) => sink.messages.filter((m) => m.to.includes(to));
  const firstSentTo = (to: string) => eventually(async () => sentTo(to)[0]);

  it("sends a person's reply, unchanged, to the configured mailbox and not an auto-reply", async () => {
    const to = `owner-${kind}@shop.example.com`;
    const inbound = await startInbound(to);
    await deliver(inbound.url, `From: Reader <reader@example.org>\r\nSubject: Auto: away\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <auto-${kind}@example.org>\r\n\r\nI am away.\r\n`);
    await deliver(inbound.url, reply(`human-${kind}`, 'Where is my parcel?'));
    const forwarded = await firstSentTo(to);
    expect(forwarded.raw).toContain('Where is my parcel?');
    expect(forwarded.from).toBe(`postmaster@${TEST_REPLY_DOMAIN}`);
    await forwardWhen(`human-${kind}`, (f) => f.state === 'forwarded');
    expect(await forwardOf(`human-${kind}`)).toEqual({ state: 'forwarded', attempts: 1, error: null });
    expect(await forwardOf(`auto-${kind}`)).toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    expect(sentTo(to)).toHaveLength(1);
  });

  it('a reply that arrives while the relay is down is forwarded once it is back, exactly once', async () => {
    const to = `owner-outage-${kind}@shop.example.com`;
    const inbound = await startInbound(to);
    proxy.cut();
    await deliver(inbound.url, reply(`outage-${kind}`, 'Sent during the outage'));
    // Tried, refused by the dead relay, still pending with the reason.
    const pending = await forwardWhen(`outage-${kind}`, (f) => f.attempts >= 2);
    expect(pending.state).toBe('pending');
    expect(pending.error).toBeTruthy();
    expect(sentTo(to)).toHaveLength(0);
    proxy.restore();
    expect((await firstSentTo(to)).raw).toContain('Sent during the outage');
    await forwardWhen(`outage-${kind}`, (f) => f.state === 'forwarded');
    await new Promise((r) => setTimeout(r, 500));
    expect(sentTo(to)).toHaveLength(1);
  });

  it('a reply left pending by a process that stopped is forwarded by the next one', async () => {
    const to = `owner-restart-${kind}@shop.example.com`;
    const first = await startInbound(to);
    proxy.cut();
    await deliver(first.url, reply(`restart-${kind}`, 'Left behind'));
    await forwardWhen(`restart-${kind}`, (f) => f.attempts >= 1);
    await first.stop();
    inbounds.splice(inbounds.indexOf(first), 1);
    proxy.restore();
    await new Promise((r) => setTimeout(r, 500));
    // Nobody runs a forwarder now: still pending, nothing sent.
    expect((await forwardOf(`restart-${kind}`))?.state).toBe('pending');
    expect(sentTo(to)).toHaveLength(0);
    await startInbound(to);
    expect((await firstSentTo(to)).raw).toContain('Left behind');
    await forwardWhen(`restart-${kind}`, (f) => f.state === 'forwarded');
  });

  it('a forward the relay refuses for good (5xx) is marked failed with its reason and not retried', async () => {
    const inbound = await startInbound(FAILED_FOR_GOOD);
    await deliver(inbound.url, reply(`refused-${kind}`, 'Nobody reads this'));
    const failed = await forwardWhen(`refused-${kind}`, (f) => f.state === 'failed');
    expect(failed.error).toContain('No such mailbox here');
    await new Promise((r) => setTimeout(r, 500));
    expect((await forwardOf(`refused-${kind}`))?.attempts).toBe(1);
  });

  it('a reply the relay cannot take within MAX_DELIVERY_LIFETIME_MS is given up on and marked failed', async () => {
    const to = `owner-expired-${kind}@shop.example.com`;
    const inbound = await startInbound(to, { MAX_DELIVERY_LIFETIME_MS: '500' });
    proxy.cut();
    await deliver(inbound.url, reply(`expired-${kind}`, 'Too late'));
    const failed = await forwardWhen(`expired-${kind}`, (f) => f.state === 'failed');
    expect(failed.attempts).toBeGreaterThan(1);
    proxy.restore();
    await new Promise((r) => setTimeout(r, 500));
    expect(sentTo(to)).toHaveLength(0);
  });
});
