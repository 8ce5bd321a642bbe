import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import { newId } from '../shared/ids.ts';
import { PRIORITY } from '../sending/index.ts';
import { claimDueEmails, claimStatement, readQueueDepth, recordOutcomes } from './queue.repository.ts';

describe.each(STORE_KINDS)('delivery queue on %s', (kind) => {
  let store: TestStore;
  let projectId: string;
  beforeAll(async () => {
    store = await createTestStore(kind);
    projectId = newId();
    await store.db.insertInto('projects').values({ id: projectId, name: 'p' }).execute();
  });
  afterAll(async () => store?.close());

  async function enqueue(count: number, priority: number, dueInMs = -1000): Promise<string[]> {
    const ids = Array.from({ length: count }, () => newId());
    await store.db
      .insertInto('emails')
      .values(ids.map((id) => ({
        id, project_id: projectId, from_address: 'a@example.com', to_address: `${id}@example.org`, subject: 's', text: 't',
        status: 'queued', priority, next_attempt_at: new Date(Date.now() + dueInMs), message_id: `<${id}@example.com>`,
      })))
      .execute();
    return ids;
  }
  const clear = () => sql`UPDATE emails SET next_attempt_at = NULL`.execute(store.db);

  it('hands out transactional mail before campaign mail queued earlier', async () => {
    await clear();
    const campaign = await enqueue(3, PRIORITY.campaign, -5000);
    const transactional = await enqueue(2, PRIORITY.transactional, -1000);
    const claimed = await claimDueEmails(store.db, 'w1', 3, 60_000);
    expect(claimed.map((e) => e.id)).toEqual([...transactional, campaign[0]]);
  });

  it('does not hand a leased email to another worker until the lease expires', async () => {
    await clear();
    const [id] = await enqueue(1, PRIORITY.transactional);
    expect((await claimDueEmails(store.db, 'w1', 10, 300)).map((e) => e.id)).toEqual([id]);
    expect(await claimDueEmails(store.db, 'w2', 10, 300)).toEqual([]);
    await new Promise((r) => setTimeout(r, 400));
    const reclaimed = await claimDueEmails(store.db, 'w2', 10, 300);
    expect(reclaimed.map((e) => [e.id, e.locked_by, e.attempts])).toEqual([[id, 'w2', 2]]);
  });

  it('each claimed email carries its recipient\'s suppression, matched without regard to letter case', async () => {
    await clear();
    const [kept, suppressed] = await enqueue(2, PRIORITY.transactional);
    await sql`UPDATE emails SET to_address = 'Someone@Example.ORG' WHERE id = ${suppressed}`.execute(store.db);
    await store.db.insertInto('suppressions').values({ project_id: projectId, email: 'someone@example.org', reason: 'complaint' }).execute();
    const claimed = await claimDueEmails(store.db, 'w1', 10, 60_000);
    expect(Object.fromEntries(claimed.map((e) => [e.id, e.suppressed_reason]))).toEqual({ [kept!]: null, [suppressed!]: 'complaint' });
  });

  it('leaves scheduled mail alone until it is due', async () => {
    await clear();
    await enqueue(1, PRIORITY.transactional, 60_000);
    expect(await claimDueEmails(store.db, 'w1', 10, 1000)).toEqual([]);
  });

  it('only moves a status forward: a late delivery_delayed never overwrites delivered', async () => {
    await clear();
    const [id] = await enqueue(1, PRIORITY.transactional);
    const outcome = (status: 'delivered' | 'delivery_delayed' | 'bounced') => ({
      emailId: id!, projectId, status, nextAttemptAt: null, transport: 'relay',
      events: [{ projectId, emailId: id!, type: status }],
    });
    await recordOutcomes(store.db, [outcome('delivered')]);
    await recordOutcomes(store.db, [outcome('delivery_delayed')]);
    const row = await store.db.selectFrom('emails').select(['status', 'locked_by']).where('id', '=', id!).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'delivered', locked_by: null });
    await recordOutcomes(store.db, [outcome('bounced')]); // accepted, then bounced by the far end
    const after = await store.db.selectFrom('emails').select('status').where('id', '=', id!).executeTakeFirstOrThrow();
    expect(after.status).toBe('bounced');
    const events = await store.db.selectFrom('events').select('event_type').where('email_id', '=', id!).orderBy('id').execute();
    expect(events.map((e) => e.event_type)).toEqual(['delivered', 'delivery_delayed', 'bounced']);
  });

  it('finds the emails it claims by primary key, not by reading every email the table holds', async () => {
    await clear();
    // History: a project's sent mail, which a claim must not read again on each batch.
    await sql`
      INSERT INTO emails (id, project_id, from_address, to_address, subject, text, status, priority, next_attempt_at, message_id)
      SELECT gen_random_uuid(), ${projectId}, 'a@example.com', 'h' || g || '@example.org', 's', 't', 'sent', ${PRIORITY.campaign}, NULL, '<h' || g || '@example.com>'
      FROM generate_series(1, 20000) AS g
    `.execute(store.db);
    const due = await enqueue(3, PRIORITY.campaign);
    const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN ${claimStatement('w1', 128, 60_000)}`.execute(store.db);
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).not.toMatch(/Seq Scan on emails/);
    expect(text).toMatch(/emails_pkey/);
    expect((await claimDueEmails(store.db, 'w1', 128, 60_000)).map((e) => e.id).sort()).toEqual([...due].sort());
  });

  it('reports the queue depth from its counters, as counting the emails would, through claims, outcomes and cancels', async () => {
    const counted = async () => {
      const rows = await sql<{ status: string; n: number }>`
        SELECT status, count(*)::int AS n FROM emails WHERE status IN ('scheduled', 'queued', 'delivery_delayed') GROUP BY 1`.execute(store.db);
      const n = (s: string) => rows.rows.find((r) => r.status === s)?.n ?? 0;
      return { queued: n('queued'), waiting: n('scheduled') + n('delivery_delayed') };
    };
    const before = await readQueueDepth(store.db);
    expect(before).toEqual(await counted());
    const ids = await enqueue(5, PRIORITY.campaign);
    const [later] = await enqueue(1, PRIORITY.transactional, 60_000);
    await sql`UPDATE emails SET status = 'scheduled' WHERE id = ${later!}`.execute(store.db);
    expect(await readQueueDepth(store.db)).toEqual({ queued: before.queued + 5, waiting: before.waiting + 1 });
    await claimDueEmails(store.db, 'w1', 1000, 60_000); // a claim moves no status
    const outcome = (id: string, status: 'sent' | 'delivery_delayed') => ({
      emailId: id, projectId, status, nextAttemptAt: status === 'sent' ? null : new Date(Date.now() + 60_000), transport: 'relay',
      events: [{ projectId, emailId: id, type: status }],
    });
    await recordOutcomes(store.db, [outcome(ids[0]!, 'sent'), outcome(ids[1]!, 'sent'), outcome(ids[2]!, 'delivery_delayed')]);
    await sql`UPDATE emails SET status = 'cancelled', next_attempt_at = NULL WHERE id = ${later!}`.execute(store.db);
    // Inserted straight into the queue and only claimed (a claim records nothing), this email has
    // no events, which are append-only, to remove with it.
    expect(await store.db.selectFrom('events').select('id').where('email_id', '=', ids[4]!).execute()).toEqual([]);
    await sql`DELETE FROM emails WHERE id = ${ids[4]!}`.execute(store.db);
    expect(await readQueueDepth(store.db)).toEqual({ queued: before.queued + 1, waiting: before.waiting + 1 });
    expect(await readQueueDepth(store.db)).toEqual(await counted());
  });

});

describe('delivery queue on postgres, several workers', () => {
  it('never gives one email to two workers claiming at the same time', async () => {
    const store = await createTestStore('postgres');
    try {
      const projectId = newId();
      await store.db.insertInto('projects').values({ id: projectId, name: 'p' }).execute();
      const ids = Array.from({ length: 500 }, () => newId());
      await store.db
        .insertInto('emails')
        .values(ids.map((id) => ({
          id, project_id: projectId, from_address: 'a@example.com', to_address: `${id}@example.org`, subject: 's', text: 't',
          status: 'queued', priority: PRIORITY.campaign, next_attempt_at: new Date(Date.now() - 1000), message_id: `<${id}@example.com>`,
        })))
        .execute();
      const claims = await Promise.all(['a', 'b', 'c', 'd'].map((w) => claimDueEmails(store.db, w, 200, 60_000)));
      const all = claims.flat().map((e) => e.id);
      expect(new Set(all).size).toBe(all.length);
      expect(all.length).toBe(500);
    } finally {
      await store.close();
    }
  });
});
