// GET /v1/events/stream over real HTTP, as a browser's EventSource or a script follows it.
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.ts';
import { appendEvents, endOfLog } from '../../events/index.ts';
import { createMetrics } from '../../metrics/metrics.ts';
import { createApiKey } from '../../projects/api-keys.ts';
import { ensureDefaultProject } from '../../projects/default-project.ts';
import { startRoles, type RunningRoles } from '../../roles/index.ts';
import { submitEmails } from '../../sending/index.ts';
import { newId } from '../../shared/ids.ts';
import { createTestStore, STORE_KINDS, type TestStore } from '../../../test/support/test-store.ts';
import { openSse, type SseFrame, type SseStream } from '../../../test/support/sse-client.ts';

const data = (f: SseFrame) => JSON.parse(f.data!) as { id: number; email_id: string; campaign_id: string | null; event_type: string; metadata: Record<string, unknown>; created_at: string };

describe.each(STORE_KINDS)('the live event stream on %s', (kind) => {
  let store: TestStore | undefined;
  let running: RunningRoles | undefined;
  const streams: SseStream[] = [];
  afterEach(async () => {
    for (const s of streams.splice(0)) s.close();
    await running?.stop();
    await store?.close();
    running = store = undefined;
  });

  async function start() {
    store = await createTestStore(kind);
    const { projectId, createdKey } = await ensureDefaultProject(store.db);
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    running = await startRoles(['api'], { config, store, secret: 'stream-test-secret', projectId, metrics: createMetrics(), workerId: 'stream-test' });
    const emails = (await submitEmails(store.db, projectId, { from: 'news@example.com', to: ['ann@example.com', 'bob@example.com'], subject: 'Hi', text: 'hi' })).data.map((d) => d.id);
    // The stream starts at the end of what every reader can see, which on a shared PostgreSQL server
    // waits for transactions still open anywhere on it: start the streams once the queued events are in.
    const queuedUpTo = await store.db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
    while ((await endOfLog(store.db)).id < Number(queuedUpTo.id)) await new Promise((r) => setTimeout(r, 20));
    const open = async (query = '', headers: Record<string, string> = {}) => {
      const s = await openSse(`${running!.url}/v1/events/stream${query}`, { authorization: `Bearer ${createdKey}`, ...headers });
      streams.push(s);
      return s;
    };
    const append = (emailId: string, type: 'sent' | 'delivered' | 'open', metadata: Record<string, unknown> = {}) =>
      appendEvents(store!.db, [{ projectId, emailId, type, metadata }]);
    return { projectId, key: createdKey!, emails: emails as [string, string], open, append };
  }

  it('sends each new event as it is written: id, event type and the event as data, in order', async () => {
    const t = await start();
    const stream = await t.open();
    expect(stream.status).toBe(200);
    await t.append(t.emails[0], 'sent', { response: '250 ok' });
    await t.append(t.emails[0], 'delivered');
    const [sent, delivered] = await stream.events(2);
    expect(sent!.event).toBe('sent');
    expect(data(sent!)).toMatchObject({ email_id: t.emails[0], campaign_id: null, event_type: 'sent', metadata: { response: '250 ok' } });
    expect(Number(sent!.id)).toBe(data(sent!).id);
    expect(delivered!.event).toBe('delivered');
    expect(Number(delivered!.id)).toBeGreaterThan(Number(sent!.id));
  });

  it('a client that reconnects with Last-Event-ID gets exactly the events it missed, then the live ones', async () => {
    const t = await start();
    const first = await t.open();
    await t.append(t.emails[0], 'sent');
    const [seen] = await first.events(1);
    first.close();
    // Written while nobody listens.
    await t.append(t.emails[0], 'delivered');
    await t.append(t.emails[1], 'sent');
    const again = await t.open('', { 'last-event-id': seen!.id! });
    const missed = await again.events(2);
    expect(missed.map((f) => [f.event, data(f).email_id])).toEqual([['delivered', t.emails[0]], ['sent', t.emails[1]]]);
    await t.append(t.emails[1], 'delivered');
    const live = await again.events(1);
    expect(live.map((f) => [f.event, data(f).email_id])).toEqual([['delivered', t.emails[1]]]);
    expect(await again.eventsWithin(300)).toEqual([]);
    // ?after= does the same for clients that cannot set the header.
    const byQuery = await t.open(`?after=${seen!.id}`);
    expect((await byQuery.events(3)).map((f) => f.event)).toEqual(['delivered', 'sent', 'delivered']);
  });

  it('filters by email and event type, and never shows another project\'s events', async () => {
    const t = await start();
    const onlyAnnOpens = await t.open(`?email_id=${t.emails[0]}&event_type=open,delivered`);
    const all = await t.open();
    const otherProject = newId();
    await store!.db.insertInto('projects').values({ id: otherProject, name: 'other' }).execute();
    const other = await createApiKey(store!.db, otherProject, 'other');
    const theirs = await openSse(`${running!.url}/v1/events/stream`, { authorization: `Bearer ${other.key}` });
    streams.push(theirs);
    await t.append(t.emails[0], 'sent');
    await t.append(t.emails[1], 'open');
    await t.append(t.emails[0], 'open');
    expect((await all.events(3)).map((f) => f.event)).toEqual(['sent', 'open', 'open']);
    expect((await onlyAnnOpens.events(1)).map((f) => [f.event, data(f).email_id])).toEqual([['open', t.emails[0]]]);
    expect(await onlyAnnOpens.eventsWithin(200)).toEqual([]);
    expect(await theirs.eventsWithin(200)).toEqual([]);
  });

  it('refuses an unknown event type and a request without a key, with the API\'s error shape', async () => {
    const t = await start();
    const bad = await fetch(`${running!.url}/v1/events/stream?event_type=opened`, { headers: { authorization: `Bearer ${t.key}` } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'validation_error', message: expect.stringContaining('opened') } });
    expect((await fetch(`${running!.url}/v1/events/stream`)).status).toBe(401);
  });
});

describe('the live event stream with concurrent writers (PostgreSQL)', () => {
  let store: TestStore | undefined;
  let running: RunningRoles | undefined;
  let stream: SseStream | undefined;
  afterEach(async () => {
    stream?.close();
    await running?.stop();
    await store?.close();
  });

  it('delivers an event whose transaction commits after a later one, once, in the order they became visible', async () => {
    store = await createTestStore('postgres');
    const { projectId, createdKey } = await ensureDefaultProject(store.db);
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    running = await startRoles(['api'], { config, store, secret: 's', projectId, metrics: createMetrics(), workerId: 'w' });
    const [slowEmail, fastEmail] = (await submitEmails(store.db, projectId, { from: 'a@example.com', to: ['slow@example.com', 'fast@example.com'], subject: 's', text: 't' })).data.map((d) => d.id) as [string, string];
    const queuedUpTo = await store.db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
    while ((await endOfLog(store.db)).id < Number(queuedUpTo.id)) await new Promise((r) => setTimeout(r, 20));
    stream = await openSse(`${running.url}/v1/events/stream`, { authorization: `Bearer ${createdKey}` });

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let written = false;
    // The slow transaction takes its event id first and commits last.
    const slow = store.db.transaction().execute(async (trx) => {
      await appendEvents(trx, [{ projectId, emailId: slowEmail, type: 'sent' }]);
      written = true;
      await held;
    });
    while (!written) await new Promise((r) => setTimeout(r, 10));
    await appendEvents(store.db, [{ projectId, emailId: fastEmail, type: 'sent' }]);
    // Not yet: the fast event waits behind the open transaction, which could still add to the log before it.
    expect(await stream.eventsWithin(700)).toEqual([]);
    release();
    await slow;
    const frames = await stream.events(2);
    expect(frames.map((f) => data(f).email_id)).toEqual([slowEmail, fastEmail]);
    expect(await stream.eventsWithin(1200)).toEqual([]);
  });
});
