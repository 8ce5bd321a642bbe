import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import { newId } from '../shared/ids.ts';
import { mostRowsReadByANode } from '../../test/support/plan.ts';
import { hasPendingEmails, listCampaigns, listCampaignsQuery } from './campaigns.repository.ts';
import { addressesWithEmails, addressesWithEmailsStatement } from './campaign-emails.repository.ts';

describe.each(STORE_KINDS)('campaign progress on %s', (kind) => {
  let store: TestStore;
  let projectId: string;
  beforeAll(async () => {
    store = await createTestStore(kind);
    projectId = newId();
    await store.db.insertInto('projects').values({ id: projectId, name: 'p' }).execute();
  });
  afterAll(async () => store?.close());

  const fill = (campaignId: string, count: number, status: string) => sql`
    INSERT INTO emails (id, project_id, campaign_id, from_address, to_address, status, priority, next_attempt_at, message_id)
    SELECT gen_random_uuid(), ${projectId}, ${campaignId}, 'shop@example.com', 'r' || g || '@example.org', ${status}, 1,
           ${status === 'queued' ? sql`now()` : sql`NULL`}, '<' || g || '@example.com>'
    FROM generate_series(1, ${count}) AS g`.execute(store.db);

  const newCampaign = async () => {
    const id = newId();
    await store.db.insertInto('campaigns').values({
      id, project_id: projectId, name: 'c', from_address: 'shop@example.com', subject: 's', status: 'sending',
      track_opens: true, track_clicks: true, recipient_count: 0,
    }).execute();
    return id;
  };

  it('tells a finished campaign from one with mail still queued without reading their emails, and checks an upload address by address, whatever the statistics', async () => {
    const finished = await newCampaign();
    await fill(finished, 10_000, 'delivered');
    const sending = await newCampaign();
    await fill(sending, 10_000, 'queued');
    const upload = Array.from({ length: 1000 }, (_, i) => (i < 10 ? `r${i + 1}@example.org` : `new${i}@example.org`));
    for (const state of ['no statistics', 'ANALYZE', 'VACUUM ANALYZE'] as const) {
      if (state !== 'no statistics') await sql.raw(`${state} emails`).execute(store.db);
      const pending = Object.fromEntries((await listCampaigns(store.db, projectId, { limit: 10 })).map((c) => [c.id, c.has_pending]));
      expect(pending, state).toEqual({ [finished]: false, [sending]: true });
      const plan = await listCampaignsQuery(store.db, projectId, { limit: 10 }).explain();
      expect(plan.map((r) => Object.values(r)[0]).join('\n'), state).not.toMatch(/ on emails\b/);
      // An upload of 1,000 addresses, 10 of them already in the campaign, is checked address by
      // address: a few rows read for each, not the project's 20,000 emails.
      expect([...(await addressesWithEmails(store.db, projectId, finished, upload))].sort(), state).toEqual(upload.slice(0, 10).sort());
      const [read] = (await sql<{ 'QUERY PLAN': unknown }>`EXPLAIN (ANALYZE, FORMAT JSON) ${addressesWithEmailsStatement(projectId, finished, upload)}`.execute(store.db)).rows;
      expect(mostRowsReadByANode(read!['QUERY PLAN']), state).toBeLessThanOrEqual(upload.length * 3);
    }
    // The last queued emails leave the queue: the campaign has nothing pending any more.
    await sql`UPDATE emails SET status = 'sent', next_attempt_at = NULL WHERE campaign_id = ${sending}`.execute(store.db);
    expect(await hasPendingEmails(store.db, sending)).toBe(false);
    await sql`UPDATE emails SET status = 'delivery_delayed' WHERE id = (SELECT id FROM emails WHERE campaign_id = ${sending} LIMIT 1)`.execute(store.db);
    expect(await hasPendingEmails(store.db, sending)).toBe(true);
  });
});
