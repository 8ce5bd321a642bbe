import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import { mostRowsReadByANode } from '../../test/support/plan.ts';
import type { Database } from '../store/database.ts';
import { newId } from '../shared/ids.ts';
import { runWalkStatement, WALK_LIMIT } from '../store/bounded-walk.ts';
import { listEmails, pageStatement, type EmailFilter } from './list-emails.ts';

type Spec = { status: string; campaignId?: string | null; to?: string };

/** Inserts emails in the order given (oldest first) and returns their ids, oldest first. */
async function insert(db: Kysely<Database>, projectId: string, specs: Spec[]): Promise<string[]> {
  const ids = specs.map(() => newId()).sort();
  for (let i = 0; i < specs.length; i += 1000) {
    const chunk = specs.slice(i, i + 1000);
    await sql`
      INSERT INTO emails (id, project_id, campaign_id, from_address, to_address, status, priority, message_id)
      SELECT id, ${projectId}, campaign_id, 'shop@example.com', to_address, status, 1, '<' || id || '@example.com>'
      FROM unnest(${ids.slice(i, i + 1000)}::uuid[], ${chunk.map((s) => s.campaignId ?? null)}::uuid[],
                  ${chunk.map((s) => s.to ?? 'someone@example.org')}::text[], ${chunk.map((s) => s.status)}::text[])
        AS r(id, campaign_id, to_address, status)
    `.execute(db);
  }
  return ids;
}

async function newCampaign(db: Kysely<Database>, projectId: string): Promise<string> {
  const id = newId();
  await db.insertInto('campaigns').values({ id, project_id: projectId, name: 'c', from_address: 'shop@example.com', subject: 's', status: 'sending', track_opens: true, track_clicks: true, recipient_count: 0 }).execute();
  return id;
}

async function newProject(db: Kysely<Database>): Promise<string> {
  const id = newId();
  await db.insertInto('projects').values({ id, name: 'p' }).execute();
  return id;
}

/** Every page, following `next`, with the ids of each. */
async function allPages(db: Kysely<Database>, projectId: string, f: Omit<EmailFilter, 'before'>, walkLimit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let before: string | undefined;
  do {
    const page = await listEmails(db, projectId, { ...f, before }, walkLimit);
    pages.push(page.rows.map((r) => r.id));
    before = page.next ?? undefined;
    if (pages.length > 100) throw new Error('paging does not end');
  } while (before);
  return pages;
}

const newestFirst = (ids: string[]) => [...ids].reverse();

describe.each(STORE_KINDS)('the email log on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(async () => store?.close());

  it('follows short pages to every email of a status that no index holds, once each', async () => {
    const projectId = await newProject(store.db);
    const delivered = await insert(store.db, projectId, [{ status: 'delivered' }, { status: 'delivered' }, { status: 'delivered' }]);
    await insert(store.db, projectId, Array.from({ length: 20 }, () => ({ status: 'queued' })));
    const pages = await allPages(store.db, projectId, { status: 'delivered', limit: 2 }, 7);
    // 20 queued emails lie in front: reading 7 at a time, the first pages come back empty.
    expect(pages.slice(0, 2)).toEqual([[], []]);
    expect(pages.flat()).toEqual(newestFirst(delivered));
    expect(pages.every((p) => p.length <= 2)).toBe(true);
  });

  it("lists a campaign's emails newest first across their statuses, and filters them by status", async () => {
    const projectId = await newProject(store.db);
    const campaignId = await newCampaign(store.db, projectId);
    const statuses = ['delivered', 'bounced', 'queued', 'delivered', 'sent', 'failed', 'queued', 'delivered'];
    const ids = await insert(store.db, projectId, statuses.map((status) => ({ status, campaignId })));
    await insert(store.db, projectId, [{ status: 'delivered' }, { status: 'delivered', campaignId: await newCampaign(store.db, projectId) }]);
    expect((await allPages(store.db, projectId, { campaignId, limit: 3 }, 7)).flat()).toEqual(newestFirst(ids));
    const deliveredIds = ids.filter((_, i) => statuses[i] === 'delivered');
    expect((await allPages(store.db, projectId, { campaignId, status: 'delivered', limit: 2 }, 7)).flat()).toEqual(newestFirst(deliveredIds));
  });

  it("shows nothing of another project's campaign", async () => {
    const projectId = await newProject(store.db);
    const other = await newProject(store.db);
    const campaignId = await newCampaign(store.db, other);
    await insert(store.db, other, [{ status: 'delivered', campaignId }]);
    expect(await listEmails(store.db, projectId, { campaignId, limit: 10 })).toEqual({ rows: [], next: null });
  });

  it("checks status and campaign on a recipient's emails", async () => {
    const projectId = await newProject(store.db);
    const campaignId = await newCampaign(store.db, projectId);
    const ids = await insert(store.db, projectId, [
      { status: 'delivered', to: 'ann@example.org' },
      { status: 'delivered', to: 'bob@example.org' },
      { status: 'bounced', to: 'ann@example.org', campaignId },
      { status: 'delivered', to: 'ann@example.org', campaignId },
    ]);
    const list = async (f: Partial<EmailFilter>) => (await allPages(store.db, projectId, { to: 'ann@example.org', limit: 10, ...f }, 7)).flat();
    expect(await list({ status: 'delivered' })).toEqual([ids[3], ids[0]]);
    expect(await list({ campaignId })).toEqual([ids[3], ids[2]]);
    expect(await list({ campaignId, status: 'bounced' })).toEqual([ids[2]]);
    expect(await list({})).toEqual([ids[3], ids[2], ids[0]]);
  });

  it('reads a bounded number of emails per page, whatever the filter and the statistics, among 30,000 emails', async () => {
    const projectId = await newProject(store.db);
    const older = await newCampaign(store.db, projectId);
    const newer = await newCampaign(store.db, projectId);
    const [oldest] = await insert(store.db, projectId, [
      { status: 'bounced', campaignId: older, to: 'ann@example.org' },
      ...Array.from({ length: 10_000 }, (_, i) => ({ status: 'delivered', campaignId: older, to: i % 100 === 0 ? 'ann@example.org' : `r${i}@example.org` })),
    ]);
    await insert(store.db, projectId, Array.from({ length: 10_000 }, (_, i) => ({ status: 'queued', campaignId: newer, to: `q${i}@example.org` })));
    // Another project's newer emails lie in front of all of these in the primary key.
    const other = await newProject(store.db);
    await insert(store.db, other, Array.from({ length: 10_000 }, () => ({ status: 'delivered' })));
    const filters: Array<Partial<EmailFilter>> = [
      {}, { status: 'delivered' }, { status: 'sent' }, { status: 'queued' }, { status: 'bounced' },
      { campaignId: older }, { campaignId: older, status: 'delivered' }, { campaignId: older, status: 'bounced' }, { campaignId: newer, status: 'sent' },
      { to: 'ann@example.org' }, { to: 'ann@example.org', status: 'bounced' }, { before: oldest },
    ];
    // No statistics (a store just filled); statistics but no visibility map, where the planner likes
    // to read the primary key backwards and hope (an ANALYZE alone, as autovacuum may run on
    // PostgreSQL); and both (after PGlite's maintenance or a vacuum).
    for (const state of ['no statistics', 'ANALYZE', 'VACUUM ANALYZE'] as const) {
      if (state !== 'no statistics') await sql.raw(`${state} emails`).execute(store.db);
      for (const f of filters) {
        const { statement } = pageStatement(projectId, { limit: 50, ...f });
        const [plan] = await runWalkStatement(store.db, sql<{ 'QUERY PLAN': unknown }>`EXPLAIN (ANALYZE, FORMAT JSON) ${statement}`);
        const read = mostRowsReadByANode(plan!['QUERY PLAN']);
        expect(read, `rows read for ${JSON.stringify(f)}, ${state}`).toBeLessThanOrEqual(WALK_LIMIT);
      }
      // Where the page's emails are the newest, the read stops once the page is full (51: the page
      // and the email that says more follow; 52: the window function reads one row ahead), as
      // nothing sorts the walk.
      for (const f of [{}, { status: 'queued' }]) {
        const { statement } = pageStatement(projectId, { limit: 50, ...f });
        const [plan] = await runWalkStatement(store.db, sql<{ 'QUERY PLAN': unknown }>`EXPLAIN (ANALYZE, FORMAT JSON) ${statement}`);
        expect(mostRowsReadByANode(plan!['QUERY PLAN']), `rows read for ${JSON.stringify(f)}, ${state}`).toBeLessThanOrEqual(52);
      }
    }
    // The bounced email lies behind 30,000 others: the rare status's index finds it on the first page.
    expect((await listEmails(store.db, projectId, { status: 'bounced', limit: 50 })).rows.map((r) => r.id)).toEqual([oldest]);
  });
});
