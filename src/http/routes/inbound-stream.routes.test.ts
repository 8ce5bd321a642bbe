// GET /v1/inbound/stream over real HTTP, with the api role running: each message the inbound
// ingest stores is told at once, the unmatched ones (which record no event) included, and a
// message received twice is told once. (The SMTP path to it: test/dashboard-shell.browser.test.ts.)
import { afterEach, describe, expect, it } from 'vitest';
import { classifyReturnedMessage } from '../../bounces/index.ts';
import { loadConfig } from '../../config/load-config.ts';
import { ingestMessage, type IngestDeps } from '../../inbound/index.ts';
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
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', PROVIDER_MX_LOOKUP: 'false' });
    running = await startRoles(['api'], { config, store, secret: 'inbound-stream-secret', projectId, metrics: createMetrics(), workerId: 'inbound-stream-test' });
    stream = await openSse(`${running.url}/v1/inbound/stream`, { authorization: `Bearer ${createdKey}` });
    expect(stream.status).toBe(200);
    expect(await stream.eventsWithin(300)).toEqual([]);

    const ingest: IngestDeps = {
      db: store.db,
      classify: classifyReturnedMessage,
      secret: 'inbound-stream-secret',
      domains: { bounceDomain: 'bounces.example.test', replyDomain: 'replies.example.test' },
      fallbackProjectId: projectId,
      softBounceSuppressCount: 0,
    };
    const envelope = { mailFrom: 'someone@elsewhere.example', rcptTo: ['postmaster@bounces.example.test'] };
    const raw = Buffer.from('From: someone@elsewhere.example\r\nTo: postmaster@bounces.example.test\r\nSubject: Hello there\r\nMessage-ID: <hello-1@elsewhere.example>\r\n\r\nA message for a person.\r\n');
    const stored = await ingestMessage(ingest, envelope, raw);
    const [frame] = await stream.events(1, 5000);
    expect(frame!.event).toBe('inbound');
    expect(JSON.parse(frame!.data!)).toEqual({ id: stored.inboundId, kind: stored.kind, matched: false });
    const listed = (await (await fetch(`${running.url}/v1/inbound/${stored.inboundId}`, { headers: { authorization: `Bearer ${createdKey}` } })).json()) as { subject: string };
    expect(listed.subject).toBe('Hello there');

    // The same message again is kept once, and told of once.
    expect((await ingestMessage(ingest, envelope, raw)).duplicate).toBe(true);
    expect(await stream.eventsWithin(1500)).toEqual([]);
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
