// The lease queue that emails and reply forwards share: what a worker fleet relies on.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import { newId } from '../shared/ids.ts';
import { defineLeaseQueue } from './lease-queue.ts';

type Row = { id: string; subject: string; attempts: number; locked_by: string | null };

// A queue over the emails table, with a condition of its own (only subjects starting with "q").
const held = defineLeaseQueue<Row>({
  table: 'emails',
  alias: 'e',
  dueAt: 'next_attempt_at',
  where: "subject LIKE 'q%'",
  orderBy: 'priority, next_attempt_at',
  attempts: 'attempts',
  holder: { by: 'locked_by', until: 'locked_until' },
  returning: 'e.id, e.subject, e.attempts, e.locked_by',
});
// The same rows as a queue without holders (as reply forwards are).
const unheld = defineLeaseQueue<Row>({
  table: 'emails',
  alias: 'e',
  dueAt: 'next_attempt_at',
  orderBy: 'next_attempt_at',
  attempts: 'attempts',
  returning: 'e.id, e.subject, e.attempts, e.locked_by',
});

describe.each(STORE_KINDS)('a lease queue on %s', (kind) => {
  let store: TestStore;
  const projectId = newId();
  beforeAll(async () => {
    store = await createTestStore(kind);
    await store.db.insertInto('projects').values({ id: projectId, name: 'p' }).execute();
  });
  afterAll(async () => store?.close());
  beforeEach(async () => {
    await sql`DELETE FROM emails`.execute(store.db);
  });

  async function add(subject: string, options: { priority?: number; dueInMs?: number | null } = {}): Promise<string> {
    const id = newId();
    const due = options.dueInMs === null ? null : new Date(Date.now() + (options.dueInMs ?? -1000));
    await store.db.insertInto('emails').values({
      id, project_id: projectId, from_address: 'a@example.com', to_address: `${id}@example.org`, subject, text: 't',
      status: 'queued', priority: options.priority ?? 1, next_attempt_at: due, message_id: `<${id}@example.com>`,
    }).execute();
    return id;
  }
  const row = (id: string) => store.db.selectFrom('emails').select(['attempts', 'locked_by', 'next_attempt_at']).where('id', '=', id).executeTakeFirstOrThrow();

  it('hands out due rows that meet its condition, in its order, each counted as an attempt', async () => {
    const late = await add('q-late', { priority: 2, dueInMs: -5000 });
    const first = await add('q-first', { priority: 1, dueInMs: -1000 });
    await add('other', { priority: 0 });
    await add('q-future', { dueInMs: 60_000 });
    await add('q-off', { dueInMs: null });
    const claimed = await held.claim(store.db, { holder: 'w1', limit: 10, leaseMs: 60_000 });
    expect(claimed.map((r) => r.subject).sort()).toEqual(['q-first', 'q-late']);
    expect(claimed.every((r) => r.attempts === 1 && r.locked_by === 'w1')).toBe(true);
    expect((await row(first)).attempts).toBe(1);
    expect((await row(late)).locked_by).toBe('w1');
  });

  it('takes at most `limit` rows, the first in its order', async () => {
    await add('q-b', { priority: 2 });
    await add('q-a', { priority: 1 });
    const claimed = await held.claim(store.db, { holder: 'w1', limit: 1, leaseMs: 60_000 });
    expect(claimed.map((r) => r.subject)).toEqual(['q-a']);
  });

  it('does not hand a leased row out again until its lease runs out; then another holder reclaims it', async () => {
    const id = await add('q');
    expect(await held.claim(store.db, { holder: 'w1', limit: 10, leaseMs: 300 })).toHaveLength(1);
    expect(await held.claim(store.db, { holder: 'w2', limit: 10, leaseMs: 300 })).toEqual([]);
    await new Promise((r) => setTimeout(r, 400));
    const reclaimed = await held.claim(store.db, { holder: 'w2', limit: 10, leaseMs: 300 });
    expect(reclaimed.map((r) => [r.id, r.locked_by, r.attempts])).toEqual([[id, 'w2', 2]]);
  });

  it('renews only the leases the holder still holds', async () => {
    const mine = await add('q-mine');
    const theirs = await add('q-theirs');
    await held.claim(store.db, { holder: 'w1', limit: 1, leaseMs: 300 });
    await held.claim(store.db, { holder: 'w2', limit: 1, leaseMs: 300 });
    const [minePrior, theirsPrior] = [await row(mine), await row(theirs)];
    await held.renew(store.db, 'w1', [mine, theirs], 60_000);
    expect((await row(mine)).next_attempt_at!.getTime()).toBeGreaterThan(minePrior.next_attempt_at!.getTime() + 30_000);
    expect((await row(theirs)).next_attempt_at).toEqual(theirsPrior.next_attempt_at);
    await new Promise((r) => setTimeout(r, 400));
    // w2's lease ran out, w1's renewed one did not.
    expect((await held.claim(store.db, { holder: 'w3', limit: 10, leaseMs: 300 })).map((r) => r.id)).toEqual([theirs]);
  });

  it('takes released rows back as due now, with the claim not counted', async () => {
    const id = await add('q');
    await held.claim(store.db, { holder: 'w1', limit: 10, leaseMs: 60_000 });
    await held.release(store.db, [id]);
    expect(await row(id)).toMatchObject({ attempts: 0, locked_by: null });
    expect((await held.claim(store.db, { holder: 'w2', limit: 10, leaseMs: 60_000 })).map((r) => r.id)).toEqual([id]);
  });

  it('works without holders: the lease alone keeps a row from a second claim', async () => {
    const id = await add('any');
    expect((await unheld.claim(store.db, { limit: 10, leaseMs: 60_000 })).map((r) => [r.id, r.locked_by])).toEqual([[id, null]]);
    expect(await unheld.claim(store.db, { limit: 10, leaseMs: 60_000 })).toEqual([]);
    await unheld.release(store.db, [id]);
    expect(await unheld.claim(store.db, { limit: 10, leaseMs: 60_000 })).toHaveLength(1);
  });

  it('refuses a claim without a holder on a queue whose leases have holders', () => {
    expect(() => held.claimStatement({ limit: 1, leaseMs: 1000 })).toThrow(/holder/);
  });
});

describe('a lease queue shared by two connections (PostgreSQL)', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore('postgres');
  });
  afterAll(async () => store?.close());

  it('skips the rows another transaction is claiming instead of waiting for them or taking them too', async () => {
    const projectId = newId();
    await store.db.insertInto('projects').values({ id: projectId, name: 'p' }).execute();
    const ids = Array.from({ length: 4 }, () => newId());
    await store.db.insertInto('emails').values(ids.map((id, i) => ({
      id, project_id: projectId, from_address: 'a@example.com', to_address: `${id}@example.org`, subject: `q${i}`, text: 't',
      status: 'queued', priority: 1, next_attempt_at: new Date(Date.now() - 10_000 + i), message_id: `<${id}@example.com>`,
    }))).execute();
    let release!: () => void;
    const held1 = new Promise<void>((resolve) => (release = resolve));
    let first: Row[] = [];
    // w1 claims two rows and keeps its transaction open; w2 claims meanwhile on another connection.
    const w1 = store.db.transaction().execute(async (trx) => {
      first = await held.claim(trx, { holder: 'w1', limit: 2, leaseMs: 60_000 });
      await held1;
    });
    while (first.length === 0) await new Promise((r) => setTimeout(r, 10));
    const second = await held.claim(store.db, { holder: 'w2', limit: 10, leaseMs: 60_000 });
    release();
    await w1;
    expect(first.map((r) => r.id)).toEqual(ids.slice(0, 2));
    expect(second.map((r) => r.id).sort()).toEqual(ids.slice(2).sort());
  });
});
