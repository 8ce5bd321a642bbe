// GET /v1/inbound/stream over real HTTP, with the api and inbound roles running: each message the
// inbound server stores is told at once, the unmatched ones (which record no event) included, and
// a message received twice is told once.
import { afterEach, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { loadConfig } from '../../config/load-config.ts';
import { createMetrics } from '../../metrics/metrics.ts';
import { ensureDefaultProject } from '../../projects/default-project.ts';
import { startRoles, type RunningRoles } from '../../roles/index.ts';
import { createTestStore, STORE_KINDS, type TestStore } from '../../../test/support/test-store.ts';
import { openSse, type SseStream } from '../../../test/support/sse-client.ts';

describe.each(STORE_KINDS)('the live inbound stream on %s', (kind) => {
  let store: TestStore | undefined;
  let running: RunningRoles | undefined;
  let stream: SseStream | undefined;
  afterEach(async () => {
    stream?.close();
    await running?.stop();
    await store?.close();
    running = store = stream = undefined;
  });

  it('tells of each message stored, matched or not, once', async () => {
    store = await createTestStore(kind);
    const { projectId, createdKey } = await ensureDefaultProject(store.db);
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', INBOUND_SMTP_PORT: '0', BOUNCE_DOMAIN: 'bounces.example.test', LOG_LEVEL: 'silent', PROVIDER_MX_LOOKUP: 'false' });
    running = await startRoles(['api', 'inbound'], { config, store, secret: 'inbound-stream-secret', projectId, metrics: createMetrics(), workerId: 'inbound-stream-test' });
    stream = await openSse(`${running.url}/v1/inbound/stream`, { authorization: `Bearer ${createdKey}` });
    expect(stream.status).toBe(200);
    expect(await stream.eventsWithin(300)).toEqual([]);

    const smtp = nodemailer.createTransport({ url: running.inboundSmtpUrl! });
    const raw = 'From: someone@elsewhere.example\r\nTo: postmaster@bounces.example.test\r\nSubject: Hello there\r\nMessage-ID: <hello-1@elsewhere.example>\r\n\r\nA message for a person.\r\n';
    await smtp.sendMail({ envelope: { from: 'someone@elsewhere.example', to: ['postmaster@bounces.example.test'] }, raw });
    const [frame] = await stream.events(1, 5000);
    expect(frame!.event).toBe('inbound');
    const told = JSON.parse(frame!.data!) as { id: string; kind: string; matched: boolean };
    expect(told.matched).toBe(false);
    const listed = (await (await fetch(`${running.url}/v1/inbound/${told.id}`, { headers: { authorization: `Bearer ${createdKey}` } })).json()) as { subject: string };
    expect(listed.subject).toBe('Hello there');

    // The same message again is kept once, and told of once.
    await smtp.sendMail({ envelope: { from: 'someone@elsewhere.example', to: ['postmaster@bounces.example.test'] }, raw });
    expect(await stream.eventsWithin(1000)).toEqual([]);
    smtp.close();
  });

  it('refuses a request without credentials', async () => {
    store = await createTestStore(kind);
    const { projectId } = await ensureDefaultProject(store.db);
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', PROVIDER_MX_LOOKUP: 'false' });
    running = await startRoles(['api'], { config, store, secret: 'inbound-stream-secret', projectId, metrics: createMetrics(), workerId: 'inbound-stream-test' });
    const res = await fetch(`${running.url}/v1/inbound/stream`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });
});
