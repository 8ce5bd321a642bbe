import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestStore, type TestStore } from '../../test/support/test-store.ts';
import { migrateToLatest } from './migrate.ts';

describe('migrateToLatest', () => {
  let store: TestStore | undefined;
  afterEach(async () => store?.close());

  it('applies a migration merged below one the database already ran (004-tracking after 005)', async () => {
    store = await createTestStore('postgres');
    // The database of a build that had 005 but not yet 004.
    await sql`DROP INDEX events_hit_id; ALTER TABLE events DROP COLUMN hit_id`.execute(store.db);
    await sql`DELETE FROM kysely_migration WHERE name = '004-tracking'`.execute(store.db);

    expect(await migrateToLatest(store.db)).toEqual(['004-tracking']);
    const column = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'hit_id'
    `.execute(store.db);
    expect(column.rows[0]!.n).toBe(1);
    expect(await migrateToLatest(store.db)).toEqual([]);
  });

  it.each(['pglite', 'postgres'] as const)('counts on %s what a database held before campaign counters (008)', async (kind) => {
    store = await createTestStore(kind);
    const db = store.db;
    await sql`DELETE FROM kysely_migration WHERE name = '008-campaign-counters'`.execute(db);
    await sql`
      DROP TABLE campaign_counters, email_engagement;
      DROP FUNCTION sendtrail_count_statuses, sendtrail_count_engagement CASCADE;
      DROP FUNCTION sendtrail_apply_engagement, sendtrail_add_counters;
    `.execute(db);
    const project = '00000000-0000-7000-8000-00000000000a';
    const campaign = '00000000-0000-7000-8000-00000000000b';
    await sql`INSERT INTO projects (id, name) VALUES (${project}, 'p')`.execute(db);
    await sql`
      INSERT INTO emails (id, project_id, campaign_id, from_address, to_address, status, priority, message_id)
      SELECT gen_random_uuid(), ${project}, ${campaign}, 'a@b.example', 'r' || g || '@c.example', CASE WHEN g <= 3 THEN 'delivered' ELSE 'queued' END, 1, 'm' || g
      FROM generate_series(1, 5) g
    `.execute(db);
    await sql`
      INSERT INTO events (project_id, email_id, event_type, metadata)
      SELECT project_id, id, 'open', '{"counted": true}'::jsonb FROM emails WHERE status = 'delivered'
      UNION ALL SELECT project_id, id, 'open', '{"counted": false, "why": "apple_mpp"}'::jsonb FROM emails WHERE status = 'delivered'
    `.execute(db);

    expect(await migrateToLatest(db)).toEqual(['008-campaign-counters']);
    const counters = await sql<{ counter: string; n: number }>`
      SELECT counter, n::int AS n FROM campaign_counters WHERE campaign_id = ${campaign} ORDER BY counter
    `.execute(db);
    expect(counters.rows).toEqual([
      { counter: 'openers', n: 3 },
      { counter: 'opens', n: 3 },
      { counter: 'status:delivered', n: 3 },
      { counter: 'status:queued', n: 2 },
      { counter: 'uncounted:open:apple_mpp', n: 3 },
    ]);
  });
});
