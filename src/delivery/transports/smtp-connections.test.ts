// The SMTP session pool against real smtp-server instances on 127.0.0.1: reuse, limits, refusals,
// dropped sessions, unreachable servers, AUTH, STARTTLS, close() and DSN parameters.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerAddress, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { startTcpProxy, type TcpProxy } from '../../../test/support/tcp-proxy.ts';
import { openSmtpConnections, type SmtpConnections } from './smtp-connections.ts';
import { relayConnectionOptions } from './smtp-pool.ts';

type Received = { to: string[]; raw: string; secure: boolean; session: string; envelopeDsn: unknown; rcptDsn: unknown[] };
type Hooks = {
  rcpt?(address: SMTPServerAddress): { code: number; message: string } | undefined;
  /** Called when a message has been read, before it is answered (after `replyDelayMs`). */
  onMessage?(session: SMTPServerSession): void;
  replyDelayMs?: number;
  /** Ends the session (server side) right after answering each message. */
  dropAfterMessage?: boolean;
};
type TestServer = { port: number; connects: number; open: number; maxOpen: number; received: Received[]; server: SMTPServer };

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(options: SMTPServerOptions = {}, hooks: Hooks = {}): Promise<TestServer> {
  const t: TestServer = { port: 0, connects: 0, open: 0, maxOpen: 0, received: [], server: undefined as unknown as SMTPServer };
  t.server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    closeTimeout: 100,
    ...options,
    onConnect(_session, callback) {
      t.connects++;
      t.maxOpen = Math.max(t.maxOpen, ++t.open);
      callback();
    },
    onClose() {
      t.open--;
    },
    onRcptTo(address, _session, callback) {
      const reply = hooks.rcpt?.(address);
      callback(reply ? Object.assign(new Error(reply.message), { responseCode: reply.code }) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        t.received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
          session: session.id,
          envelopeDsn: session.envelope.dsn,
          rcptDsn: session.envelope.rcptTo.map((r) => r.dsn),
        });
        hooks.onMessage?.(session);
        setTimeout(() => {
          callback();
          if (hooks.dropAfterMessage) {
            for (const c of t.server.connections) if (c.session === session) setImmediate(() => c.close());
          }
        }, hooks.replyDelayMs ?? 0);
      });
    },
  });
  t.server.on('error', () => {});
  await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
  t.port = (t.server.server.address() as AddressInfo).port;
  cleanups.push(() => new Promise<void>((resolve) => t.server.close(() => resolve())));
  return t;
}

function pool(port: number, extra: Partial<Parameters<typeof openSmtpConnections>[0]> = {}): SmtpConnections {
  const p = openSmtpConnections({ host: '127.0.0.1', port, poolSize: 1, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 5_000, ...extra });
  cleanups.push(() => p.close());
  return p;
}

const raw = (subject: string, body = 'body') => Buffer.from(`Subject: ${subject}\r\n\r\n${body}\r\n`);
const env = (to = 'rcpt@example.test') => ({ from: 'sender@example.test', to: [to] });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const failure = (promise: Promise<unknown>) => promise.then(() => expect.fail('expected the send to reject'), (err: { code?: string; responseCode?: number; response?: string; message: string }) => err);
const until = async (check: () => boolean, ms = 2_000) => {
  for (const start = Date.now(); !check(); await sleep(5)) if (Date.now() - start > ms) throw new Error('condition not met in time');
};

describe('openSmtpConnections', () => {
  it('delivers 40 concurrent messages each exactly once over at most poolSize sessions, reusing them', async () => {
    const server = await startServer();
    const p = pool(server.port, { poolSize: 3 });
    const infos = await Promise.all(Array.from({ length: 40 }, (_, i) => p.send(env(`r${i}@example.test`), raw(`m${i}`))));
    expect(infos.every((info) => info.accepted.length === 1)).toBe(true);
    const subjects = server.received.map((m) => /Subject: (m\d+)/.exec(m.raw)?.[1]).sort();
    expect(subjects).toEqual(Array.from({ length: 40 }, (_, i) => `m${i}`).sort());
    expect(server.maxOpen).toBe(3);
    expect(server.connects).toBeLessThanOrEqual(3);
  });

  it('rejects a message refused at RCPT TO with the 550 reply and sends the next one over the same session', async () => {
    const server = await startServer({}, { rcpt: (a) => (a.address === 'gone@example.test' ? { code: 550, message: 'No such user here' } : undefined) });
    const p = pool(server.port, { poolSize: 3 });
    const err = await failure(p.send(env('gone@example.test'), raw('refused')));
    expect(err.responseCode).toBe(550);
    expect(err.response).toContain('No such user here');
    await p.send(env(), raw('after'));
    expect(server.received.map((m) => m.raw)).toEqual([raw('after').toString()]);
    expect(server.connects).toBe(1);
  });

  describe('when the server ends sessions', () => {
    it('sends each message on a new session when the server ends the session after every message', async () => {
      const server = await startServer({}, { dropAfterMessage: true });
      const p = pool(server.port);
      for (let i = 0; i < 3; i++) {
        await p.send(env(), raw(`m${i}`));
        await until(() => server.open === 0);
        await sleep(20); // the client has seen the close as well
      }
      expect(server.received).toHaveLength(3);
      expect(new Set(server.received.map((m) => m.session)).size).toBe(3);
    });

    // The session looks idle to the pool when the send starts; the server has already closed it.
    // The short message is shorter than its pipelined MAIL FROM/RCPT TO/DATA lines (68 bytes), which
    // the pool counts as message bytes written, so it takes the failed send as possibly delivered.
    for (const [size, body] of [['a message shorter than its envelope commands', 'body'], ['a 4 kB message', 'x'.repeat(4096)]] as const) {
      it(`retries ${size} on a new session when the idle session was cut just before the send`, async () => {
        const server = await startServer();
        const proxy: TcpProxy = await startTcpProxy('127.0.0.1', server.port);
        cleanups.push(() => proxy.close());
        const p = pool(proxy.port);
        await p.send(env(), raw('first'));
        proxy.cut();
        proxy.restore();
        await p.send(env(), raw('second', body));
        expect(server.received.map((m) => /Subject: (\w+)/.exec(m.raw)?.[1])).toEqual(['first', 'second']);
        expect(server.connects).toBe(2);
      });
    }
  });

  describe('when the server cannot be reached', () => {
    it('rejects every waiting send promptly with a connection error when the port is closed', async () => {
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const port = (probe.address() as AddressInfo).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      const p = pool(port, { poolSize: 2 });
      const started = Date.now();
      const errors = await Promise.all(Array.from({ length: 5 }, (_, i) => failure(p.send(env(), raw(`m${i}`)))));
      expect(Date.now() - started).toBeLessThan(1_000);
      for (const err of errors) expect(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT'].includes(err.code!) || /ECONNREFUSED/.test(err.message)).toBe(true);
    });

    it('stops connecting once every waiting send has failed against a server that hangs up at once', async () => {
      let attempts = 0;
      const hangUp: Server = createServer((socket) => {
        attempts++;
        socket.on('error', () => {});
        socket.destroy();
      });
      await new Promise<void>((resolve) => hangUp.listen(0, '127.0.0.1', resolve));
      cleanups.push(() => new Promise<void>((resolve) => hangUp.close(() => resolve())));
      const p = pool((hangUp.address() as AddressInfo).port, { poolSize: 3 });
      const errors = await Promise.all(Array.from({ length: 5 }, (_, i) => failure(p.send(env(), raw(`m${i}`)))));
      expect(errors.map((e) => e.code)).toEqual(Array(5).fill('ECONNECTION'));
      const afterFailures = attempts;
      expect(afterFailures).toBeGreaterThan(0);
      expect(afterFailures).toBeLessThanOrEqual(5);
      await sleep(300);
      expect(attempts).toBe(afterFailures);
    });
  });

  describe('AUTH', () => {
    const authServer = () =>
      startServer({
        authMethods: ['PLAIN', 'LOGIN'],
        authOptional: false,
        allowInsecureAuth: true,
        disabledCommands: ['STARTTLS'],
        onAuth(auth, _session, callback) {
          if (auth.username === 'relay-user' && auth.password === 's3cret:pw') return callback(null, { user: auth.username });
          callback(Object.assign(new Error('Invalid credentials'), { responseCode: 535 }));
        },
      });

    it('delivers with the right credentials', async () => {
      const server = await authServer();
      const p = pool(server.port, { auth: { user: 'relay-user', pass: 's3cret:pw' } });
      await p.send(env(), raw('authed'));
      expect(server.received).toHaveLength(1);
    });

    it('delivers with credentials taken from an smtp:// URL by relayConnectionOptions', async () => {
      const server = await authServer();
      const p = pool(server.port, { ...relayConnectionOptions(`smtp://relay-user:s3cret%3Apw@127.0.0.1:${server.port}`), poolSize: 1 });
      await p.send(env(), raw('authed'));
      expect(server.received).toHaveLength(1);
    });

    it('rejects with EAUTH and delivers nothing when the credentials are wrong', async () => {
      const server = await authServer();
      const p = pool(server.port, { auth: { user: 'relay-user', pass: 'wrong' } });
      const err = await failure(p.send(env(), raw('denied')));
      expect(err.code).toBe('EAUTH');
      expect(server.received).toHaveLength(0);
    });
  });

  describe('TLS', () => {
    let dir: string;
    let tls: { key: Buffer; cert: Buffer };
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'sendtrail-smtp-tls-'));
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=relay.sendtrail.test'], { stdio: 'ignore' });
      tls = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('upgrades the session to TLS before DATA when the server offers STARTTLS with a self-signed certificate', async () => {
      const server = await startServer({ ...tls, disabledCommands: ['AUTH'] });
      const p = pool(server.port, { tls: { rejectUnauthorized: false } });
      await p.send(env(), raw('secret'));
      expect(server.received.map((m) => m.secure)).toEqual([true]);
    });

    it('upgrades to TLS with the options relayConnectionOptions derives from a plain smtp:// URL', async () => {
      const server = await startServer({ ...tls, disabledCommands: ['AUTH'] });
      const p = pool(server.port, { ...relayConnectionOptions(`smtp://127.0.0.1:${server.port}`), poolSize: 1 });
      await p.send(env(), raw('secret'));
      expect(server.received.map((m) => m.secure)).toEqual([true]);
    });

    it('speaks TLS from the first byte to an smtps:// relay (implicit TLS, port 465 style) and reuses the session', async () => {
      const server = await startServer({ ...tls, secure: true, disabledCommands: ['AUTH'] });
      const p = pool(server.port, { ...relayConnectionOptions(`smtps://127.0.0.1:${server.port}`), poolSize: 1 });
      await p.send(env(), raw('first'));
      await p.send(env(), raw('second'));
      expect(server.received.map((m) => m.secure)).toEqual([true, true]);
      expect(server.connects).toBe(1);
    });

    it('refuses the self-signed certificate when the URL asks for tls_verify=true', async () => {
      const server = await startServer({ ...tls, disabledCommands: ['AUTH'] });
      const p = pool(server.port, { ...relayConnectionOptions(`smtp://127.0.0.1:${server.port}?tls_verify=true`), poolSize: 1 });
      await failure(p.send(env(), raw('secret')));
      expect(server.received).toHaveLength(0);
    });
  });

  it('close() rejects the waiting sends with ECONNECTION, lets the busy one finish and refuses later sends', async () => {
    let inData!: () => void;
    const dataStarted = new Promise<void>((resolve) => (inData = resolve));
    const server = await startServer({}, { replyDelayMs: 300, onMessage: () => inData() });
    const p = pool(server.port, { poolSize: 1 });
    const busy = p.send(env(), raw('busy'));
    const waiting = [failure(p.send(env(), raw('w1'))), failure(p.send(env(), raw('w2')))];
    await dataStarted;
    p.close();
    expect((await Promise.all(waiting)).map((e) => e.code)).toEqual(['ECONNECTION', 'ECONNECTION']);
    await expect(busy).resolves.toMatchObject({ accepted: ['rcpt@example.test'] });
    expect((await failure(p.send(env(), raw('late')))).code).toBe('ECONNECTION');
    await until(() => server.open === 0);
    expect(server.received.map((m) => /Subject: (\w+)/.exec(m.raw)?.[1])).toEqual(['busy']);
    expect(server.connects).toBe(1);
  });

  it('passes DSN parameters (ENVID, RET, NOTIFY, ORCPT) to a server that advertises DSN', async () => {
    const server = await startServer({ hideDSN: false });
    const p = pool(server.port);
    const envelope = { ...env(), dsn: { id: 'env-42', return: 'headers', notify: ['success', 'failure', 'delay'], recipient: 'orig@example.test' } };
    await p.send(envelope, raw('dsn'));
    expect(server.received[0]!.envelopeDsn).toMatchObject({ envid: 'env-42', ret: 'HDRS' });
    expect(server.received[0]!.rcptDsn).toEqual([
      expect.objectContaining({ notify: ['SUCCESS', 'FAILURE', 'DELAY'], orcpt: expect.stringContaining('orig@example.test') }),
    ]);
  });
});
