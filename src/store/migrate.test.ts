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
});
