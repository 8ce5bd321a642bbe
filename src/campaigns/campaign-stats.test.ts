// GET /v1/campaigns/:id/stats on PGlite and PostgreSQL: counted engagement next to machine traffic, and
// the rates. Engagement comes from the rollups: each read first brings them up to date, as the
// scheduler role does within a second.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/test-app.ts';
import { expandAllCampaigns } from '../../test/support/expand-campaigns.ts';
import { STORE_KINDS } from '../../test/support/test-store.ts';
import { appendEvents, reclassifiedEvent, type NewEvent } from '../events/index.ts';
import { rollUpNow } from '../../test/support/roll-up.ts';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const hit = (counted: boolean, extra: Record<string, unknown> = {}) => ({ ua: CHROME, ip: '203.0.113.7', method: 'GET', counted, ...extra });

describe.each(STORE_KINDS)('campaign stats on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  async function campaignWith(n: number): Promise<{ id: string; emails: string[] }> {
    const recipients = Array.from({ length: n }, (_, i) => ({ email: `r${i}@example.org` }));
    const res = await t.app.inject({ method: 'POST', url: '/v1/campaigns', headers: t.auth, payload: { name: 'Stats', from: 'news@shop.example', subject: 'Hi', html: '<p>Hi</p>', recipients } });
    const id = res.json().id as string;
    await expandAllCampaigns(t.store.db);
    const rows = await t.store.db.selectFrom('emails').select(['id', 'to_address']).where('campaign_id', '=', id).execute();
    const byAddress = new Map(rows.map((r) => [r.to_address, r.id]));
    return { id, emails: recipients.map((r) => byAddress.get(r.email)!) };
  }
  const stats = async (id: string) => {
    await rollUpNow(t.store.db);
    return (await t.app.inject({ url: `/v1/campaigns/${id}/stats`, headers: t.auth })).json();
  };

  it('counts people, shows machine traffic beside them, and gives every rate over its denominator', async () => {
    const { id, emails: e } = await campaignWith(10);
    await sql`UPDATE emails SET status = 'delivered' WHERE campaign_id = ${id}`.execute(t.store.db);
    await sql`UPDATE emails SET status = 'bounced' WHERE id IN (${e[8]}, ${e[9]})`.execute(t.store.db);
    const ev = (i: number, type: NewEvent['type'], metadata: Record<string, unknown> = {}): NewEvent => ({ projectId: t.projectId, emailId: e[i]!, type, metadata });
    await appendEvents(t.store.db, [
      ev(0, 'open', hit(true)), ev(0, 'open', hit(false, { why: 'coalesced' })), ev(0, 'reply'),
      ev(1, 'open', hit(false, { ua: 'Mozilla/5.0', ip: '172.224.224.3', why: 'apple_mpp' })),
      ev(1, 'click', hit(true, { url: 'https://shop.example/a' })), ev(1, 'open', hit(true, { backfilled: true })),
      ev(2, 'open', hit(false, { ip: '40.107.1.2', why: 'network' })), ev(2, 'click', hit(false, { ip: '40.107.1.2', why: 'network', url: 'https://shop.example/a' })),
      ev(3, 'open', hit(true)), ev(3, 'open', hit(true)), ev(3, 'click', hit(true, { url: 'https://shop.example/a' })), ev(3, 'click', hit(true, { url: 'https://shop.example/b' })),
      ev(4, 'reply'), ev(5, 'reply', { auto: true }),
      ev(6, 'complaint'), ev(6, 'unsubscribe'), ev(7, 'unsubscribe'),
      ev(8, 'bounced', { bounce_type: 'hard', reason: 'unknown_user' }), ev(9, 'bounced', { bounce_type: 'soft', reason: 'mailbox_full' }),
    ]);

    const s = await stats(id);
    expect(s.counts).toMatchObject({ delivered: 8, bounced: 2, total: 10 });
    expect(s.engagement).toEqual({
      opens: { unique: 3, total: 4, backfilled: 1 },
      clicks: { unique: 2, total: 3 },
      machine: { opens: { apple_mpp: 1, network: 1 }, clicks: { network: 1 } },
      coalesced: { opens: 1, clicks: 0 },
      replies: { human: 2, repliers: 2, auto: 1 },
      complaints: 1,
      unsubscribes: 2,
      bounces: { total: 2, hard: 1, soft: 1 },
    });
    expect(s.rates).toEqual({
      delivery: 0.8, open: 0.375, click_to_open: 0.6667, click_through: 0.25, reply: 0.25,
      bounce: 0.2, bounce_hard: 0.1, bounce_soft: 0.1, complaint: 0.125, unsubscribe: 0.25,
    });
    expect(s.notes.join(' ')).toMatch(/lower bound/);
  });

  it('documents each rate in the OpenAPI document with a formula over the response that gives its value', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    const documented = doc.paths['/v1/campaigns/{id}/stats'].get.responses['200'].content['application/json'].schema.properties.rates.properties as Record<string, { description?: string }>;
    // Numerators that differ from their look-alikes: two replies from one email, two opens of one, a click that back-filled its open.
    const { id, emails: e } = await campaignWith(6);
    await sql`UPDATE emails SET status = CASE WHEN id = ${e[4]} THEN 'sent' WHEN id = ${e[5]} THEN 'bounced' ELSE 'delivered' END WHERE campaign_id = ${id}`.execute(t.store.db);
    const ev = (i: number, type: NewEvent['type'], metadata: Record<string, unknown> = {}): NewEvent => ({ projectId: t.projectId, emailId: e[i]!, type, metadata });
    await appendEvents(t.store.db, [
      ev(0, 'open', hit(true)), ev(0, 'open', hit(true)), ev(0, 'reply'), ev(0, 'reply'),
      ev(1, 'click', hit(true, { url: 'https://shop.example/a' })), ev(1, 'open', hit(true, { backfilled: true })),
      ev(2, 'complaint'), ev(3, 'unsubscribe'), ev(5, 'bounced', { bounce_type: 'hard', reason: 'unknown_user' }),
    ]);
    const s = await stats(id);
    expect(Object.keys(documented).sort()).toEqual(Object.keys(s.rates).sort());

    const valueOf = (expression: string) =>
      expression.replace(/[()]/g, '').split(' + ').reduce((sum, path) => sum + path.split('.').reduce((node, key) => node[key], s), 0);
    const recomputed = Object.fromEntries(
      Object.keys(s.rates).map((name) => {
        const formula = /^(\S+) \/ (\S+|\([^)]+\)):/.exec(documented[name]!.description ?? '');
        if (!formula) return [name, `no formula in: ${documented[name]!.description}`];
        const denominator = valueOf(formula[2]!);
        return [name, denominator > 0 ? Math.round((valueOf(formula[1]!) / denominator) * 10_000) / 10_000 : null];
      }),
    );
    expect(recomputed).toEqual(s.rates);
    expect(s.rates).toMatchObject({ delivery: 0.6667, open: 0.5, reply: 0.25, bounce: 0.1667, click_to_open: 0.5 });
  });

  it('gives no rate for a campaign that has sent nothing yet, rather than dividing by zero', async () => {
    const { id } = await campaignWith(2);
    const s = await stats(id);
    expect(s.counts).toMatchObject({ queued: 2 });
    expect(Object.values(s.rates).every((r) => r === null)).toBe(true);
    expect(s.engagement.opens).toEqual({ unique: 0, total: 0, backfilled: 0 });
  });

  it('follows what comes later: opens re-judged a scanner, a back-filled open withdrawn, a late bounce', async () => {
    const { id, emails: e } = await campaignWith(3);
    await sql`UPDATE emails SET status = 'delivered' WHERE campaign_id = ${id}`.execute(t.store.db);
    const ev = (i: number, type: NewEvent['type'], metadata: Record<string, unknown> = {}): NewEvent => ({ projectId: t.projectId, emailId: e[i]!, type, metadata });
    await appendEvents(t.store.db, [ev(0, 'open', hit(true, { backfilled: true })), ev(1, 'open', hit(true)), ev(1, 'open', hit(true))]);
    expect((await stats(id)).engagement.opens).toEqual({ unique: 2, total: 3, backfilled: 1 });

    // A burst shows email 1's opens to be a scanner's: the recorder appends verdicts that supersede them.
    const opens = await t.store.db.selectFrom('events').select(['id', 'email_id']).where('email_id', 'in', [e[0]!, e[1]!]).where('event_type', '=', 'open').orderBy('id').execute();
    const supersede = (o: { id: number; email_id: string }, why: string) =>
      reclassifiedEvent({ eventId: Number(o.id), projectId: t.projectId, emailId: o.email_id, kind: 'open' }, { counted: false, why });
    await appendEvents(t.store.db, opens.filter((o) => o.email_id === e[1]).map((o) => supersede(o, 'scanner')));
    let s = await stats(id);
    expect(s.engagement.opens).toEqual({ unique: 1, total: 1, backfilled: 1 });
    expect(s.engagement.machine.opens).toEqual({ scanner: 2 });

    // Reclassify withdraws email 0's back-filled open (it counts nowhere); a bounce report moves a status.
    await appendEvents(t.store.db, opens.filter((o) => o.email_id === e[0]).map((o) => supersede(o, 'backfill_withdrawn')));
    await sql`UPDATE emails SET status = 'bounced' WHERE id = ${e[2]}`.execute(t.store.db);
    await appendEvents(t.store.db, [ev(2, 'bounced', { bounce_type: 'hard', reason: 'unknown_user' })]);
    s = await stats(id);
    expect(s.engagement.opens).toEqual({ unique: 0, total: 0, backfilled: 0 });
    expect(s.engagement.machine.opens).toEqual({ scanner: 2 });
    expect(s.engagement.bounces).toEqual({ total: 1, hard: 1, soft: 0 });
    expect(s.counts).toMatchObject({ delivered: 2, bounced: 1, total: 3 });
  });
});
