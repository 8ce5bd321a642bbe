// The two lists besides the email log that page along a bounded walk: inbound mail and the
// suppression list (the email log's own tests: sending/list-emails.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import type { Database } from './database.ts';
import { WALK_LIMIT } from './bounded-walk.ts';
import { newId } from '../shared/ids.ts';
import { listInboundMessages, type InboundFilter } from '../inbound/index.ts';
import { addSuppressions, listSuppressions, type SuppressionReason } from '../suppressions/index.ts';

async function newProject(db: Kysely<Database>): Promise<string> {
  const id = newId();
  await db.insertInto('projects').values({ id, name: 'p' }).execute();
  return id;
}

/** Inbound messages in the order given (oldest first); their ids, oldest first. */
async function receive(db: Kysely<Database>, projectId: string, specs: Array<{ kind: string; emailId?: string }>): Promise<string[]> {
  const ids = specs.map(() => newId()).sort();
  await db
    .insertInto('inbound_messages')
    .values(specs.map((m, i) => ({
      id: ids[i]!, project_id: projectId, email_id: m.emailId ?? null, kind: m.kind, mail_from: '', rcpt_to: ['b@bounces.example.com'],
      from_header: null, subject: null, content_hash: ids[i]!, size_bytes: 1, raw: Buffer.from('x'), error: null, forward_state: null,
    })))
    .execute();
  return ids;
}

describe.each(STORE_KINDS)('bounded list pages on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(async () => store?.close());

  it('pages inbound mail of one kind, past messages of other kinds, to every one of them once', async () => {
    const projectId = await newProject(store.db);
    const emailId = newId();
    const ids = await receive(store.db, projectId, [
      { kind: 'complaint', emailId },
      ...Array.from({ length: 12 }, () => ({ kind: 'bounce' })),
      { kind: 'complaint' },
      ...Array.from({ length: 12 }, () => ({ kind: 'auto_reply', emailId })),
    ]);
    const pages = async (f: Omit<InboundFilter, 'before' | 'limit'>) => {
      const seen: string[][] = [];
      let before: string | undefined;
      do {
        const page = await listInboundMessages(store.db, projectId, { ...f, before, limit: 1 }, 5);
        seen.push(page.rows.map((r) => r.id));
        before = page.next ?? undefined;
      } while (before && seen.length < 50);
      return seen;
    };
    const complaints = await pages({ kind: 'complaint' });
    expect(complaints[0]).toEqual([]); // the 12 auto-replies in front take the first pages' reads
    expect(complaints.flat()).toEqual([ids[13], ids[0]]);
    expect((await pages({ kind: 'complaint', matched: true })).flat()).toEqual([ids[0]]);
    expect((await pages({ emailId, kind: 'complaint' })).flat()).toEqual([ids[0]]);
    expect((await pages({ matched: false })).flat()).toEqual(ids.slice(1, 14).reverse());
  });

  it('pages the suppressions of one reason in address order, past others, to every one of them once', async () => {
    const projectId = await newProject(store.db);
    const entry = (email: string, reason: SuppressionReason) => ({ projectId, email, reason });
    await addSuppressions(store.db, [
      entry('a@example.org', 'complaint'),
      ...Array.from({ length: 12 }, (_, i) => entry(`b${String(i).padStart(2, '0')}@example.org`, 'hard_bounce')),
      entry('c@example.org', 'complaint'),
    ]);
    const seen: string[][] = [];
    let after: string | undefined;
    do {
      const page = await listSuppressions(store.db, projectId, { reason: 'complaint', after, limit: 1 }, 5);
      seen.push(page.rows.map((r) => r.email));
      after = page.next ?? undefined;
    } while (after && seen.length < 50);
    expect(seen.flat()).toEqual(['a@example.org', 'c@example.org']);
    expect(seen.some((p) => p.length === 0)).toBe(true);
    expect((await listSuppressions(store.db, projectId, { email: 'C@Example.org', limit: 10 })).rows.map((r) => r.reason)).toEqual(['complaint']);
  });

  it('reads at most WALK_LIMIT rows for a filter no index covers', async () => {
    const projectId = await newProject(store.db);
    await addSuppressions(store.db, Array.from({ length: 12_000 }, (_, i) => ({ projectId, email: `u${i}@example.org`, reason: 'hard_bounce' as const })));
    const page = await listSuppressions(store.db, projectId, { reason: 'complaint', limit: 50 });
    expect(page.rows).toEqual([]);
    // Reading all 12,000 would end the walk with no next; stopping at the limit leaves one, the
    // 5,000th address in address order.
    const [fifthThousandth] = (await sql<{ email: string }>`
      SELECT email FROM suppressions WHERE project_id = ${projectId} ORDER BY email OFFSET ${WALK_LIMIT - 1} LIMIT 1`.execute(store.db)).rows;
    expect(page.next).toBe(fifthThousandth!.email);
  });
});
