// Relaying through a real Postfix: what leaves Sendtrail arrives at the far side intact, signed,
// with its VERP return path and its Message-ID.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { createTestApp, type TestApp } from './support/test-app.ts';
import { startTestWorker, eventually, TEST_SECRET } from './support/test-worker.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';
import { startPostfix, type PostfixInstance } from './support/postfix.ts';
import { addDomain, type DnsRecord } from '../src/delivery/dkim/index.ts';
import { parseReturnPath } from '../src/bounces/index.ts';

const fakeDns = (records: DnsRecord[]) => async (name: string, rrtype: string) => {
  const found = records.filter((r) => r.type === rrtype && r.name === name.toLowerCase());
  if (found.length === 0) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return found.map((r) => r.strings);
};

describe('relay through a real Postfix', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let postfix: PostfixInstance;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  const records: DnsRecord[] = [];

  beforeAll(async () => {
    t = await createTestApp('postgres');
    sink = await startSmtpSink();
    postfix = await startPostfix({ relayPort: sink.port });
    for (const [domain, algorithm] of [['shop.example.com', 'rsa'], ['news.example.com', 'ed25519']] as const) {
      records.push(...(await addDomain(t.store.db, t.projectId, domain, { algorithm })).records);
    }
    worker = await startTestWorker(t.store, { SMTP_URL: `smtp://127.0.0.1:${postfix.port}` });
  });
  afterAll(async () => {
    await worker?.stop();
    await postfix?.stop();
    await sink?.close();
    await t?.close();
  });

  it.each([
    ['RSA', 'Shop <orders@shop.example.com>'],
    ['Ed25519', 'News <hello@news.example.com>'],
  ])('delivers %s-signed mail whose DKIM signature still verifies after Postfix', async (_alg, from) => {
    const to = `reader-${_alg.toLowerCase()}@example.org`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/emails',
      headers: t.auth,
      payload: { from, to, subject: 'Receipt ✓', html: '<p>Thank you — your order is on its way.</p>', text: 'Thank you.' },
    });
    expect(res.statusCode).toBe(202);
    const id = res.json().data[0].id as string;
    const msg = await eventually(async () => sink.messages.find((m) => m.to.includes(to)), 20_000);
    expect(msg).toBeDefined();
    expect(parseReturnPath(msg!.from, TEST_SECRET)).toBe(id);
    const { results } = await dkimVerify(Buffer.from(msg!.raw), { resolver: fakeDns(records) });
    expect(results.map((r) => r.status.result)).toContain('pass');
    const parsed = await simpleParser(msg!.raw);
    expect(parsed.subject).toBe('Receipt ✓');
    expect(parsed.headers.get('x-sendtrail-id')).toBe(id);
    expect(String(parsed.headers.get('received'))).toBeTruthy();
    const email = await eventually(async () => {
      const e = (await t.app.inject({ url: `/v1/emails/${id}`, headers: t.auth })).json();
      return e.status === 'sent' ? e : undefined;
    });
    expect(parsed.messageId).toBe(email.message_id);
    expect(email.transport).toBe('relay');
  });
});
