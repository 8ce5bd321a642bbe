// Optional STARTTLS (RFC 3207) on the inbound server: offered with a key and certificate, and a
// client that requires TLS delivers over it; without them it is not offered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createTestStore, type TestStore } from '../../../test/support/test-store.ts';
import { ensureDefaultProject } from '../../projects/default-project.ts';
import { classifyReturnedMessage } from '../../bounces/index.ts';
import { ingestMessage } from '../ingest/ingest-message.ts';
import { listInboundMessages } from '../ingest/inbound.repository.ts';
import { startInboundSmtpServer, type InboundSmtpServer } from './inbound-smtp-server.ts';

const domains = { bounceDomain: 'bounces.sendtrail.test', replyDomain: 'replies.sendtrail.test' };

describe('STARTTLS on the inbound server', () => {
  let store: TestStore;
  let projectId: string;
  let dir: string;
  const servers: InboundSmtpServer[] = [];
  const start = async (tls?: { key: Buffer; cert: Buffer }) => {
    const deps = { db: store.db, classify: classifyReturnedMessage, secret: 's', domains, fallbackProjectId: projectId, softBounceSuppressCount: 3 };
    const server = await startInboundSmtpServer({ host: '127.0.0.1', port: 0, domains, maxMessageBytes: 1 << 20, tls, ingest: (e, raw) => ingestMessage(deps, e, raw) });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    store = await createTestStore('pglite');
    projectId = (await ensureDefaultProject(store.db)).projectId;
    dir = mkdtempSync(join(tmpdir(), 'sendtrail-tls-'));
    // A self-signed certificate made here: no network, no fixture key in the repository.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=bounces.sendtrail.test'], { stdio: 'ignore' });
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a client that requires TLS delivers over STARTTLS when a key and certificate are set', async () => {
    const server = await start({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) });
    const client = nodemailer.createTransport({ host: '127.0.0.1', port: server.port, requireTLS: true, tls: { rejectUnauthorized: false } });
    const info = await client.sendMail({ envelope: { from: '', to: ['postmaster@bounces.sendtrail.test'] }, raw: 'Subject: over tls\r\n\r\nsecret\r\n' });
    expect(info.response).toMatch(/^250/);
    expect((await listInboundMessages(store.db, projectId, { limit: 10 })).rows.map((m) => m.subject)).toContain('over tls');
  });

  it('does not offer STARTTLS without them, so a client requiring TLS gives up', async () => {
    const server = await start();
    const client = nodemailer.createTransport({ host: '127.0.0.1', port: server.port, requireTLS: true });
    await expect(client.sendMail({ envelope: { from: '', to: ['postmaster@bounces.sendtrail.test'] }, raw: 'Subject: plain\r\n\r\nx\r\n' })).rejects.toThrow();
  });
});
