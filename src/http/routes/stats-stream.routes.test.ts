// GET /v1/stats/stream over real HTTP, with the api and scheduler roles running: a campaign's stats
// (and the project's totals of today) pushed as the rollups change, at most once a second.
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.ts';
import { appendEvents, type EventType } from '../../events/index.ts';
import { createMetrics } from '../../metrics/metrics.ts';
import { ensureDefaultProject } from '../../projects/default-project.ts';
import { startRoles, type RunningRoles } from '../../roles/index.ts';
import { createTestStore, STORE_KINDS, type TestStore } from '../../../test/support/test-store.ts';
import { expandAllCampaigns } from '../../../test/support/expand-campaigns.ts';
import { openSse, type SseFrame, type SseStream } from '../../../test/support/sse-client.ts';

const data = (f: SseFrame) => JSON.parse(f.data!);

describe.each(STORE_KINDS)('the live stats stream on %s', (kind) => {
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
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', PROVIDER_MX_LOOKUP: 'false' });
    running = await startRoles(['scheduler', 'api'], { config, store, secret: 'stats-stream-secret', projectId, metrics: createMetrics(), workerId: 'stats-stream-test' });
    const auth = { authorization: `Bearer ${createdKey}` };
    const res = await fetch(`${running.url}/v1/campaigns`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Live', from: 'news@shop.example', subject: 'Hi', html: '<p>Hi</p>', recipients: [{ email: 'ann@gmail.com' }, { email: 'bob@yahoo.com' }] }),
    });
    const campaignId = ((await res.json()) as { id: string }).id;
    await expandAllCampaigns(store.db);
    const emails = (await store.db.selectFrom('emails').select('id').where('campaign_id', '=', campaignId).orderBy('to_address').execute()).map((r) => r.id);
    const open = async (query: string) => {
      const s = await openSse(`${running!.url}/v1/stats/stream${query}`, auth);
      streams.push(s);
      return s;
    };
    const append = (emailId: string, type: EventType, metadata: Record<string, unknown> = {}) => appendEvents(store!.db, [{ projectId, emailId, type, metadata }]);
    return { campaignId, emails: emails as [string, string], open, append, url: running.url!, auth };
  }

  it("pushes a campaign's stats at once, then as events change them", async () => {
    const t = await start();
    const stream = await t.open(`?campaign_id=${t.campaignId}`);
    expect(stream.status).toBe(200);
    const [first] = await stream.events(1, 5000);
    expect(first!.event).toBe('stats');
    expect(data(first!)).toMatchObject({ campaign_id: t.campaignId, counts: { queued: 2, total: 2 }, engagement: { opens: { unique: 0 } } });

    await t.append(t.emails[0], 'sent');
    await t.append(t.emails[0], 'delivered');
    await t.append(t.emails[0], 'open', { counted: true, ua: 'Thunderbird/128.0', ip: '203.0.113.9', method: 'GET' });
    // Within 2 s of the events (the scheduler folds them, the feed reads at most once a second); one
    // or two frames, depending on where the events fell in the feed's beat.
    const deadline = Date.now() + 5000;
    let latest = data(first!);
    while (latest.engagement.opens.unique !== 1 && Date.now() < deadline) latest = data((await stream.events(1, 5000))[0]!);
    expect(latest.engagement).toMatchObject({ opens: { unique: 1, total: 1 } });
    expect(latest.providers.find((p: { provider: string }) => p.provider === 'gmail')).toMatchObject({ emails: { accepted: 1, sent: 1, delivered: 1 }, people: { openers: 1 } });
  });

  it('pushes at most once a second however often the stats change, and nothing while they stand still', async () => {
    const t = await start();
    const stream = await t.open(`?campaign_id=${t.campaignId}`);
    await stream.events(1, 5000);
    const started = Date.now();
    for (let i = 0; i < 10; i++) {
      await t.append(t.emails[i % 2]!, 'delivery_delayed', { reply_code: 421 });
      await new Promise((r) => setTimeout(r, 100));
    }
    const deferrals = (f: SseFrame) => (data(f).providers as Array<{ events: { deferrals: number } }>).reduce((n, p) => n + p.events.deferrals, 0);
    let frames = 0;
    for (let last = 0; last < 10; frames++) last = deferrals((await stream.events(1, 10_000))[0]!);
    const seconds = (Date.now() - started) / 1000;
    // Ten changes: a push a second at most, counted from the first frame.
    expect(frames).toBeLessThanOrEqual(Math.ceil(seconds));
    expect(frames).toBeLessThan(10);
    expect(await stream.eventsWithin(1500)).toHaveLength(0);
  });

  it("without a campaign, pushes the project's totals of today", async () => {
    const t = await start();
    const stream = await t.open('?tz=Europe/Paris');
    const [first] = await stream.events(1, 5000);
    expect(data(first!)).toMatchObject({ period: { granularity: 'day', tz: 'Europe/Paris' }, totals: { emails: { sent: 0 } } });
    // The campaign's queued events may still be on their way into the rollups.
    let latest = data(first!);
    while (latest.totals.emails.accepted !== 2) latest = data((await stream.events(1, 5000))[0]!);
    await t.append(t.emails[1], 'sent');
    const deadline = Date.now() + 5000;
    while (latest.totals.emails.sent !== 1 && Date.now() < deadline) latest = data((await stream.events(1, 5000))[0]!);
    expect(latest.totals.emails).toMatchObject({ accepted: 2, sent: 1 });
  });

  it('answers a bad request with an error, not a stream', async () => {
    const t = await start();
    const get = (q: string) => fetch(`${t.url}/v1/stats/stream${q}`, { headers: t.auth });
    const missing = await get('?campaign_id=00000000-0000-7000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await get('?campaign_id=nope')).status).toBe(400);
    const badZone = await get('?tz=Mars/Olympus');
    expect(badZone.status).toBe(400);
    expect(((await badZone.json()) as { error: { message: string } }).error.message).toMatch(/IANA time zone/);
    expect((await fetch(`${t.url}/v1/stats/stream`)).status).toBe(401);
  });
});
