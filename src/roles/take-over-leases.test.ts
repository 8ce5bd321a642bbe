// When a process is found dead, everything it held a lease on is due again at once: the emails its
// worker was sending and the replies its inbound role was forwarding.
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import { newId } from '../shared/ids.ts';
import { claimDueForwards } from '../inbound/forward/reply-forwards.repository.ts';
import { startProcessHeartbeat } from '../processes/index.ts';
import { registerProcess } from '../processes/processes.repository.ts';
import { takeOverAllLeases } from './take-over-leases.ts';

const LOST_AFTER_MS = 15_000;
const info = (id: string) => ({ id, roles: ['inbound'], version: '9.9.9', host: 'mx', pid: 7, storeKind: 'postgres' as const });

describe.each(STORE_KINDS)('taking over a lost process\'s leases on %s', (kind) => {
  let store: TestStore;
  afterEach(async () => store?.close());

  async function pendingReplies(n: number): Promise<string[]> {
    const ids = Array.from({ length: n }, () => newId());
    await store.db.insertInto('inbound_messages').values(ids.map((id) => ({
      id, project_id: newId(), email_id: null, kind: 'reply', mail_from: 'reader@example.org', rcpt_to: ['sales@replies.example'],
      from_header: null, subject: null, content_hash: id, size_bytes: 10, error: null, raw: Buffer.from('reply'),
      forward_state: 'pending' as const, forward_next_at: new Date(Date.now() - 1000),
    }))).execute();
    return ids;
  }
  const forwards = () => store.db.selectFrom('inbound_messages').select(['forward_locked_by', 'forward_next_at']).execute();

  it('makes the reply forwards of a process whose heartbeat stopped due at once, and leaves a live one\'s alone', async () => {
    store = await createTestStore(kind);
    await pendingReplies(3);
    await registerProcess(store.db, info('dead'));
    await registerProcess(store.db, info('alive'));
    await claimDueForwards(store.db, 'dead', 2, 600_000);
    await claimDueForwards(store.db, 'alive', 1, 600_000);
    await sql`UPDATE processes SET heartbeat_at = now() - interval '1 minute' WHERE id = 'dead'`.execute(store.db);
    expect((await forwards()).filter((f) => f.forward_next_at!.getTime() <= Date.now())).toHaveLength(0);

    const me = await startProcessHeartbeat({ db: store.db, process: info('me'), heartbeatMs: 60_000, lostAfterMs: LOST_AFTER_MS, takeOverLeases: takeOverAllLeases });
    try {
      await me.beatNow();
      const after = await forwards();
      expect(after.map((f) => f.forward_locked_by).sort()).toEqual(['alive', null, null]);
      expect(after.filter((f) => f.forward_next_at!.getTime() <= Date.now())).toHaveLength(2);
      // The next claim, by a live process, gets them.
      expect(await claimDueForwards(store.db, 'me', 10, 600_000)).toHaveLength(2);
    } finally {
      await me.stop();
    }
  });

  it('on a database that admits one process, takes over at start every forward another process held', async () => {
    store = await createTestStore(kind);
    await pendingReplies(2);
    await registerProcess(store.db, info('before-the-crash'));
    await claimDueForwards(store.db, 'before-the-crash', 2, 600_000);
    const me = await startProcessHeartbeat({ db: store.db, process: info('after-the-restart'), heartbeatMs: 60_000, lostAfterMs: LOST_AFTER_MS, soleProcess: true, takeOverLeases: takeOverAllLeases });
    try {
      expect((await forwards()).map((f) => f.forward_locked_by)).toEqual([null, null]);
      expect(await claimDueForwards(store.db, 'after-the-restart', 10, 600_000)).toHaveLength(2);
    } finally {
      await me.stop();
    }
  });
});
