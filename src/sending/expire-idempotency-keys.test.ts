import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import { eventually } from '../../test/support/test-worker.ts';
import { newId } from '../shared/ids.ts';
import { startIdempotencyKeyExpiry } from './expire-idempotency-keys.ts';

describe.each(STORE_KINDS)('idempotency key expiry on %s', (kind) => {
  let store: TestStore;
  afterEach(async () => store?.close());

  it('deletes every key older than a day, in batches, and keeps the others', async () => {
    store = await createTestStore(kind);
    const project = newId();
    // More than one batch of expired keys, and fresh ones beside them (one just inside the day).
    await sql`INSERT INTO idempotency_keys (project_id, key, request_hash, response, created_at)
      SELECT ${project}, 'old-' || g, 'h', '{}'::jsonb, now() - interval '25 hours' - g * interval '1 second' FROM generate_series(1, 2500) g`.execute(store.db);
    await sql`INSERT INTO idempotency_keys (project_id, key, request_hash, response, created_at)
      VALUES (${project}, 'new-1', 'h', '{}', now()), (${project}, 'new-2', 'h', '{}', now() - interval '23 hours')`.execute(store.db);
    const keys = async () => (await store.db.selectFrom('idempotency_keys').select('key').orderBy('key').execute()).map((r) => r.key);
    const expiry = startIdempotencyKeyExpiry({ db: store.db, intervalMs: 60_000 });
    try {
      await eventually(async () => ((await keys()).length === 2 ? true : undefined));
      expect(await keys()).toEqual(['new-1', 'new-2']);
    } finally {
      await expiry.stop();
    }
  });
});
