// Proves the private Postfix harness: relaying to a sink, bounce DSNs and success DSNs routed by
// transport_maps to a second sink that stands in for the platform's inbound SMTP server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { startPostfix, type PostfixInstance } from './postfix.ts';
import { startSmtpSink, type SinkMessage, type SmtpSink } from './smtp-sink.ts';

const BOUNCE_DOMAIN = 'bounces.sendtrail.test';

let relay: SmtpSink; // the "internet": every relayed message ends up here
let inbound: SmtpSink; // the platform's inbound server: DSNs to the bounce domain
let postfix: PostfixInstance;

beforeAll(async () => {
  relay = await startSmtpSink({
    onRecipient: (address) =>
      address.startsWith('unknown') ? { code: 550, message: '5.1.1 user unknown' } : undefined,
  });
  inbound = await startSmtpSink();
  postfix = await startPostfix({
    relayPort: relay.port,
    bounceDomain: BOUNCE_DOMAIN,
    inboundPort: inbound.port,
    timings: { queueRunDelay: '2s', minimalBackoffTime: '2s', maximalBackoffTime: '4s' },
  });
});

afterAll(async () => {
  const log = await postfix?.readLog();
  await postfix?.stop();
  await relay?.close();
  await inbound?.close();
  if (process.env.SENDTRAIL_DEBUG_POSTFIX) console.log(log);
});

function transport() {
  return nodemailer.createTransport({ host: '127.0.0.1', port: postfix.port, secure: false, ignoreTLS: true });
}

/** Waits for a message matching `match` (the sinks' waitFor counts messages; tests share the sinks). */
async function waitForMessage(sink: SmtpSink, match: (m: SinkMessage) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = sink.messages.find(match);
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(
        `no matching message in ${timeoutMs} ms; got ${sink.messages.length}: ` +
          JSON.stringify(sink.messages.map((m) => ({ from: m.from, to: m.to }))) +
          `\n--- postfix log ---\n${await postfix.readLog()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The message/delivery-status part of a DSN (per-message and per-recipient fields). */
function deliveryStatus(raw: string): string {
  const start = raw.search(/Content-Type:\s*message\/delivery-status/i);
  expect(start, 'DSN has a message/delivery-status part').toBeGreaterThan(-1);
  return raw.slice(start, raw.indexOf('\n--', start));
}

describe('private Postfix relay (test/support/postfix.ts)', () => {
  it('relays a message with DSN parameters to the sink', async () => {
    const info = await transport().sendMail({
      from: 'News <news@sendtrail.test>',
      to: 'alice@example.test',
      subject: 'relay test a',
      text: 'hello through postfix',
      envelope: { from: `b-a@${BOUNCE_DOMAIN}`, to: ['alice@example.test'] },
      dsn: { id: 'env-123', return: 'headers', notify: ['success', 'failure', 'delay'] },
    });
    expect(info.response).toMatch(/^250 .*queued as/);

    const msg = await waitForMessage(relay, (m) => m.raw.includes('relay test a'));
    expect(msg.from).toBe(`b-a@${BOUNCE_DOMAIN}`);
    expect(msg.to).toEqual(['alice@example.test']);
    expect(msg.raw).toMatch(/^Received: from \[127\.0\.0\.1\][\s\S]*?by mta\.sendtrail\.test \(Postfix\) with ESMTP/m);
    expect(msg.raw).toContain('hello through postfix');
  });

  it('sends a failure DSN to the bounce domain when the next hop answers 550 5.1.1', async () => {
    await transport().sendMail({
      from: 'news@sendtrail.test',
      to: 'unknown-b@example.test',
      subject: 'relay test b',
      text: 'this one bounces',
      envelope: { from: `b-b@${BOUNCE_DOMAIN}`, to: ['unknown-b@example.test'] },
    });

    const dsn = await waitForMessage(inbound, (m) => m.to.includes(`b-b@${BOUNCE_DOMAIN}`));
    expect(dsn.from).toBe(''); // MAIL FROM:<>
    expect(dsn.raw).toMatch(/Content-Type: multipart\/report; report-type=delivery-status/i);
    const status = deliveryStatus(dsn.raw);
    expect(status).toMatch(/^Final-Recipient: rfc822; ?unknown-b@example\.test/m);
    expect(status).toMatch(/^Action: failed/m);
    expect(status).toMatch(/^Status: 5\.1\.1/m);
    expect(status).toMatch(/^Diagnostic-Code: smtp; ?550 5\.1\.1 user unknown/m);
    expect(dsn.raw).toContain('relay test b'); // the original is attached
    // The sink never saw the rejected recipient, and the DSN did not go through the relayhost.
    expect(relay.messages.some((m) => m.to.includes('unknown-b@example.test'))).toBe(false);
    expect(relay.messages.some((m) => m.to.includes(`b-b@${BOUNCE_DOMAIN}`))).toBe(false);
  });

  it('sends a success DSN (Action: relayed) for NOTIFY=SUCCESS', async () => {
    await transport().sendMail({
      from: 'news@sendtrail.test',
      to: 'carol@example.test',
      subject: 'relay test c',
      text: 'this one is delivered',
      envelope: { from: `b-c@${BOUNCE_DOMAIN}`, to: ['carol@example.test'] },
      dsn: { id: 'env-123', return: 'headers', notify: ['success', 'failure', 'delay'] },
    });

    await waitForMessage(relay, (m) => m.raw.includes('relay test c'));
    const dsn = await waitForMessage(inbound, (m) => m.to.includes(`b-c@${BOUNCE_DOMAIN}`));
    expect(dsn.from).toBe('');
    expect(dsn.raw).toMatch(/report-type=delivery-status/i);
    const status = deliveryStatus(dsn.raw);
    expect(status).toMatch(/^Original-Envelope-Id: env-123/m);
    expect(status).toMatch(/^Final-Recipient: rfc822; ?carol@example\.test/m);
    expect(status).toMatch(/^Action: relayed/m);
    expect(status).toMatch(/^Status: 2\.\d\.\d/m);
    // RET=HDRS: only the headers of the original come back, not the body.
    expect(dsn.raw).toContain('relay test c');
    expect(dsn.raw).not.toContain('this one is delivered');
  });

  it('shows its queue and accepts a flush', async () => {
    await postfix.flushQueue();
    expect(await postfix.queue()).toEqual([]);
    expect(await postfix.readLog()).toMatch(/status=sent/);
  });
});
