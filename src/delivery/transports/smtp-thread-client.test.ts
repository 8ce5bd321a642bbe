// The SMTP sending thread against a real SMTP server on port 0: what arrives, signed or raw, and refusals.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { simpleParser } from 'mailparser';
import { startSmtpSink, type SmtpSink } from '../../../test/support/smtp-sink.ts';
import { startSmtpThread, type SmtpThread } from './smtp-thread-client.ts';
import { createSmtpTransport } from './smtp-transport.ts';
import type { OutgoingMessage, Transport } from './transport.ts';

const retry = { baseMs: 10, maxDelayMs: 10, lifetimeMs: 10 };

describe('SMTP sending thread', () => {
  let sink: SmtpSink;
  let thread: SmtpThread;
  let relay: Transport;

  beforeAll(async () => {
    sink = await startSmtpSink({
      advertiseDsn: true,
      onRecipient: (address) => (address.startsWith('unknown@') ? { code: 550, message: '5.1.1 user unknown' } : undefined),
    });
    thread = startSmtpThread();
    relay = createSmtpTransport({ name: 'relay', url: `smtp://127.0.0.1:${sink.port}`, poolSize: 2, isFinalHop: false, requestDsn: true, retry }, thread);
  });
  afterAll(async () => {
    await thread?.close();
    await sink?.close();
  });

  const message = (id: string, to: string, extra: Partial<OutgoingMessage['mail']> = {}): OutgoingMessage => ({
    emailId: id,
    recipient: to,
    envelope: { from: `b+${id}@bounces.example.com`, to: [to] },
    mail: { from: 'News <news@example.com>', to, subject: `Hello ${id}`, text: 'Hi there', headers: { 'X-Sendtrail-ID': id }, messageId: `<${id}@example.com>`, ...extra },
  });
  const arrived = async (id: string) => {
    await sink.waitFor(1);
    for (let i = 0; i < 100 && !sink.messages.some((m) => m.raw.includes(id)); i++) await new Promise((r) => setTimeout(r, 20));
    return sink.messages.find((m) => m.raw.includes(id))!;
  };

  it('delivers a message with its envelope, headers and DSN parameters, and reports the 250', async () => {
    const result = await relay.send(message('plain-1', 'ann@example.org'));
    expect(result).toMatchObject({ kind: 'accepted', response: expect.stringMatching(/^250/) });
    const got = await arrived('plain-1');
    expect(got.from).toBe('b+plain-1@bounces.example.com');
    expect(got.dsn).toMatchObject({ envid: 'plain-1', ret: 'HDRS' });
    const parsed = await simpleParser(got.raw);
    expect(parsed.subject).toBe('Hello plain-1');
    expect(parsed.messageId).toBe('<plain-1@example.com>');
    expect(parsed.headers.get('x-sendtrail-id')).toBe('plain-1');
  });

  it('turns a 550 at RCPT into a refusal with the reply, not an exception', async () => {
    const result = await relay.send(message('unknown-1', 'unknown@example.org'));
    expect(result).toMatchObject({ kind: 'refused', code: 550, phase: 'rcpt' });
  });

  it('signs with a parsed RSA key handed to the thread, and the signature verifies', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const dkim = { domainName: 'example.com', keySelector: 'st1', privateKey: privateKey as unknown as string };
    expect(await relay.send(message('signed-1', 'bob@example.org', { dkim }))).toMatchObject({ kind: 'accepted' });
    const got = await arrived('signed-1');
    const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    // Fake DNS: this machine cannot resolve real domains; the record is the one we would publish.
    const resolver = async (name: string) => {
      if (name === 'st1._domainkey.example.com') return [[`v=DKIM1; k=rsa; p=${p}`]];
      throw Object.assign(new Error(`ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    };
    const { results } = await dkimVerify(Buffer.from(got.raw), { resolver });
    expect(results.map((r) => r.status.result)).toEqual(['pass']);
  });

  it('sends a prebuilt raw message byte for byte (the Ed25519 path)', async () => {
    const raw = Buffer.from('From: news@example.com\r\nTo: cy@example.org\r\nSubject: raw-1\r\nMessage-ID: <raw-1@example.com>\r\n\r\nBody \u00e9\r\n');
    const result = await relay.send({ ...message('raw-1', 'cy@example.org'), mail: { raw } });
    expect(result).toMatchObject({ kind: 'accepted' });
    const got = await arrived('raw-1');
    expect(got.raw.replace(/\r?\n$/, '')).toBe(raw.toString('utf8').replace(/\r?\n$/, ''));
  });

  it('starts its thread at once, so the first email after a start does not wait for the thread to load', async () => {
    const fresh = startSmtpThread();
    try {
      // heap() answers undefined at once while no thread runs; a thread that is loading answers once loaded.
      let heap: Awaited<ReturnType<SmtpThread['heap']>>;
      for (let i = 0; i < 10 && !heap; i++) heap = await fresh.heap();
      expect(heap?.usedBytes).toBeGreaterThan(0);
    } finally {
      await fresh.close();
    }
  });

  it('reports the heap of the running thread', async () => {
    const heap = await thread.heap();
    expect(heap?.usedBytes).toBeGreaterThan(0);
    expect(heap!.totalBytes).toBeGreaterThanOrEqual(heap!.usedBytes);
  });
});
