// Owns the tests of an email's status moves: every pair of statuses, in TypeScript and in the SQL that
// every writer of emails.status runs, on both stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import {
  CANCELLABLE_STATUSES,
  EMAIL_STATUSES,
  forwardStatusSql,
  furthestStatus,
  isCancellableSql,
  movesForward,
  movesForwardSql,
  type EmailStatus,
} from './email-status.ts';

// Written out rather than derived from STATUS_RANK, so that a change of rank shows here as a decision.
const MOVES_TO: Record<EmailStatus, readonly EmailStatus[]> = {
  scheduled: ['queued', 'delivery_delayed', 'sent', 'delivered', 'bounced', 'rejected', 'failed', 'cancelled'],
  queued: ['delivery_delayed', 'sent', 'delivered', 'bounced', 'rejected', 'failed', 'cancelled'],
  delivery_delayed: ['sent', 'delivered', 'bounced', 'rejected', 'failed', 'cancelled'],
  sent: ['delivered', 'bounced', 'rejected', 'failed', 'cancelled'],
  // A server may accept a message and bounce it afterwards.
  delivered: ['bounced', 'rejected', 'failed', 'cancelled'],
  bounced: ['rejected', 'failed', 'cancelled'],
  // Final refusals share the top rank: the first one written stays.
  rejected: [],
  failed: [],
  cancelled: [],
};

const PAIRS = EMAIL_STATUSES.flatMap((from) => EMAIL_STATUSES.map((to) => ({ from, to, forward: MOVES_TO[from].includes(to) })));

describe('email status moves in TypeScript', () => {
  it.each(PAIRS)('$from -> $to moves forward: $forward', ({ from, to, forward }) => {
    expect(movesForward(from, to)).toBe(forward);
  });

  it('the furthest of several statuses is the one every other would move to', () => {
    expect(furthestStatus(['delivery_delayed', 'delivered', 'sent'])).toBe('delivered');
    expect(furthestStatus(['delivered', 'bounced'])).toBe('bounced');
    expect(furthestStatus(['failed', 'rejected'])).toBe('failed');
    expect(furthestStatus([])).toBeUndefined();
  });
});

describe.each(STORE_KINDS)('email status moves in SQL on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(async () => store?.close());

  it('moves a status forward exactly where the table says, for every pair', async () => {
    const { rows } = await sql<{ current: string; next: string; after: string; forward: boolean }>`
      SELECT current, next, ${forwardStatusSql(sql.ref('current'), sql.ref('next'))} AS after,
             ${movesForwardSql(sql.ref('current'), sql.ref('next'))} AS forward
      FROM unnest(${PAIRS.map((p) => p.from)}::text[], ${PAIRS.map((p) => p.to)}::text[]) AS v(current, next)
    `.execute(store.db);
    expect(rows.map((r) => ({ from: r.current, to: r.next, forward: r.forward, after: r.after })))
      .toEqual(PAIRS.map((p) => ({ from: p.from, to: p.to, forward: p.forward, after: p.forward ? p.to : p.from })));
  });

  it.each(EMAIL_STATUSES)('compares a column with a known next status (%s) the same way', async (to) => {
    const { rows } = await sql<{ current: string; forward: boolean }>`
      SELECT current, ${movesForwardSql(sql.ref('current'), to)} AS forward FROM unnest(${[...EMAIL_STATUSES]}::text[]) AS v(current)
    `.execute(store.db);
    expect(rows).toEqual(EMAIL_STATUSES.map((from) => ({ current: from, forward: MOVES_TO[from].includes(to) })));
  });

  it('lets any status replace a text that is none', async () => {
    const { rows } = await sql<{ after: string }>`
      SELECT ${forwardStatusSql(sql`'unknown'::text`, sql`'scheduled'::text`)} AS after
    `.execute(store.db);
    expect(rows[0]!.after).toBe('scheduled');
  });

  it('lets a cancel stop only queued and scheduled emails', async () => {
    expect([...CANCELLABLE_STATUSES].sort()).toEqual(['queued', 'scheduled']);
    const { rows } = await sql<{ status: string; cancellable: boolean }>`
      SELECT status, ${isCancellableSql(sql.ref('status'))} AS cancellable FROM unnest(${[...EMAIL_STATUSES]}::text[]) AS v(status)
    `.execute(store.db);
    expect(rows).toEqual(EMAIL_STATUSES.map((status) => ({ status, cancellable: status === 'queued' || status === 'scheduled' })));
  });
});
