// Retention deletes no event that some reader of the log has not read: the slowest reader is the
// one whose position is least in the log's order (transaction id, then event id), compared as
// numbers. As text, a reader at transaction 999 would look ahead of one at 1000.
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import { slowestLogReader } from './retention.repository.ts';

describe.each(STORE_KINDS)('the slowest reader of the log on %s', (kind) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('is the one at the least transaction id, compared as a number', async () => {
    store = await createTestStore(kind);
    await sql`DELETE FROM rollup_cursors`.execute(store.db);
    await sql`INSERT INTO rollup_cursors (name, txid, event_id) VALUES ('stats', '1000'::xid8, 5), ('webhooks', '999'::xid8, 7), ('alerts', '1000'::xid8, 3)`.execute(store.db);
    expect(await slowestLogReader(store.db)).toEqual({ txid: '999', id: 7 });
    await sql`UPDATE rollup_cursors SET txid = '1001'::xid8 WHERE name = 'webhooks'`.execute(store.db);
    expect(await slowestLogReader(store.db)).toEqual({ txid: '1000', id: 3 });
  });
});
