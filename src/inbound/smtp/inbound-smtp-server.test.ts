// The inbound SMTP server against real clients on port 0, with the real classifier and ingest:
// it is no open relay, enforces its size limit, outlives garbage and slow clients, and keeps
// every message of the bounce corpus, mangled or not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { STORE_KINDS, createTestStore, type TestStore } from '../../../test/support/test-store.ts';
import { ensureDefaultProject } from '../../projects/default-project.ts';
import { classifyReturnedMessage } from '../../bounces/index.ts';
import { ingestMessage } from '../ingest/ingest-message.ts';
import { contentHash } from '../ingest/content-hash.ts';
import { countInboundMessages } from '../ingest/inbound.repository.ts';
import { startInboundSmtpServer, type InboundSmtpServer } from './inbound-smtp-server.ts';

const domains = { bounceDomain: 'bounces.sendtrail.test', replyDomain: 'replies.sendtrail.test' };
const CORPUS = join(import.meta.dirname, '../../../test/fixtures/bounces/corpus');
const MAX_BYTES = 256 * 1024;

/** One SMTP dialogue over a raw socket: sends each line after the previous reply, returns all replies. */
async function dialogue(port: number, lines: (string | Buffer)[]): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let replies = '';
    let next = 0;
    socket.on('data', (d) => {
      replies += d.toString('latin1');
      if (next < lines.length) socket.write(lines[next++]!);
      else socket.end();
    });
    socket.on('error', () => resolve(replies));
    socket.on('close', () => resolve(replies));
  });
}

// Deterministic damage (a seeded generator), so a failure is reproducible.
function* variants(raw: Buffer, seed: number): Generator<Buffer> {
  let s = seed;
  const rnd = (n: number) => ((s = (s * 1103515245 + 12345) & 0x7fffffff) % Math.max(1, n));
  yield raw.subarray(0, Math.floor(raw.length / 2));
  yield raw.subarray(0, rnd(raw.length));
  const flipped = Buffer.from(raw);
  for (let i = 0; i < 40; i++) flipped[rnd(flipped.length)] = rnd(256);
  yield flipped;
  // Every MIME boundary line removed: a multipart whose parts never start.
  yield Buffer.from(raw.toString('latin1').replace(/^--.*$/gm, ''), 'latin1');
}

describe.each(STORE_KINDS)('the inbound SMTP server on %s', (kind) => {
  let store: TestStore;
  let server: InboundSmtpServer;
  let client: ReturnType<typeof nodemailer.createTransport>;

  beforeAll(async () => {
    store = await createTestStore(kind);
    const { projectId } = await ensureDefaultProject(store.db);
    const deps = { db: store.db, classify: classifyReturnedMessage, secret: 's', domains, fallbackProjectId: projectId, softBounceSuppressCount: 3 };
    server = await startInboundSmtpServer({
      host: '127.0.0.1', port: 0, domains, maxMessageBytes: MAX_BYTES, socketTimeoutMs: 500,
      ingest: (envelope, raw) => ingestMessage(deps, envelope, raw),
    });
    client = nodemailer.createTransport({ host: '127.0.0.1', port: server.port, pool: true, maxConnections: 2, maxMessages: Infinity });
  });
  afterAll(async () => {
    client?.close();
    await server?.close();
    await store?.close();
  });

  const send = (to: string, raw: Buffer | string) => client.sendMail({ envelope: { from: '', to: [to] }, raw });

  it('refuses every recipient outside its bounce and reply domains: never an open relay', async () => {
    const replies = await dialogue(server.port, [
      'EHLO spammer.example\r\n', 'MAIL FROM:<a@spammer.example>\r\n', 'RCPT TO:<victim@example.org>\r\n',
      'RCPT TO:<b+x@bounces.sendtrail.test.example.org>\r\n', 'RCPT TO:<anyone@REPLIES.sendtrail.test>\r\n', 'QUIT\r\n',
    ]);
    const codes = replies.split('\r\n').filter((l) => /^\d{3} /.test(l)).map((l) => l.slice(0, 3));
    // greeting, EHLO, MAIL, two refusals, one acceptance, QUIT
    expect(codes).toEqual(['220', '250', '250', '550', '550', '250', '221']);
  });

  it('refuses a message over the size limit with 552 and takes the next one', async () => {
    const before = await countInboundMessages(store.db);
    const big = `Subject: big\r\n\r\n${'x'.repeat(76)}\r\n`.repeat(Math.ceil((MAX_BYTES * 1.5) / 80));
    await expect(send('postmaster@bounces.sendtrail.test', big)).rejects.toMatchObject({ responseCode: 552 });
    await send('postmaster@bounces.sendtrail.test', 'Subject: small after big\r\n\r\nhello\r\n');
    expect(await countInboundMessages(store.db)).toBe(before + 1);
  });

  it('outlives a client speaking garbage and one that says nothing', async () => {
    const garbage = await dialogue(server.port, [
      Buffer.from([0, 255, 13, 10, 7, 200, 13, 10]), `${'A'.repeat(100_000)}\r\n`, 'DATA\r\n', 'RCPT TO:<x>\r\n',
      ...Array.from({ length: 12 }, () => 'HELO?? \u0001\r\n'),
    ]);
    expect(garbage).toMatch(/^220 /);
    const silentStart = Date.now();
    // A client that connects and never speaks is dropped after the idle timeout (421), freeing its slot.
    await new Promise<void>((resolve) => connect(server.port, '127.0.0.1').on('close', () => resolve()).on('error', () => resolve()).resume());
    expect(Date.now() - silentStart).toBeLessThan(5_000);
    const fresh = nodemailer.createTransport({ host: '127.0.0.1', port: server.port });
    const info = await fresh.sendMail({ envelope: { from: '', to: ['postmaster@bounces.sendtrail.test'] }, raw: 'Subject: still alive\r\n\r\nyes\r\n' });
    fresh.close();
    expect(info.response).toMatch(/^250/);
  });

  it('keeps every corpus message and every truncated or mangled variant of it: nothing lost', async () => {
    const files: string[] = [];
    for (const dir of await readdir(CORPUS)) for (const f of await readdir(join(CORPUS, dir))) files.push(join(CORPUS, dir, f));
    const before = await countInboundMessages(store.db);
    const hashes = new Set<string>();
    let seed = 1;
    for (const file of files) {
      const raw = await readFile(file);
      const messages = [raw, ...variants(raw, seed++)].filter((m) => m.length > 0 && m.length <= MAX_BYTES);
      for (const m of messages) hashes.add(contentHash(m));
      const infos = await Promise.all(messages.map((m) => send('postmaster@bounces.sendtrail.test', m)));
      for (const info of infos) expect(info.response).toMatch(/^250/);
    }
    expect(files.length).toBeGreaterThan(50);
    expect(await countInboundMessages(store.db)).toBe(before + hashes.size);
  }, 120_000);
});
