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

  it.each(['pglite', 'postgres'] as const)('keeps on %s the status counters of 008 and drops its engagement counting (014)', async (kind) => {
    store = await createTestStore(kind);
    const tables = await sql<{ name: string }>`
      SELECT table_name AS name FROM information_schema.tables WHERE table_name IN ('campaign_counters', 'email_engagement') ORDER BY 1
    `.execute(store.db);
    expect(tables.rows.map((r) => r.name)).toEqual(['campaign_counters']);
    const triggers = await sql<{ name: string }>`
      SELECT DISTINCT trigger_name AS name FROM information_schema.triggers WHERE event_object_table = 'events' ORDER BY 1
    `.execute(store.db);
    expect(triggers.rows.map((r) => r.name)).toEqual(['events_append_only']);
  });

  it('fills the project-wide rollups (016) from what was folded before it', async () => {
    store = await createTestStore('postgres');
    const p = '00000000-0000-7000-8000-000000000016';
    const hour = new Date('2025-01-10T10:00:00Z');
    const row = { project_id: p, hour, tag: '', provider: 'gmail' };
    await store.db.insertInto('stats_hourly').values([
      { ...row, campaign_id: '00000000-0000-0000-0000-000000000001', sending_domain: 'a.example', sent: 3, openers: 1 },
      { ...row, campaign_id: '00000000-0000-0000-0000-000000000002', sending_domain: 'b.example', sent: 4 },
      { ...row, provider: 'yahoo', campaign_id: '00000000-0000-0000-0000-000000000002', sending_domain: 'b.example', sent: 5 },
    ]).execute();
    await store.db.insertInto('stats_machine_hourly').values([
      { ...row, campaign_id: '00000000-0000-0000-0000-000000000001', sending_domain: 'a.example', kind: 'open', why: 'apple_mpp', n: 2 },
      { ...row, campaign_id: '00000000-0000-0000-0000-000000000002', sending_domain: 'b.example', kind: 'open', why: 'apple_mpp', n: 5 },
    ]).execute();
    // A database that had 014 and not 016.
    await sql`DROP TABLE stats_project_hourly; DROP TABLE stats_machine_project_hourly`.execute(store.db);
    await sql`DELETE FROM kysely_migration WHERE name = '016-project-rollups'`.execute(store.db);

    expect(await migrateToLatest(store.db)).toEqual(['016-project-rollups']);
    const sums = await store.db.selectFrom('stats_project_hourly').select(['provider', 'sent', 'openers']).where('project_id', '=', p).orderBy('provider').execute();
    expect(sums.map((r) => [r.provider, Number(r.sent), Number(r.openers)])).toEqual([['gmail', 7, 1], ['yahoo', 5, 0]]);
    const machine = await store.db.selectFrom('stats_machine_project_hourly').select(['why', 'n']).where('project_id', '=', p).execute();
    expect(machine.map((r) => [r.why, Number(r.n)])).toEqual([['apple_mpp', 7]]);
  });
});
