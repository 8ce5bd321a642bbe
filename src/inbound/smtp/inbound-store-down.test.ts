// When the store cannot take a message, the inbound server says 451 (try later) instead of 250, so
// the sending MTA keeps the message and retries: an acknowledged message is a stored message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { createTestStore, type TestStore } from '../../../test/support/test-store.ts';
import { ensureDefaultProject } from '../../projects/default-project.ts';
import { classifyReturnedMessage } from '../../bounces/index.ts';
import { ingestMessage } from '../ingest/ingest-message.ts';
import { startInboundSmtpServer, type InboundSmtpServer } from './inbound-smtp-server.ts';

const domains = { bounceDomain: 'bounces.sendtrail.test', replyDomain: 'replies.sendtrail.test' };

describe('the inbound server with its database gone', () => {
  let store: TestStore;
  let server: InboundSmtpServer;
  beforeAll(async () => {
    store = await createTestStore('postgres');
    const { projectId } = await ensureDefaultProject(store.db);
    const deps = { db: store.db, classify: classifyReturnedMessage, secret: 's', domains, fallbackProjectId: projectId, softBounceSuppressCount: 3 };
    server = await startInboundSmtpServer({ host: '127.0.0.1', port: 0, domains, maxMessageBytes: 1 << 20, ingest: (e, raw) => ingestMessage(deps, e, raw) });
  });
  afterAll(async () => server?.close());

  it('answers 451 to a message it could not store, and keeps serving', async () => {
    await store.close(); // drops the test database: every query now fails
    const client = nodemailer.createTransport({ host: '127.0.0.1', port: server.port });
    const send = () => client.sendMail({ envelope: { from: '', to: ['postmaster@bounces.sendtrail.test'] }, raw: 'Subject: during outage\r\n\r\nx\r\n' });
    await expect(send()).rejects.toMatchObject({ responseCode: 451 });
    await expect(send()).rejects.toMatchObject({ responseCode: 451 });
    client.close();
  });
});
