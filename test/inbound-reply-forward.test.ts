// Human replies are forwarded to REPLY_FORWARD_TO through SMTP_URL; auto-replies are not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { createTestApp, type TestApp } from './support/test-app.ts';
import { startTestInbound, TEST_REPLY_DOMAIN } from './support/test-inbound.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';
import { eventually } from './support/test-worker.ts';

describe('reply forwarding', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let inbound: Awaited<ReturnType<typeof startTestInbound>>;

  beforeAll(async () => {
    t = await createTestApp('pglite');
    sink = await startSmtpSink();
    inbound = await startTestInbound(t.store, t.projectId, { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, REPLY_FORWARD_TO: 'owner@shop.example.com' });
  });
  afterAll(async () => {
    await inbound?.stop();
    await sink?.close();
    await t?.close();
  });

  const deliver = async (raw: string) => {
    const client = nodemailer.createTransport(inbound.url);
    await client.sendMail({ envelope: { from: 'reader@example.org', to: [`sales@${TEST_REPLY_DOMAIN}`] }, raw });
    client.close();
  };

  it("sends a person's reply, unchanged, to the configured mailbox and not an auto-reply", async () => {
    await deliver('From: Reader <reader@example.org>\r\nSubject: Auto: away\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <auto-1@example.org>\r\n\r\nI am away.\r\n');
    await deliver('From: Reader <reader@example.org>\r\nSubject: Re: Your order\r\nIn-Reply-To: <nothing-we-sent@example.com>\r\nMessage-ID: <human-1@example.org>\r\n\r\nWhere is my parcel?\r\n');
    const [forwarded] = await eventually(async () => (sink.messages.length > 0 ? sink.messages : undefined));
    expect(forwarded!.to).toEqual(['owner@shop.example.com']);
    expect(forwarded!.raw).toContain('Where is my parcel?');
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.messages).toHaveLength(1);
  });
});
