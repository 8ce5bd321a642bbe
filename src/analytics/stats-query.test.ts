// The read side of the rollups on PGlite and PostgreSQL, over rows written straight into the stats
// tables: sums, series with their empty buckets, filters, groups, time zones and the rates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import { insertHourly, insertMachine, NIL_CAMPAIGN } from '../../test/support/rollup-rows.ts';
import { mostRowsReadByANode } from '../../test/support/plan.ts';
import { AppError } from '../shared/app-error.ts';
import { readStats, type StatsReport } from './stats-query.ts';
import { readCampaignRollups } from './campaign-rollups.ts';
import { countersStatement, machineStatement, sumCounters } from './stats.repository.ts';
import { SUMMED_COUNTERS } from './stats-aggregate.ts';
import { seriesPoints } from '../../test/support/series-points.ts';

const P = '00000000-0000-7000-8000-00000000000a';
const OTHER_P = '00000000-0000-7000-8000-00000000000b';
const C1 = '00000000-0000-7000-8000-0000000000c1';
const C2 = '00000000-0000-7000-8000-0000000000c2';
const C3 = '00000000-0000-7000-8000-0000000000c3';
const C4 = '00000000-0000-7000-8000-0000000000c4';

const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('no error');
};

describe.each(STORE_KINDS)('stats read side on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(async () => store?.close());
  const db = () => store.db;

  // Each test writes its own project's rows.
  let n = 0;
  const project = () => `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`;

  it('sums a period, one point per hour with empty hours as zeros, the points adding up to the totals', async () => {
    const p = project();
    await insertHourly(db(), [
      { project_id: p, hour: '2025-01-10T10:00:00Z', accepted: 10, sent: 10, delivered: 8, hard_bounced: 1, soft_bounced: 1, openers: 4, opens: 6, clickers: 2, clicks: 3 },
      { project_id: p, hour: '2025-01-10T10:00:00Z', provider: 'yahoo', sent: 10, delivered: 10 },
      { project_id: p, hour: '2025-01-10T12:00:00Z', openers: 1, opens: 2, repliers: 1, replies: 1, complainers: 1, unsubscribers: 1 },
      // Outside the period, another project, a tag's own row: none of them counts.
      { project_id: p, hour: '2025-01-10T13:00:00Z', sent: 100 },
      { project_id: p, hour: '2025-01-10T09:00:00Z', sent: 100 },
      { project_id: OTHER_P, hour: '2025-01-10T10:00:00Z', sent: 100 },
      { project_id: p, hour: '2025-01-10T10:00:00Z', tag: 'promo', sent: 100 },
    ]);
    const s = await readStats(db(), p, { from: '2025-01-10T10:00:00Z', to: '2025-01-10T13:00:00Z' });
    expect(s.period).toEqual({ from: '2025-01-10T10:00:00Z', to: '2025-01-10T13:00:00Z', granularity: 'hour', tz: 'UTC' });
    expect(seriesPoints(s.series).map((pt) => [pt.start, pt.emails.sent, pt.people.openers])).toEqual([
      ['2025-01-10T10:00:00Z', 20, 4],
      ['2025-01-10T11:00:00Z', 0, 0],
      ['2025-01-10T12:00:00Z', 0, 1],
    ]);
    expect(s.totals.emails).toEqual({ accepted: 10, sent: 20, delivered: 18, hard_bounced: 1, soft_bounced: 1, rejected: 0, failed: 0, cancelled: 0 });
    expect(s.totals.people).toEqual({ openers: 5, clickers: 2, repliers: 1, complainers: 1, unsubscribers: 1 });
    expect(s.totals.rates).toEqual({
      delivery: 0.9, open: 0.2778, click_to_open: 0.4, click_through: 0.1111, reply: 0.0556,
      bounce: 0.1, bounce_hard: 0.05, bounce_soft: 0.05, complaint: 0.0556, unsubscribe: 0.0556,
    });
    // Each counter's column sums to its total.
    for (const group of ['emails', 'events', 'people', 'machine', 'coalesced'] as const) {
      const sums = Object.fromEntries(Object.entries(s.series[group]).map(([name, column]) => [name, (column as number[]).reduce((a, b) => a + b, 0)]));
      expect(sums).toEqual(s.totals[group]);
    }
    expect(seriesPoints(s.series)[1]!.rates.delivery).toBeNull();
    expect(seriesPoints(s.series)[2]!.rates.open).toBeNull();
    expect(s.notes.join(' ')).toMatch(/lower bound/);
  });

  it('shows machine traffic beside the counted opens (by why in the totals), and a person\'s coalesced repeats apart', async () => {
    const p = project();
    await insertHourly(db(), [
      { project_id: p, hour: '2025-01-10T10:00:00Z', delivered: 2, opens: 1, openers: 1, machine_opens: 3 },
      { project_id: p, hour: '2025-01-10T10:00:00Z', provider: 'apple', machine_opens: 1 },
      { project_id: p, hour: '2025-01-10T11:00:00Z', coalesced_opens: 2, machine_clicks: 5 },
      { project_id: p, hour: '2025-01-10T11:00:00Z', tag: 'promo', machine_clicks: 9 },
    ]);
    await insertMachine(db(), [
      { project_id: p, hour: '2025-01-10T10:00:00Z', kind: 'open', why: 'apple_mpp', n: 3 },
      { project_id: p, hour: '2025-01-10T10:00:00Z', kind: 'open', why: 'apple_mpp', n: 1, provider: 'apple' },
      { project_id: p, hour: '2025-01-10T11:00:00Z', kind: 'click', why: 'scanner', n: 5 },
      { project_id: p, hour: '2025-01-10T11:00:00Z', kind: 'click', why: 'scanner', n: 9, tag: 'promo' },
    ]);
    const s = await readStats(db(), p, { from: '2025-01-10T10:00:00Z', to: '2025-01-10T12:00:00Z' });
    expect(s.totals.machine).toEqual({ opens: 4, clicks: 5 });
    expect(s.totals.machine_by_why).toEqual({ opens: { apple_mpp: 4 }, clicks: { scanner: 5 } });
    expect(s.totals.coalesced).toEqual({ opens: 2, clicks: 0 });
    expect(seriesPoints(s.series).map((pt) => [pt.machine, pt.coalesced])).toEqual([
      [{ opens: 4, clicks: 0 }, { opens: 0, clicks: 0 }],
      [{ opens: 0, clicks: 5 }, { opens: 2, clicks: 0 }],
    ]);
    expect(seriesPoints(s.series)[0]).not.toHaveProperty('machine_by_why');
  });

  it('combines filters: campaign (the nil uuid for emails of no campaign), tag, provider and sending domain', async () => {
    const p = project();
    const h = '2025-01-10T10:00:00Z';
    await insertHourly(db(), [
      { project_id: p, hour: h, campaign_id: C1, provider: 'gmail', sending_domain: 'shop.example', sent: 1 },
      { project_id: p, hour: h, campaign_id: C1, provider: 'yahoo', sending_domain: 'shop.example', sent: 2 },
      { project_id: p, hour: h, campaign_id: C1, provider: 'gmail', sending_domain: 'news.example', sent: 4 },
      { project_id: p, hour: h, campaign_id: C2, provider: 'gmail', sending_domain: 'shop.example', sent: 8 },
      { project_id: p, hour: h, provider: 'gmail', sending_domain: 'shop.example', sent: 16 },
      { project_id: p, hour: h, campaign_id: C1, tag: 'promo', provider: 'gmail', sending_domain: 'shop.example', sent: 1 },
      { project_id: p, hour: h, campaign_id: C1, tag: 'promo', provider: 'yahoo', sending_domain: 'shop.example', sent: 2 },
    ]);
    const sent = async (q: Record<string, string>) => (await readStats(db(), p, { from: h, to: '2025-01-10T11:00:00Z', ...q })).totals.emails.sent;
    expect(await sent({})).toBe(31);
    expect(await sent({ campaign_id: C1 })).toBe(7);
    expect(await sent({ campaign_id: C1.toUpperCase() })).toBe(7);
    expect(await sent({ campaign_id: NIL_CAMPAIGN })).toBe(16);
    expect(await sent({ provider: 'gmail' })).toBe(29);
    expect(await sent({ campaign_id: C1, provider: 'gmail' })).toBe(5);
    expect(await sent({ campaign_id: C1, provider: 'gmail', sending_domain: 'Shop.Example' })).toBe(1);
    expect(await sent({ tag: 'promo' })).toBe(3);
    expect(await sent({ tag: 'promo', provider: 'yahoo' })).toBe(2);
    expect(await sent({ tag: 'nothing' })).toBe(0);
  });

  it('groups by provider: each provider its totals and series, the groups adding up to the totals', async () => {
    const p = project();
    await insertHourly(db(), [
      // One hour of Gmail from two campaigns and two sending domains: one sum.
      { project_id: p, hour: '2025-01-10T10:00:00Z', provider: 'gmail', campaign_id: C1, sending_domain: 'a.example', sent: 3, delivered: 3, openers: 1 },
      { project_id: p, hour: '2025-01-10T10:00:00Z', provider: 'gmail', sending_domain: 'b.example', sent: 2, delivered: 2 },
      { project_id: p, hour: '2025-01-10T11:00:00Z', provider: 'yahoo', sent: 7, delivered: 6 },
      { project_id: p, hour: '2025-01-10T11:00:00Z', provider: 'apple', sent: 1 },
    ]);
    const s = await readStats(db(), p, { from: '2025-01-10T10:00:00Z', to: '2025-01-10T12:00:00Z', group_by: 'provider' });
    expect(s.groups!.map((g) => [g.key, g.keys, g.totals.emails.sent, seriesPoints(g.series).map((pt) => pt.emails.sent)])).toEqual([
      ['yahoo', 1, 7, [0, 7]],
      ['gmail', 1, 5, [5, 0]],
      ['apple', 1, 1, [0, 1]],
    ]);
    expect(s.totals.emails.sent).toBe(13);
    expect(seriesPoints(s.series).map((pt) => pt.emails.sent)).toEqual([5, 8]);
    expect(s.groups![1]!.totals.rates.open).toBe(0.2);
  });

  it('keeps the 20 groups with the most sent apart and sums the rest as one group of key null', async () => {
    const p = project();
    const campaigns = Array.from({ length: 25 }, (_, i) => `00000000-0000-7000-8000-${String(1000 + i).padStart(12, '0')}`);
    await insertHourly(db(), campaigns.map((c, i) => ({ project_id: p, hour: '2025-01-10T10:00:00Z', campaign_id: c, sent: i + 1, delivered: i + 1 })));
    await insertMachine(db(), [{ project_id: p, hour: '2025-01-10T10:00:00Z', campaign_id: campaigns[0]!, kind: 'open', why: 'scanner', n: 3 }]);
    const s = await readStats(db(), p, { from: '2025-01-10T10:00:00Z', to: '2025-01-10T11:00:00Z', group_by: 'campaign' });
    expect(s.groups).toHaveLength(21);
    expect(s.groups!.slice(0, 20).map((g) => g.key)).toEqual(campaigns.slice(5).reverse());
    const rest = s.groups![20]!;
    expect(rest).toMatchObject({ key: null, keys: 5, totals: { emails: { sent: 1 + 2 + 3 + 4 + 5 }, machine_by_why: { opens: { scanner: 3 } } } });
    expect(s.totals.emails.sent).toBe((25 * 26) / 2);
  });

  it('groups by tag from the tags\' own rows, and reads the totals from every email\'s', async () => {
    const p = project();
    const h = '2025-01-10T10:00:00Z';
    // Three emails: one tagged a and b, one tagged a, one untagged.
    await insertHourly(db(), [
      { project_id: p, hour: h, tag: '', sent: 3 },
      { project_id: p, hour: h, tag: 'a', sent: 2 },
      { project_id: p, hour: h, tag: 'b', sent: 1 },
    ]);
    const s = await readStats(db(), p, { from: h, to: '2025-01-10T11:00:00Z', group_by: 'tag' });
    expect(s.groups!.map((g) => [g.key, g.totals.emails.sent])).toEqual([['a', 2], ['b', 1]]);
    expect(s.totals.emails.sent).toBe(3);
    expect(s.notes.join(' ')).toMatch(/several tags/);
  });

  it('cuts days at local midnight: America/New_York on either side of midnight and across the March change to daylight time', async () => {
    const p = project();
    await insertHourly(db(), [
      // 23:00 and 00:00 in New York (EST, UTC-5) on the night of 7 to 8 March 2025.
      { project_id: p, hour: '2025-03-08T04:00:00Z', sent: 1 },
      { project_id: p, hour: '2025-03-08T05:00:00Z', sent: 2 },
      // 9 March lasts 23 hours: 23:00 EDT is 03:00Z on the 10th, 00:00 EDT on the 10th is 04:00Z.
      { project_id: p, hour: '2025-03-10T03:00:00Z', sent: 4 },
      { project_id: p, hour: '2025-03-10T04:00:00Z', sent: 8 },
    ]);
    const s = await readStats(db(), p, { from: '2025-03-07T12:00:00-05:00', to: '2025-03-10T12:00:00-04:00', tz: 'America/New_York', granularity: 'day' });
    expect(s.period).toEqual({ from: '2025-03-07T00:00:00-05:00', to: '2025-03-11T00:00:00-04:00', granularity: 'day', tz: 'America/New_York' });
    expect(seriesPoints(s.series).map((pt) => [pt.start, pt.emails.sent])).toEqual([
      ['2025-03-07T00:00:00-05:00', 1],
      ['2025-03-08T00:00:00-05:00', 2],
      ['2025-03-09T00:00:00-05:00', 4],
      ['2025-03-10T00:00:00-04:00', 8],
    ]);
    // In UTC the same hours fall on other days.
    const utc = await readStats(db(), p, { from: '2025-03-07T00:00:00Z', to: '2025-03-11T00:00:00Z', granularity: 'day' });
    expect(seriesPoints(utc.series).map((pt) => [pt.start, pt.emails.sent])).toEqual([
      ['2025-03-07T00:00:00Z', 0], ['2025-03-08T00:00:00Z', 3], ['2025-03-09T00:00:00Z', 0], ['2025-03-10T00:00:00Z', 12],
    ]);
  });

  it('gives an hour to the day its start falls in where the offset is not whole hours (Asia/Kolkata, +05:30), and says so', async () => {
    const p = project();
    await insertHourly(db(), [
      // 18:00Z starts at 23:30 on the 9th in Kolkata, 19:00Z at 00:30 on the 10th.
      { project_id: p, hour: '2025-01-09T18:00:00Z', sent: 1 },
      { project_id: p, hour: '2025-01-09T19:00:00Z', sent: 2 },
    ]);
    const s = await readStats(db(), p, { from: '2025-01-09T00:00:00+05:30', to: '2025-01-11T00:00:00+05:30', tz: 'Asia/Kolkata', granularity: 'day' });
    expect(seriesPoints(s.series).map((pt) => [pt.start, pt.emails.sent])).toEqual([['2025-01-09T00:00:00+05:30', 1], ['2025-01-10T00:00:00+05:30', 2]]);
    expect(s.notes.join(' ')).toMatch(/from 00:30 to 00:30/);
  });

  it('widens the period to whole buckets and defaults to the last 7 days, in days', async () => {
    const p = project();
    const now = new Date('2025-05-20T15:42:00Z');
    await insertHourly(db(), [{ project_id: p, hour: '2025-05-13T00:00:00Z', sent: 1 }, { project_id: p, hour: '2025-05-20T15:00:00Z', sent: 2 }]);
    const s = await readStats(db(), p, {}, now);
    expect(s.period).toEqual({ from: '2025-05-13T00:00:00Z', to: '2025-05-21T00:00:00Z', granularity: 'day', tz: 'UTC' });
    expect(seriesPoints(s.series)).toHaveLength(8);
    expect(s.totals.emails.sent).toBe(3);
    // Given an end only, the 7 days before it.
    const before = await readStats(db(), p, { to: '2025-05-14T00:00:00Z' }, now);
    expect(before.period).toMatchObject({ from: '2025-05-07T00:00:00Z', to: '2025-05-14T00:00:00Z', granularity: 'day' });
    expect(before.totals.emails.sent).toBe(1);
    const hourly = await readStats(db(), p, { from: '2025-05-20T13:30:00Z', granularity: 'hour' }, now);
    expect(seriesPoints(hourly.series).map((pt) => pt.start)).toEqual(['2025-05-20T13:00:00Z', '2025-05-20T14:00:00Z', '2025-05-20T15:00:00Z']);
  });

  it('refuses what it cannot answer: an unknown time zone or provider, from after to, too many buckets, a malformed campaign id or timestamp', async () => {
    const p = project();
    const refusal = (q: Parameters<typeof readStats>[2]) => errorOf(readStats(db(), p, q, new Date('2025-05-20T00:00:00Z')));
    expect(await refusal({ tz: 'Mars/Olympus' })).toMatchObject({ code: 'validation_error', message: expect.stringMatching(/IANA time zone/) });
    // A POSIX zone PostgreSQL would read with its sign reversed.
    expect(await refusal({ tz: 'UTC+5' })).toMatchObject({ code: 'validation_error' });
    expect(await refusal({ tz: 'EST5EDT' })).toMatchObject({ code: 'validation_error' });
    expect(await refusal({ provider: 'hotmail' })).toMatchObject({ message: expect.stringMatching(/gmail, microsoft, yahoo, apple, other/) });
    expect(await refusal({ from: '2025-05-02T00:00:00Z', to: '2025-05-01T00:00:00Z' })).toMatchObject({ message: expect.stringMatching(/after/) });
    expect(await refusal({ from: '2025-05-01T00:00:00Z', to: '2025-05-01T00:00:00Z' })).toMatchObject({ message: expect.stringMatching(/after/) });
    expect(await refusal({ from: '2025-01-01T00:00:00Z', to: '2025-05-01T00:00:00Z', granularity: 'hour' })).toMatchObject({ message: expect.stringMatching(/at most 2,200/) });
    expect(await refusal({ from: '2025-01-01T00:00:00Z', to: '2025-03-01T00:00:00Z', granularity: 'hour', group_by: 'provider' })).toMatchObject({ message: expect.stringMatching(/at most 744/) });
    expect(await refusal({ campaign_id: 'nope' })).toMatchObject({ message: expect.stringMatching(/campaign_id/) });
    expect(await refusal({ from: '2025-05-01' })).toMatchObject({ message: expect.stringMatching(/ISO 8601/) });
    expect(await refusal({ from: '2025-05-01T00:00:00' })).toMatchObject({ message: expect.stringMatching(/ISO 8601/) });
    // 2,200 hourly buckets exactly is allowed.
    const most = await readStats(db(), p, { from: '2025-01-01T00:00:00Z', to: new Date(Date.parse('2025-01-01T00:00:00Z') + 2_200 * 3_600_000).toISOString(), granularity: 'hour' });
    expect(seriesPoints(most.series)).toHaveLength(2_200);
  });

  it('reads a campaign over its life: totals per provider, a series, and clients', async () => {
    const p = project();
    await insertHourly(db(), [
      { project_id: p, hour: '2025-02-01T10:00:00Z', campaign_id: C1, provider: 'gmail', sent: 4, delivered: 4, openers: 2 },
      { project_id: p, hour: '2025-02-02T10:00:00Z', campaign_id: C1, provider: 'microsoft', sent: 2, delivered: 1, clickers: 1 },
      { project_id: p, hour: '2025-02-02T10:00:00Z', campaign_id: C2, provider: 'microsoft', sent: 100 },
      { project_id: OTHER_P, hour: '2025-02-02T10:00:00Z', campaign_id: C1, provider: 'microsoft', sent: 100 },
    ]);
    await insertMachine(db(), [{ project_id: p, hour: '2025-02-01T10:00:00Z', campaign_id: C1, provider: 'apple', kind: 'open', why: 'apple_mpp', n: 2 }]);
    await db().insertInto('stats_clients').values([
      { project_id: p, campaign_id: C1, day: '2025-02-01', kind: 'open', client: 'Apple Mail', os: 'iOS', device: 'mobile', n: 3 },
      { project_id: p, campaign_id: C1, day: '2025-02-02', kind: 'open', client: 'Apple Mail', os: 'iOS', device: 'mobile', n: 2 },
      { project_id: p, campaign_id: C1, day: '2025-02-02', kind: 'open', client: 'Gmail', os: 'Android', device: 'mobile', n: 9 },
      { project_id: p, campaign_id: C1, day: '2025-02-02', kind: 'click', client: 'Chrome', os: 'Windows', device: 'desktop', n: 1 },
    ]).execute();
    const r = await readCampaignRollups(db(), p, C1, {}, { from: new Date('2025-02-01T09:30:00Z'), to: new Date('2025-02-03T09:00:00Z') });
    expect(r.totals.counters).toMatchObject({ sent: 6, delivered: 5, openers: 2, clickers: 1 });
    expect(r.totals.byWhy).toEqual({ opens: { apple_mpp: 2 }, clicks: {} });
    expect(r.providers.map((x) => [x.provider, x.emails.sent, x.rates.delivery])).toEqual([
      ['gmail', 4, 1], ['microsoft', 2, 0.5], ['yahoo', 0, null], ['apple', 0, null], ['other', 0, null],
    ]);
    expect(r.providers[3]!.machine_by_why.opens).toEqual({ apple_mpp: 2 });
    // A life of under 3 days: hours, from the one of its creation.
    expect(r.period).toMatchObject({ from: '2025-02-01T09:00:00Z', to: '2025-02-03T09:00:00Z', granularity: 'hour' });
    expect(seriesPoints(r.series)).toHaveLength(48);
    expect(seriesPoints(r.series)[1]).toMatchObject({ start: '2025-02-01T10:00:00Z', emails: { sent: 4 } });
    expect(r.clients).toEqual({
      opens: [{ client: 'Gmail', os: 'Android', device: 'mobile', count: 9 }, { client: 'Apple Mail', os: 'iOS', device: 'mobile', count: 5 }],
      clicks: [{ client: 'Chrome', os: 'Windows', device: 'desktop', count: 1 }],
    });
    // A longer life is cut in days; an old campaign shows its latest 2,200 buckets.
    const long = await readCampaignRollups(db(), p, C1, {}, { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-02-03T09:00:00Z') });
    expect(long.period).toMatchObject({ from: '2025-01-01T00:00:00Z', to: '2025-02-04T00:00:00Z', granularity: 'day' });
    const ancient = await readCampaignRollups(db(), p, C1, { granularity: 'hour' }, { from: new Date('2020-01-01T00:00:00Z'), to: new Date('2025-02-03T09:00:00Z') });
    expect(seriesPoints(ancient.series).length).toBeLessThanOrEqual(2_200);
    expect(seriesPoints(ancient.series).at(-1)!.start).toBe('2025-02-03T08:00:00Z');
    expect(ancient.totals.counters.sent).toBe(6);
  });

  it('reads only the rows of its range: the project, tag and hours on the primary key, a campaign on its index', async () => {
    const p = project();
    const base = Date.parse('2025-01-01T00:00:00Z');
    const rows = [];
    // 60 days x 24 hours x 5 providers of the project, and as many of another project's tag.
    for (let h = 0; h < 60 * 24; h++) {
      for (const provider of ['gmail', 'microsoft', 'yahoo', 'apple', 'other']) {
        rows.push({ project_id: p, hour: new Date(base + h * 3_600_000), campaign_id: h < 720 ? C3 : C4, provider, sent: 1 });
        rows.push({ project_id: p, hour: new Date(base + h * 3_600_000), tag: 'x', provider, sent: 1 });
      }
    }
    await insertHourly(db(), rows);
    await insertMachine(db(), rows.map(({ sent: _, ...key }) => ({ ...key, kind: 'open' as const, why: 'scanner', n: 1 })));
    const week = { start: new Date(base + 10 * 86_400_000), end: new Date(base + 17 * 86_400_000) };
    const explain = async (statement: { compile: unknown }) => {
      const [row] = (await sql<{ 'QUERY PLAN': unknown }>`EXPLAIN (ANALYZE, FORMAT JSON) ${statement as ReturnType<typeof sql>}`.execute(db())).rows;
      return mostRowsReadByANode(row!['QUERY PLAN']);
    };
    const daily = { granularity: 'day' as const, tz: 'America/New_York' };
    // PGlite has no autovacuum: the plans must hold with and without statistics.
    for (const state of ['no statistics', 'ANALYZE'] as const) {
      if (state === 'ANALYZE') await sql`ANALYZE stats_hourly; ANALYZE stats_machine_hourly`.execute(db());
      // A week of the project's hours, by provider and day: the week's rows, not the 60 days' nor the tag's.
      expect(await explain(countersStatement({ projectId: p, hours: week }, { by: 'provider', buckets: daily })), state).toBeLessThanOrEqual(7 * 24 * 5);
      expect(await explain(machineStatement({ projectId: p, hours: week }, { by: 'provider', buckets: daily })), state).toBeLessThanOrEqual(7 * 24 * 5);
      // A campaign's whole life, or a week of it: its rows only.
      expect(await explain(countersStatement({ projectId: p, campaignId: C4 }, { by: 'provider' })), state).toBeLessThanOrEqual(720 * 5);
      expect(await explain(machineStatement({ projectId: p, campaignId: C4 }, { by: 'provider' })), state).toBeLessThanOrEqual(720 * 5);
      expect(await explain(countersStatement({ projectId: p, campaignId: C4, hours: week }, { buckets: daily })), state).toBeLessThanOrEqual(720 * 5);
    }
    const sums = await sumCounters(db(), { projectId: p, hours: week }, { by: 'provider' });
    // Each row's sums come as [counter index, sum] pairs, zeros left out.
    const sentOf = (pairs: number[]) => {
      const k = pairs.findIndex((v, i) => i % 2 === 0 && SUMMED_COUNTERS[v] === 'sent');
      return k < 0 ? 0 : pairs[k + 1];
    };
    expect(sums.map((r) => sentOf(r.sums))).toEqual([168, 168, 168, 168, 168]);
  });
});
