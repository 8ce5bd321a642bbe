// GET /v1/stats, /v1/campaigns/:id/stats and /links over real HTTP on PGlite and PostgreSQL, with
// rollup rows written straight into the stats tables (the engine that folds the log has its own tests).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import fc from 'fast-check';
import { expandAllCampaigns } from '../../../test/support/expand-campaigns.ts';
import { STORE_KINDS } from '../../../test/support/test-store.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { insertHourly, insertMachine } from '../../../test/support/rollup-rows.ts';
import { createApiKey } from '../../projects/api-keys.ts';
import { newId } from '../../shared/ids.ts';
import { seriesPoints } from '../../../test/support/series-points.ts';

type Json = Record<string, any>;

/** A documented formula's operand ("a.b" or "(a.b + c.d)") read from an answer. */
const formulaValue = (expression: string, answer: Json): number =>
  expression.replace(/[()]/g, '').split(' + ').reduce((sum, path) => sum + (path.split('.').reduce((node: Json, key) => node[key], answer) as unknown as number), 0);

describe.each(STORE_KINDS)('stats API on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let other: { projectId: string; auth: { authorization: string } };
  beforeAll(async () => {
    t = await createTestApp(kind);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const projectId = newId();
    await t.store.db.insertInto('projects').values({ id: projectId, name: 'Other' }).execute();
    other = { projectId, auth: { authorization: `Bearer ${(await createApiKey(t.store.db, projectId, 'other')).key}` } };
  });
  afterAll(async () => t?.close());

  const get = async (path: string, auth: { authorization?: string } = t.auth): Promise<{ status: number; body: Json }> => {
    const res = await fetch(`${base}${path}`, { headers: auth as Record<string, string> });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const stats = (query: string, auth?: { authorization?: string }) => get(`/v1/stats?${query}`, auth);

  describe('GET /v1/stats', () => {
    const W = 'from=2025-01-10T00:00:00Z&to=2025-01-11T00:00:00Z';
    beforeAll(async () => {
      await insertHourly(t.store.db, [
        { project_id: t.projectId, hour: '2025-01-10T08:00:00Z', provider: 'gmail', sent: 10, delivered: 9, hard_bounced: 1, openers: 3, opens: 4, clickers: 1, clicks: 1, machine_opens: 6 },
        { project_id: t.projectId, hour: '2025-01-10T09:00:00Z', provider: 'microsoft', sent: 5, delivered: 5, openers: 1, opens: 1, machine_clicks: 2, coalesced_clicks: 1 },
        { project_id: other.projectId, hour: '2025-01-10T08:00:00Z', provider: 'gmail', sent: 1000, delivered: 1000 },
      ]);
      await insertMachine(t.store.db, [
        { project_id: t.projectId, hour: '2025-01-10T08:00:00Z', provider: 'gmail', kind: 'open', why: 'proxy_prefetch', n: 6 },
        { project_id: t.projectId, hour: '2025-01-10T09:00:00Z', provider: 'microsoft', kind: 'click', why: 'scanner', n: 2 },
      ]);
    });

    it('answers totals and an hourly series of every counter and rate, empty hours as zeros, machine traffic beside', async () => {
      const { status, body } = await stats(`${W}&granularity=hour`);
      expect(status).toBe(200);
      expect(body.period).toEqual({ from: '2025-01-10T00:00:00Z', to: '2025-01-11T00:00:00Z', granularity: 'hour', tz: 'UTC' });
      expect(body.filters).toEqual({ campaign_id: null, tag: null, provider: null, sending_domain: null });
      expect(body.group_by).toBeNull();
      expect(body.groups).toBeUndefined();
      // Columns: the buckets' starts, and an array per counter and rate, a value per bucket.
      expect(body.series.start).toHaveLength(24);
      expect([body.series.start[8], body.series.emails.sent[8], body.series.emails.sent[7], body.series.rates.delivery[7]]).toEqual(['2025-01-10T08:00:00Z', 10, 0, null]);
      for (const group of ['emails', 'events', 'people', 'machine', 'coalesced', 'rates']) {
        for (const column of Object.values(body.series[group] as Record<string, unknown[]>)) expect(column).toHaveLength(24);
      }
      expect(seriesPoints(body.series)[7]).toMatchObject({ start: '2025-01-10T07:00:00Z', emails: { sent: 0 }, rates: { delivery: null } });
      expect(seriesPoints(body.series)[8]).toMatchObject({ start: '2025-01-10T08:00:00Z', emails: { sent: 10, delivered: 9 }, machine: { opens: 6, clicks: 0 } });
      expect(seriesPoints(body.series)[8]).not.toHaveProperty('machine_by_why');
      expect(body.totals).toEqual({
        emails: { accepted: 0, sent: 15, delivered: 14, hard_bounced: 1, soft_bounced: 0, rejected: 0, failed: 0, cancelled: 0 },
        events: { deferrals: 0, opens: 5, backfilled_opens: 0, clicks: 1, replies: 0, auto_replies: 0 },
        people: { openers: 4, clickers: 1, repliers: 0, complainers: 0, unsubscribers: 0 },
        machine: { opens: 6, clicks: 2 },
        coalesced: { opens: 0, clicks: 1 },
        machine_by_why: { opens: { proxy_prefetch: 6 }, clicks: { scanner: 2 } },
        rates: { delivery: 0.9333, open: 0.2857, click_to_open: 0.25, click_through: 0.0714, reply: 0, bounce: 0.0667, bounce_hard: 0.0667, bounce_soft: 0, complaint: 0, unsubscribe: 0 },
      });
      expect(body.notes.join(' ')).toMatch(/lower bound/);
    });

    it('documents each rate with a formula over the same object that gives its value, open rates as a lower bound', async () => {
      const doc = (await get('/docs/json')).body;
      const schema = doc.paths['/v1/stats'].get.responses['200'].content['application/json'].schema;
      const rates = schema.properties.totals.properties.rates.properties as Record<string, { description: string }>;
      expect(rates.open!.description).toMatch(/lower bound/);
      const { body } = await stats(W);
      const valueOf = (expression: string) => formulaValue(expression, body.totals);
      const recomputed = Object.fromEntries(Object.entries(rates).map(([name, { description }]) => {
        const formula = /^(\S+|\([^)]+\)) \/ (\S+):/.exec(description);
        if (!formula) return [name, `no formula in: ${description}`];
        const d = valueOf(formula[2]!);
        return [name, d > 0 ? Math.round((valueOf(formula[1]!) / d) * 10_000) / 10_000 : null];
      }));
      expect(recomputed).toEqual(body.totals.rates);
      // A series' rate columns name the same formulas, per bucket.
      expect(schema.properties.series.properties.rates.properties.open.description).toMatch(/^people\.openers \/ emails\.delivered, per bucket: .*lower bound/);
    });

    it('groups by provider, the groups in order of emails sent, adding up to the totals', async () => {
      const { body } = await stats(`${W}&group_by=provider&granularity=day`);
      expect(body.group_by).toBe('provider');
      expect(body.period.granularity).toBe('day');
      expect(body.groups.map((g: Json) => [g.key, g.keys, g.totals.emails.sent, seriesPoints(g.series).map((p: Json) => p.emails.sent)])).toEqual([
        ['gmail', 1, 10, [10]],
        ['microsoft', 1, 5, [5]],
      ]);
      expect(body.groups[1].totals.coalesced).toEqual({ opens: 0, clicks: 1 });
      expect(body.totals.emails.sent).toBe(15);
    });

    it('combines filters, and a key sees its own project only', async () => {
      expect((await stats(`${W}&provider=microsoft`)).body.totals.emails.sent).toBe(5);
      expect((await stats(`${W}&provider=microsoft&sending_domain=SHOP.example`)).body.totals.emails.sent).toBe(5);
      expect((await stats(`${W}&provider=microsoft&sending_domain=other.example`)).body.totals.emails.sent).toBe(0);
      expect((await stats(W, other.auth)).body.totals.emails.sent).toBe(1000);
      expect((await stats(W, {})).status).toBe(401);
    });

    it('cuts days at midnight in the time zone asked for, across a change of daylight saving time, empty days included', async () => {
      await insertHourly(t.store.db, [
        // Sunday 2 November 2025 lasts 25 hours in New York: 00:00 EDT is 04:00Z, 23:00 EST is 04:00Z on the 3rd.
        { project_id: t.projectId, hour: '2025-11-02T03:00:00Z', tag: 'dst', sent: 1 },
        { project_id: t.projectId, hour: '2025-11-02T04:00:00Z', tag: 'dst', sent: 2 },
        { project_id: t.projectId, hour: '2025-11-03T04:00:00Z', tag: 'dst', sent: 4 },
        { project_id: t.projectId, hour: '2025-11-03T05:00:00Z', tag: 'dst', sent: 8 },
      ]);
      const { body } = await stats('tag=dst&from=2025-10-31T00:00:00-04:00&to=2025-11-04T00:00:00-05:00&granularity=day&tz=America/New_York');
      expect(seriesPoints(body.series).map((p: Json) => [p.start, p.emails.sent])).toEqual([
        ['2025-10-31T00:00:00-04:00', 0],
        ['2025-11-01T00:00:00-04:00', 1],
        ['2025-11-02T00:00:00-04:00', 6],
        ['2025-11-03T00:00:00-05:00', 8],
      ]);
      expect(body.filters.tag).toBe('dst');
    });

    it('refuses bad parameters with a validation error that says what is wrong', async () => {
      const refused = async (query: string, message: RegExp) => {
        const { status, body } = await stats(query);
        expect({ status, code: body.error?.code }, query).toEqual({ status: 400, code: 'validation_error' });
        expect(body.error.message, query).toMatch(message);
      };
      await refused('tz=Mars/Olympus', /IANA time zone/);
      await refused('tz=UTC%2B5', /IANA time zone/);
      await refused('granularity=week', /granularity/);
      await refused('from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z', /must be after from/);
      await refused('from=2025-01-01T00:00:00Z&to=2025-01-01T00:00:00Z', /must be after from/);
      await refused('from=2025-01-01T00:00:00Z&to=2025-06-01T00:00:00Z&granularity=hour', /at most 2,200/);
      await refused('from=2025-01-01T00:00:00Z&to=2025-03-01T00:00:00Z&granularity=hour&group_by=tag', /at most 744/);
      await refused('provider=hotmail', /Unknown provider "hotmail": one of gmail, microsoft, yahoo, apple, other/);
      await refused('campaign_id=12345', /campaign_id/);
      await refused('from=yesterday', /ISO 8601/);
      await refused('group_by=recipient', /group_by/);
      await refused('color=blue', /additional properties/);
    });

    it('answers any combination of its parameters, well formed or not, with a 200 or a 4xx', async () => {
      const value = fc.oneof(
        fc.string(),
        fc.constantFrom('', 'UTC', 'America/New_York', 'Asia/Kathmandu', 'Etc/GMT+5', 'EST', 'hour', 'day', 'gmail', 'campaign', 'tag', 'provider', 'sending_domain'),
        fc.date({ min: new Date('1960-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
        fc.uuid(),
      );
      const names = fc.constantFrom('from', 'to', 'granularity', 'tz', 'campaign_id', 'tag', 'provider', 'sending_domain', 'group_by');
      const query = fc.array(fc.tuple(names, value), { maxLength: 6 }).map((pairs) => new URLSearchParams(pairs).toString());
      await fc.assert(
        fc.asyncProperty(query, async (q) => {
          const { status, body } = await stats(q);
          expect(status === 200 || (status >= 400 && status < 500 && typeof body.error?.code === 'string'), `${q}: ${status} ${JSON.stringify(body).slice(0, 300)}`).toBe(true);
        }),
        { numRuns: 150 },
      );
    });
  });

  describe('a campaign', () => {
    let campaignId: string;
    beforeAll(async () => {
      const res = await fetch(`${base}/v1/campaigns`, {
        method: 'POST',
        headers: { ...t.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Rollups', from: 'news@shop.example', subject: 'Hi', html: '<p>Hi</p>', recipients: ['a', 'b', 'c', 'd'].map((l) => ({ email: `${l}@example.org` })) }),
      });
      campaignId = ((await res.json()) as Json).id;
      await expandAllCampaigns(t.store.db);
      // Status counts are the triggers' (exact); the rollups are written below, apart.
      await sql`UPDATE emails SET status = CASE WHEN to_address = 'd@example.org' THEN 'bounced' ELSE 'delivered' END WHERE campaign_id = ${campaignId}`.execute(t.store.db);
      const created = (await t.store.db.selectFrom('campaigns').select('created_at').where('id', '=', campaignId).executeTakeFirstOrThrow()).created_at;
      const hour = (h: number) => new Date(Math.floor(new Date(created).getTime() / 3_600_000) * 3_600_000 + h * 3_600_000);
      await insertHourly(t.store.db, [
        { project_id: t.projectId, hour: hour(0), campaign_id: campaignId, provider: 'gmail', accepted: 6, sent: 4, delivered: 4, openers: 2, opens: 3, backfilled_opens: 1, clickers: 1, clicks: 2, repliers: 1, replies: 2, auto_replies: 1 },
        { project_id: t.projectId, hour: hour(0), campaign_id: campaignId, provider: 'apple', sent: 2, delivered: 1, soft_bounced: 1, complainers: 1, unsubscribers: 1, machine_opens: 5, coalesced_opens: 1 },
        { project_id: t.projectId, hour: hour(0), campaign_id: campaignId, tag: 'spring', provider: 'apple', sent: 2 },
      ]);
      await insertMachine(t.store.db, [
        { project_id: t.projectId, hour: hour(0), campaign_id: campaignId, provider: 'apple', kind: 'open', why: 'apple_mpp', n: 5 },
      ]);
      await t.store.db.insertInto('stats_clients').values([
        { project_id: t.projectId, campaign_id: campaignId, day: '2025-01-10', kind: 'open', client: 'Gmail', os: 'Android', device: 'mobile', n: 3 },
        { project_id: t.projectId, campaign_id: campaignId, day: '2025-01-10', kind: 'click', client: 'Chrome', os: 'Windows', device: 'desktop', n: 2 },
      ]).execute();
      await t.store.db.insertInto('stats_links').values([
        { project_id: t.projectId, campaign_id: campaignId, link_index: 0, url: 'https://shop.example/a', clicks: 1, clickers: 1 },
        { project_id: t.projectId, campaign_id: campaignId, link_index: 1, url: 'https://shop.example/b', clicks: 5, clickers: 2 },
        { project_id: t.projectId, campaign_id: campaignId, link_index: 2, url: 'https://shop.example/c', clicks: 1, clickers: 1 },
      ]).execute();
    });

    it('keeps its counts per status and reads engagement, series, providers and clients from the rollups', async () => {
      const { status, body } = await get(`/v1/campaigns/${campaignId}/stats`);
      expect(status).toBe(200);
      expect(body.counts).toMatchObject({ delivered: 3, bounced: 1, total: 4 });
      expect(body.engagement).toEqual({
        opens: { unique: 2, total: 3, backfilled: 1 },
        clicks: { unique: 1, total: 2 },
        machine: { opens: { apple_mpp: 5 }, clicks: {} },
        coalesced: { opens: 1, clicks: 0 },
        replies: { human: 2, repliers: 1, auto: 1 },
        complaints: 1,
        unsubscribes: 1,
        bounces: { total: 1, hard: 0, soft: 1 },
      });
      // Its own rates divide by the status counts.
      expect(body.rates).toEqual({
        delivery: 0.75, open: 0.6667, click_to_open: 0.5, click_through: 0.3333, reply: 0.3333,
        bounce: 0.25, bounce_hard: 0, bounce_soft: 0.25, complaint: 0.3333, unsubscribe: 0.3333,
      });
      // Each formula of the OpenAPI document, evaluated over the answer, gives its rate.
      const doc = (await get('/docs/json')).body;
      const documented = doc.paths['/v1/campaigns/{id}/stats'].get.responses['200'].content['application/json'].schema.properties.rates.properties as Record<string, { description: string }>;
      const valueOf = (expression: string) => formulaValue(expression, body);
      expect(Object.fromEntries(Object.entries(documented).map(([name, { description }]) => {
        const [, n, d] = /^(\S+) \/ (\S+|\([^)]+\)):/.exec(description) ?? [];
        return [name, n && d && valueOf(d) > 0 ? Math.round((valueOf(n) / valueOf(d)) * 10_000) / 10_000 : null];
      }))).toEqual(body.rates);
      expect(body.period).toMatchObject({ granularity: 'hour', tz: 'UTC' });
      // A campaign a few seconds old: its first hour (and the next, should the test cross an hour).
      expect([body.series.emails.sent[0], body.series.machine.opens[0], body.series.coalesced.opens[0]]).toEqual([6, 5, 1]);
      expect(body.providers.map((p: Json) => [p.provider, p.emails.sent, p.rates.delivery])).toEqual([
        ['gmail', 4, 1], ['microsoft', 0, null], ['yahoo', 0, null], ['apple', 2, 0.5], ['other', 0, null],
      ]);
      expect(body.clients).toEqual({
        opens: [{ client: 'Gmail', os: 'Android', device: 'mobile', count: 3 }],
        clicks: [{ client: 'Chrome', os: 'Windows', device: 'desktop', count: 2 }],
      });
      expect(body.notes.join(' ')).toMatch(/lower bound/);
    });

    it('shapes its series with granularity, tz, from and to, and refuses bad ones', async () => {
      const { body } = await get(`/v1/campaigns/${campaignId}/stats?granularity=day&tz=Asia/Tokyo`);
      expect(body.period).toMatchObject({ granularity: 'day', tz: 'Asia/Tokyo' });
      expect(body.period.from).toMatch(/T00:00:00\+09:00$/);
      expect(seriesPoints(body.series).reduce((n: number, p: Json) => n + p.emails.sent, 0)).toBe(6);
      const bad = await get(`/v1/campaigns/${campaignId}/stats?tz=Nowhere`);
      expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_error']);
      const backwards = await get(`/v1/campaigns/${campaignId}/stats?from=2030-01-01T00:00:00Z&to=2029-01-01T00:00:00Z`);
      expect(backwards.body.error.message).toMatch(/must be after from/);
    });

    it('lists its links by total clicks', async () => {
      const { status, body } = await get(`/v1/campaigns/${campaignId}/links`);
      expect(status).toBe(200);
      expect(body).toEqual({
        campaign_id: campaignId,
        data: [
          { index: 1, url: 'https://shop.example/b', unique: 2, total: 5 },
          { index: 0, url: 'https://shop.example/a', unique: 1, total: 1 },
          { index: 2, url: 'https://shop.example/c', unique: 1, total: 1 },
        ],
      });
    });

    it("is another project's secret: 404 for its stats and links, and for a malformed id", async () => {
      for (const path of [`/v1/campaigns/${campaignId}/stats`, `/v1/campaigns/${campaignId}/links`]) {
        const { status, body } = await get(path, other.auth);
        expect([status, body.error.code]).toEqual([404, 'not_found']);
      }
      expect((await get('/v1/campaigns/not-a-uuid/stats')).status).toBe(404);
      expect((await get('/v1/campaigns/not-a-uuid/links')).status).toBe(404);
      // Its rollup rows do not leak into the other project's /v1/stats either.
      expect((await stats(`campaign_id=${campaignId}&from=2024-01-01T00:00:00Z&granularity=day`, other.auth)).body.totals.emails.sent).toBe(0);
    });
  });
});
