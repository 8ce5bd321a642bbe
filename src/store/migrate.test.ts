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
});
