// The default rules that alerts.flow.test.ts does not set off, set off end to end on both stores by
// mail a real worker sends to the mailbox simulator, under the DEFAULT thresholds and minimum
// volumes: a project's hard-bounce rate over its last sends, a mailbox provider's deferrals against
// its baseline, and a campaign's delivery rate. Each scenario has a project of its own, since the
// rules read a project's rollups and one scenario's sends would change what another's rule sees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../test/support/test-app.ts';
import { STORE_KINDS } from '../../test/support/test-store.ts';
import { eventually, startTestWorker } from '../../test/support/test-worker.ts';
import { rollUpNow } from '../../test/support/roll-up.ts';
import { insertHourly } from '../../test/support/rollup-rows.ts';
import { testWebhookSettings, tableResolver } from '../../test/support/webhook-settings.ts';
import { createEndpoint } from '../webhooks/index.ts';
import { createApiKey } from '../projects/api-keys.ts';
import { newId } from '../shared/ids.ts';
import { evaluateProject } from './index.ts';

const settings = testWebhookSettings({ resolver: tableResolver({ 'hooks.example.com': ['127.0.0.1'] }), allowedNetworks: ['127.0.0.1/32'] });
const HOUR_MS = 3_600_000;

describe.each(STORE_KINDS)('default alert rules set off by the simulator on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { webhooks: settings });
  });
  afterAll(async () => t?.close());
  const db = () => t.store.db;

  /** A project with its own API key and a webhook endpoint for the alert events. */
  async function newProject(name: string) {
    const id = newId();
    await db().insertInto('projects').values({ id, name }).execute();
    const { key } = await createApiKey(db(), id, 'alerts');
    const headers = { authorization: `Bearer ${key}` };
    const endpoint = await createEndpoint(db(), settings, id, { url: 'http://hooks.example.com/hook', event_types: ['alert.triggered', 'alert.resolved'] });
    return {
      id,
      api: (method: 'GET' | 'POST', url: string, payload?: unknown) => t.app.inject({ method, url, headers, payload: payload as object }),
      /** The alert webhooks queued for the project's endpoint: [type, rule, level]. */
      hooks: async () => (await db().selectFrom('webhook_deliveries').select(['event_type', 'email_id', 'payload']).where('endpoint_id', '=', endpoint.row.id).orderBy('seq').execute())
        .map((h) => {
          const data = (h.payload as { data: { rule: string; level: string } }).data;
          return [h.event_type, data.rule, data.level, h.email_id];
        }),
    };
  }
  type Project = Awaited<ReturnType<typeof newProject>>;

  /** Runs `fn` while a real worker sends to the simulator (`env`: its settings, e.g. how long it retries). */
  async function withWorker<T>(fn: () => Promise<T>, env: Record<string, string> = {}): Promise<T> {
    const worker = await startTestWorker(t.store, env);
    try {
      return await fn();
    } finally {
      await worker.stop();
    }
  }

  /** Sends one transactional email per address, 50 to a request (the API's most). */
  async function send(p: Project, to: string[]) {
    for (let i = 0; i < to.length; i += 50) {
      const res = await p.api('POST', '/v1/emails', { from: 'shop@alerts.example', to: to.slice(i, i + 50), subject: 'Hi', text: 'Hi' });
      expect(res.statusCode).toBe(202);
    }
  }
  const finished = (projectId: string, n: number) => eventually(async () => {
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM emails WHERE project_id = ${projectId} AND status IN ('delivered', 'bounced')`.execute(db());
    return Number(rows[0]!.n) === n;
  }, 60_000);
  /** Rolls up until the project's rollups count `sent` emails (on PostgreSQL, other files' open transactions may hold the log back). */
  const rolledUp = (projectId: string, sent: number) => eventually(async () => {
    await rollUpNow(db());
    const { rows } = await sql<{ n: string }>`SELECT coalesce(sum(sent), 0) AS n FROM stats_project_hourly WHERE project_id = ${projectId} AND tag = ''`.execute(db());
    return Number(rows[0]!.n) === sent;
  }, 20_000);
  const evaluate = (projectId: string, now?: Date) => evaluateProject(db(), projectId, { force: true, now });

  it('1,000 transactional sends, 6 % of them to hard-bouncing addresses, set off the project\'s hard-bounce rate as critical, which resolves once they leave the window', async () => {
    const p = await newProject('Transactional');
    // 3 in every 50 bounce (550 5.1.1 at the simulator's RCPT): 60 of 1,000, over the 5 % line.
    await withWorker(async () => {
      await send(p, Array.from({ length: 1_000 }, (_, i) => (i % 50 < 3 ? `bounce+${i}@simulator.test` : `delivered+${i}@simulator.test`)));
      await finished(p.id, 1_000);
    });
    await rolledUp(p.id, 1_000);

    const { changes } = await evaluate(p.id);
    expect(changes.map((c) => [c.kind, c.alert.rule, c.alert.level])).toEqual([['triggered', 'project_hard_bounce_rate', 'critical']]);
    const listed = (await p.api('GET', '/v1/alerts?state=triggered')).json().data;
    expect(listed).toEqual([expect.objectContaining({ rule: 'project_hard_bounce_rate', level: 'critical', subject: 'project', window: 'last_10000', value: 0.06, volume: 1_000, threshold: 0.05, campaign_id: null })]);
    expect(listed[0].message).toContain('60 of 1,000 sent');
    expect(await p.hooks()).toEqual([['alert.triggered', 'project_hard_bounce_rate', 'critical', null]]);

    // The window is the last 10,000 sends, at most 90 days back: 91 days on, with nothing sent
    // since, the rule sees too few sends to speak and the alert resolves.
    const later = await evaluate(p.id, new Date(Date.now() + 91 * 24 * HOUR_MS));
    expect(later.changes.map((c) => [c.kind, c.alert.rule])).toEqual([['resolved', 'project_hard_bounce_rate']]);
    expect((await p.api('GET', '/v1/alerts?state=triggered')).json().data).toEqual([]);
    expect((await p.hooks()).at(-1)).toEqual(['alert.resolved', 'project_hard_bounce_rate', 'critical', null]);
  }, 90_000);

  it('200 attempts at a provider in the last hour, half of them greylisted, against its usual 5 %, set off the deferral rate as critical, which resolves an hour later', async () => {
    const p = await newProject('Greylisted');
    // Each deferred+N address is greylisted once (451 4.7.1) and accepted at the retry: 100 emails
    // are 200 attempts (the rule's minimum) of which 100 were deferred. The test worker's usual
    // retry lifetime (600 ms from the claim) can run out while PGlite works through a batch, and an
    // email deferred past it bounces soft at once: here the worker retries for a minute.
    await withWorker(async () => {
      await send(p, Array.from({ length: 100 }, (_, i) => `deferred+${i}@simulator.test`));
      await finished(p.id, 100);
    }, { SIMULATOR_LIFETIME_MS: '60000' });
    await rolledUp(p.id, 100);
    const recent = await db().selectFrom('stats_project_hourly').select(['provider', 'deferrals']).where('project_id', '=', p.id).where('tag', '=', '').execute();
    expect(recent.reduce((n, r) => n + Number(r.deferrals), 0)).toBe(100);
    const provider = recent[0]!.provider;

    // The provider's 14-day baseline, written straight into the rollups (two weeks of real sending
    // is not for a test): 10,000 attempts over past days, 5 % of them deferred.
    const thisHour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    await insertHourly(db(), Array.from({ length: 10 }, (_, d) => ({ project_id: p.id, hour: new Date(thisHour - (d * 24 + 3) * HOUR_MS), provider, sending_domain: 'alerts.example', sent: 950, deferrals: 50 })));

    const { changes } = await evaluate(p.id);
    expect(changes.map((c) => [c.kind, c.alert.rule, c.alert.level])).toEqual([['triggered', 'provider_deferral_rate', 'critical']]);
    const [alert] = (await p.api('GET', '/v1/alerts?state=triggered')).json().data;
    expect(alert).toMatchObject({ rule: 'provider_deferral_rate', level: 'critical', subject: `provider:${provider}`, window: '1h', value: 0.5, volume: 200 });
    // The line is the baseline plus 25 points.
    expect(alert.threshold).toBeCloseTo(0.3, 10);
    expect(alert.message).toContain('usually 5.0 %');
    expect(await p.hooks()).toEqual([['alert.triggered', 'provider_deferral_rate', 'critical', null]]);

    // Two hours on, nothing was attempted in the last hour: too few attempts to speak, resolved.
    const later = await evaluate(p.id, new Date(Date.now() + 2 * HOUR_MS));
    expect(later.changes.map((c) => [c.kind, c.alert.rule])).toEqual([['resolved', 'provider_deferral_rate']]);
    expect((await p.hooks()).at(-1)).toEqual(['alert.resolved', 'provider_deferral_rate', 'critical', null]);
  }, 90_000);

  it('a campaign of 500 with 60 mailboxes full until retries run out sets off its delivery rate as critical, without a pause, resolved a day after it last sent', async () => {
    const p = await newProject('Campaigns');
    // softbounce+N answers 452 4.2.2 at every attempt until the simulator's short lifetime ends:
    // soft bounces, not hard ones, so only the delivery rate (88 %, at or below 90 %) speaks.
    const recipients = Array.from({ length: 500 }, (_, i) => ({ email: i % 25 < 3 ? `softbounce+${i}@simulator.test` : `delivered+${i}@simulator.test` }));
    const created = await p.api('POST', '/v1/campaigns', { name: 'Full mailboxes', from: 'news@alerts.example', subject: 'Hi', html: '<p>Hi</p>', recipients });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    await withWorker(() => finished(p.id, 500));
    await rolledUp(p.id, 500);

    const { changes, paused } = await evaluate(p.id);
    const delivery = changes.filter((c) => c.alert.rule === 'campaign_delivery_rate');
    expect(delivery.map((c) => [c.kind, c.alert.level])).toEqual([['triggered', 'critical']]);
    expect(changes.some((c) => c.alert.rule === 'campaign_hard_bounce_rate')).toBe(false);
    expect(paused).toEqual([]);
    const listed = (await p.api('GET', '/v1/alerts?state=triggered&rule=campaign_delivery_rate')).json().data;
    expect(listed).toEqual([expect.objectContaining({ level: 'critical', subject: `campaign:${id}`, window: 'campaign', value: 0.88, volume: 500, threshold: 0.9, campaign_id: id })]);
    expect(listed[0].message).toContain('Delivery rate 88.0 %');
    expect((await p.api('GET', `/v1/campaigns/${id}`)).json().status).not.toBe('paused');
    expect((await p.hooks()).filter((h) => h[1] === 'campaign_delivery_rate')).toEqual([['alert.triggered', 'campaign_delivery_rate', 'critical', null]]);

    // The rule watches campaigns that sent in the last 24 hours: a day after its last send the
    // campaign's alert resolves.
    const later = await evaluate(p.id, new Date(Date.now() + 25 * HOUR_MS));
    expect(later.changes.filter((c) => c.alert.rule === 'campaign_delivery_rate').map((c) => c.kind)).toEqual(['resolved']);
    expect((await p.api('GET', '/v1/alerts?state=resolved&rule=campaign_delivery_rate')).json().data).toEqual([expect.objectContaining({ campaign_id: id, level: 'critical' })]);
  }, 90_000);
});
