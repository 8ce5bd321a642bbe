// Notifications between processes: what wakes workers and live streams.
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestStore, type TestStore } from '../../test/support/test-store.ts';
import { notify } from './open-store.ts';

const waitFor = async (check: () => boolean, ms = 5000) => {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return check();
};

describe('notifications on PostgreSQL', () => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('a listener whose connection the server dropped reconnects, says so, and hears later notifications', async () => {
    store = await createTestStore('postgres');
    const heard: string[] = [];
    const unlisten = await store.notifier.listen('sendtrail_test_channel', (payload) => heard.push(payload));
    await notify(store.db, 'sendtrail_test_channel', 'before');
    expect(await waitFor(() => heard.includes('before'))).toBe(true);

    // The server ends the listening connection (a restart, a failover, an idle timeout).
    const { rows } = await sql<{ n: number }>`
      SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND query LIKE 'LISTEN %sendtrail_test_channel%'
    `.execute(store.db);
    expect(rows[0]!.n).toBe(1);
    // Reconnected: the listener is told once (notifications may have been lost meanwhile) ...
    expect(await waitFor(() => heard.includes(''))).toBe(true);
    // ... and hears what comes next.
    await notify(store.db, 'sendtrail_test_channel', 'after');
    expect(await waitFor(() => heard.includes('after'))).toBe(true);
    await unlisten();
  });
});

describe('notifications on PGlite', () => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  // One process holds every role on the embedded database: a live stream starts listening while
  // the worker's statements run. A LISTEN sent beside the pool's one connection could land inside
  // another caller's open transaction and vanish with its rollback (or slip between a statement's
  // parse and execute: "unnamed prepared statement does not exist").
  it('a listener added during another caller\'s transaction that rolls back still hears what follows', async () => {
    store = await createTestStore('pglite');
    const db = store.db;
    const heard: string[] = [];
    let listening: Promise<() => Promise<void>> | undefined;
    await db
      .transaction()
      .execute(async (trx) => {
        await sql`SELECT 1`.execute(trx);
        listening = store!.notifier.listen('sendtrail_test_channel', (payload) => heard.push(payload));
        await new Promise((r) => setTimeout(r, 50));
        throw new Error('rolled back on purpose');
      })
      .catch(() => {});
    const unlisten = await listening!;
    await notify(db, 'sendtrail_test_channel', 'after');
    expect(await waitFor(() => heard.includes('after'), 2000)).toBe(true);
    // Another listener on the same channel, and one gone: each hears exactly what it should.
    const second: string[] = [];
    const unlistenSecond = await store.notifier.listen('sendtrail_test_channel', (payload) => second.push(payload));
    await unlisten();
    await notify(db, 'sendtrail_test_channel', 'later');
    expect(await waitFor(() => second.includes('later'), 2000)).toBe(true);
    expect(heard).toEqual(['after']);
    await unlistenSecond();
  });
});
