import { afterEach, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../test/support/test-store.ts';
import { clickHit, createEmails, openHit } from '../../test/support/tracking-fixtures.ts';
import { startCommitThread, type CommitThread } from './commit-thread-client.ts';
import { hitToJson, type RecordedHit } from './recorded-hit.ts';

const lines = (hits: RecordedHit[]) => hits.map(hitToJson);

describe('the tracking commit thread (PostgreSQL)', () => {
  let store: TestStore | undefined;
  let thread: CommitThread | undefined;
  afterEach(async () => {
    await thread?.close();
    await store?.close();
    thread = store = undefined;
  });

  it('classifies and stores batches in order on its own connections, like an in-process commit', async () => {
    store = await createTestStore('postgres');
    const [a, b] = (await createEmails(store.db, 2)).emailIds as [string, string];
    thread = await startCommitThread({ databaseUrl: store.url! });
    const first = [openHit(a), clickHit(a, 'https://shop.example/'), openHit(b, { method: 'HEAD' })];
    expect(await thread.commit(lines(first))).toEqual({ stored: 3, unknownEmail: 0, duplicate: 0 });
    // The same hits again (a replay after a timed-out commit) are recognised, not stored twice.
    expect(await thread.commit(lines([first[0]!, openHit('00000000-0000-4000-8000-000000000000')]))).toEqual({ stored: 0, unknownEmail: 1, duplicate: 1 });
    const events = await store.db.selectFrom('events').select(['email_id', 'event_type', 'metadata'])
      .where('event_type', 'in', ['open', 'click']).orderBy('id').execute();
    expect(events.map((e) => [e.email_id, e.event_type, (e.metadata as { counted: boolean }).counted])).toEqual([
      [a, 'open', true], [a, 'click', true], [b, 'open', false],
    ]);
  });

  it('a commit the database refuses rejects with its error, so the hits stay in the spool', async () => {
    store = await createTestStore('postgres');
    const url = new URL(store.url!);
    url.pathname = '/no_such_database_here';
    thread = await startCommitThread({ databaseUrl: url.toString() });
    await expect(thread.commit(lines([openHit('00000000-0000-4000-8000-000000000000')]))).rejects.toThrow(/no_such_database_here/);
  });
});
