// All SQL of sending deliveries: the lease queue they are claimed from, what each attempt did, and
// the delivery log and replays read and written through the API.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { defineLeaseQueue } from '../../store/lease-queue.ts';
import { transact } from '../../store/transact.ts';
import { lockDeliveryOrder, releaseNextOfEmail, waitsBehindEarlier } from './delivery-order.ts';

export type DueDelivery = {
  id: string;
  endpoint_id: string;
  event_type: string;
  payload: Record<string, unknown>;
  attempts: number;
  created_at: Date;
};

/** Most requests in flight to one endpoint, from all senders together: a claim takes no more than the rest. */
export const MAX_IN_FLIGHT_PER_ENDPOINT = 4;

// Releases, renewals and takeovers of deliveries go through the lease queue as for the emails; the
// claim is its own (claimDueDeliveries), since it takes at most so many rows per endpoint.
const deliveryQueue = defineLeaseQueue<DueDelivery>({
  table: 'webhook_deliveries',
  alias: 'd',
  dueAt: 'next_attempt_at',
  where: "state = 'pending'",
  orderBy: 'next_attempt_at, seq',
  attempts: 'attempts',
  holder: { by: 'locked_by', until: 'locked_until' },
  returning: 'd.id, d.endpoint_id, d.event_type, d.payload, d.attempts, d.created_at',
});

// Claims of webhook deliveries, in every process, take this transaction-scoped advisory lock (the
// two-key form: Sendtrail's namespace, then the lock's number) before they count what is in flight.
const CLAIM_LOCK = sql`pg_advisory_xact_lock(1936024932, 1)`;

/**
 * The claim as one statement. Per enabled endpoint, its room: the cap less its live leases (held,
 * not run out); then, per endpoint with room, that many of its due deliveries, in order (due time,
 * then the log's order); of all those, the `limit` first. Each endpoint's deliveries are one range
 * of webhook_deliveries_endpoint_due (migration 024), so an endpoint with a long backlog, full or
 * not, costs a claim only the rows it takes. A delivery waiting behind an earlier one of its email
 * has no due time (sending/delivery-order.ts), so it is not in that range; the check that no
 * earlier one is pending stays, for order's sake, should a due delivery be behind one (a replay of
 * an earlier one while it was being sent), and costs one probe per row taken.
 * Only pending deliveries have a due time; `state = 'pending'` is checked on the rows claimed, not
 * in the walk, where it would let the planner pick webhook_deliveries_pending_email (an endpoint's
 * every pending row, sorted) over the due range.
 */
export function claimStatement(limit: number, leaseMs: number, holder: string) {
  const leaseEnd = sql`now() + make_interval(secs => ${leaseMs / 1000})`;
  return sql<DueDelivery>`
    WITH held AS (
      SELECT endpoint_id, count(*)::int AS n FROM webhook_deliveries
      WHERE locked_by IS NOT NULL AND locked_until > now()
      GROUP BY endpoint_id
    ), room AS MATERIALIZED (
      SELECT w.id AS endpoint_id, ${MAX_IN_FLIGHT_PER_ENDPOINT} - coalesce(h.n, 0) AS n
      FROM webhook_endpoints w LEFT JOIN held h ON h.endpoint_id = w.id
      WHERE w.enabled AND w.deleted_at IS NULL AND coalesce(h.n, 0) < ${MAX_IN_FLIGHT_PER_ENDPOINT}
    ), picked AS (
      SELECT due.id FROM room CROSS JOIN LATERAL (
        SELECT d.id, d.next_attempt_at, d.seq FROM webhook_deliveries d
        WHERE d.endpoint_id = room.endpoint_id AND d.next_attempt_at IS NOT NULL AND d.next_attempt_at <= now()
          AND (d.email_id IS NULL OR NOT EXISTS (
            SELECT 1 FROM webhook_deliveries earlier
            WHERE earlier.endpoint_id = d.endpoint_id AND earlier.email_id = d.email_id
              AND earlier.state = 'pending' AND earlier.seq < d.seq))
        ORDER BY d.next_attempt_at, d.seq
        LIMIT room.n
        FOR UPDATE SKIP LOCKED
      ) due
      ORDER BY due.next_attempt_at, due.seq
      LIMIT ${limit}
    )
    UPDATE webhook_deliveries d
    SET next_attempt_at = ${leaseEnd}, attempts = d.attempts + 1, locked_by = ${holder}, locked_until = ${leaseEnd}
    WHERE d.id = ANY(ARRAY(SELECT id FROM picked)) AND d.state = 'pending'
    RETURNING d.id, d.endpoint_id, d.event_type, d.payload, d.attempts, d.created_at
  `;
}

/**
 * Claims up to `limit` due deliveries, never so many that an endpoint would have more than
 * MAX_IN_FLIGHT_PER_ENDPOINT leased at once across every process. Claims run one at a time
 * installation-wide (the advisory lock), and the claim statement starts after the lock is granted,
 * so it sees every lease committed by the claims before it (READ COMMITTED takes a snapshot per
 * statement): two workers claiming at once cannot both count the same free room. Leases only end
 * outside claims, which can only make the count high for a moment, never low.
 */
export async function claimDueDeliveries(db: Kysely<Database>, limit: number, leaseMs: number, holder: string): Promise<DueDelivery[]> {
  return db.transaction().execute(async (trx) => {
    // No sequential scan in this claim: on a table not analyzed yet (PGlite analyzes on a timer,
    // PostgreSQL's autovacuum when it gets to it) the planner takes `locked_by IS NOT NULL` for
    // nearly every row and would read the whole table rather than the index of leased rows.
    await sql`SELECT ${CLAIM_LOCK}, set_config('enable_seqscan', 'off', true)`.execute(trx);
    return (await claimStatement(limit, leaseMs, holder).execute(trx)).rows;
  });
}

export function renewDeliveries(db: Kysely<Database>, holder: string, ids: readonly string[], leaseMs: number): Promise<void> {
  return deliveryQueue.renew(db, holder, ids, leaseMs);
}

export function releaseDeliveries(db: Kysely<Database>, ids: readonly string[]): Promise<void> {
  return deliveryQueue.release(db, ids);
}

/** Gives a claimed delivery back unsent and out of the queue: its endpoint was turned off meanwhile. */
export async function holdDelivery(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('webhook_deliveries')
    .set((eb) => ({ next_attempt_at: null, locked_by: null, locked_until: null, attempts: eb('attempts', '-', 1) }))
    .where('id', '=', id).where('state', '=', 'pending').execute();
}

/** Releases the deliveries held by dead processes (the heartbeat's sweep). */
export function takeOverDeliveries(db: Kysely<Database>, from: { holders: readonly string[] } | { allBut: string }): Promise<number> {
  return deliveryQueue.takeOver(db, from);
}

/** How many deliveries each process holds a lease on (being sent), from the index of leased rows (webhook_deliveries_held_by). */
export async function countHeldDeliveries(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select(['locked_by', (eb) => eb.fn.countAll<string>().as('n')])
    .where('locked_by', 'is not', null)
    .groupBy('locked_by')
    .execute();
  return new Map(rows.map((r) => [r.locked_by!, Number(r.n)]));
}

export type AttemptRecord = { status: number | null; durationMs: number; excerpt: string | null; error: string | null; attemptedAt: Date };

export type DeliveryOutcome = { state: 'pending'; nextAt: Date } | { state: 'delivered' | 'failed' };

/** Records an attempt and the delivery's new state, in one transaction; the lease is let go. */
export async function recordAttempt(db: Kysely<Database>, id: string, attempt: AttemptRecord, outcome: DeliveryOutcome): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockDeliveryOrder(trx, 'shared');
    await trx.insertInto('webhook_attempts').values({
      delivery_id: id,
      attempted_at: attempt.attemptedAt,
      status: attempt.status,
      duration_ms: attempt.durationMs,
      response_excerpt: attempt.excerpt,
      error: attempt.error,
    }).execute();
    const done = await trx.updateTable('webhook_deliveries').set({
      state: outcome.state,
      // An endpoint turned off while this attempt ran: the retry waits, held, until it is on again.
      next_attempt_at: outcome.state === 'pending'
        ? sql<Date>`CASE WHEN EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.id = webhook_deliveries.endpoint_id AND w.enabled) THEN ${outcome.nextAt}::timestamptz END`
        : null,
      finished_at: outcome.state === 'pending' ? null : attempt.attemptedAt,
      locked_by: null,
      locked_until: null,
      last_status: attempt.status,
      last_error: attempt.error,
    }).where('id', '=', id).returning(['endpoint_id', 'email_id']).executeTakeFirst();
    // Finished: the email's next delivery to this endpoint, if one waits, is due now.
    if (outcome.state !== 'pending' && done?.email_id) await releaseNextOfEmail(trx, done.endpoint_id, done.email_id);
  });
}

/** Gives up the pending deliveries of an endpoint that was disabled for good reason (410, failing for days). */
export async function failPendingDeliveries(db: Kysely<Database>, endpointId: string, reason: string): Promise<void> {
  await db.updateTable('webhook_deliveries')
    .set({ state: 'failed', next_attempt_at: null, finished_at: new Date(), last_error: reason })
    .where('endpoint_id', '=', endpointId).where('state', '=', 'pending').where('locked_by', 'is', null).execute();
}

/**
 * Takes an endpoint's pending deliveries out of the queue while it is off (a user disabled or
 * deleted it), so claims do not walk past them, or puts them back when it is on again: each email's
 * first pending one due now, the later ones still waiting behind it. Those being sent finish as
 * they are. Call it in the transaction that turns the endpoint off or on.
 */
export async function pauseDeliveries(db: Kysely<Database>, endpointId: string, paused: boolean): Promise<void> {
  await lockDeliveryOrder(db, 'exclusive');
  const query = db.updateTable('webhook_deliveries as d').where('d.endpoint_id', '=', endpointId).where('d.state', '=', 'pending');
  await (paused
    ? query.set({ next_attempt_at: null }).where('d.locked_by', 'is', null)
    : query.set({ next_attempt_at: sql<Date>`now()` }).where('d.next_attempt_at', 'is', null).where(sql<boolean>`NOT ${waitsBehindEarlier('d')}`)
  ).execute();
}

export type DeliveryRow = {
  id: string; event_id: string | null; email_id: string | null; event_type: string; payload: Record<string, unknown>;
  state: 'pending' | 'delivered' | 'failed'; attempts: number; next_attempt_at: Date | null; last_status: number | null;
  last_error: string | null; created_at: Date; finished_at: Date | null;
};

export type AttemptRow = { delivery_id: string; attempted_at: Date; status: number | null; duration_ms: number; response_excerpt: string | null; error: string | null };

/** A page of an endpoint's deliveries, newest first, each with its attempts (oldest first). */
export async function listDeliveries(
  db: Kysely<Database>,
  endpointId: string,
  options: { limit: number; beforeId?: string; state?: string },
): Promise<Array<DeliveryRow & { attempt_log: AttemptRow[] }>> {
  let query = db.selectFrom('webhook_deliveries')
    .select(['id', 'event_id', 'email_id', 'event_type', 'payload', 'state', 'attempts', 'next_attempt_at', 'last_status', 'last_error', 'created_at', 'finished_at'])
    .where('endpoint_id', '=', endpointId);
  if (options.state) query = query.where('state', '=', options.state as DeliveryRow['state']);
  // Ids are UUIDv7: newest first is id order.
  if (options.beforeId) query = query.where('id', '<', options.beforeId);
  const rows = (await query.orderBy('id', 'desc').limit(options.limit).execute()) as DeliveryRow[];
  if (rows.length === 0) return [];
  const attempts = await db.selectFrom('webhook_attempts')
    .select(['delivery_id', 'attempted_at', 'status', 'duration_ms', 'response_excerpt', 'error'])
    .where('delivery_id', 'in', rows.map((r) => r.id)).orderBy('id').execute();
  const byDelivery = new Map<string, AttemptRow[]>();
  for (const a of attempts) byDelivery.set(a.delivery_id, [...(byDelivery.get(a.delivery_id) ?? []), a]);
  return rows.map((r) => ({ ...r, attempt_log: byDelivery.get(r.id) ?? [] }));
}

/**
 * Queues finished deliveries of an endpoint again, due now, with their webhook-id kept (receivers
 * that dedupe by it see a replay as the same message): one by id, or every one created since a time.
 * Pending ones are left as they are: they are on their way. Returns how many were queued.
 */
export async function replayDeliveries(db: Kysely<Database>, endpointId: string, which: { id: string } | { since: Date }): Promise<number> {
  // Joins the caller's transaction when there is one (the audit record is written in it).
  return transact(db, async (trx) => {
    await lockDeliveryOrder(trx, 'exclusive');
    let query = trx.updateTable('webhook_deliveries')
      .set({ state: 'pending', next_attempt_at: sql<Date>`now()`, attempts: 0, finished_at: null })
      .where('endpoint_id', '=', endpointId).where('state', '<>', 'pending');
    query = 'id' in which ? query.where('id', '=', which.id) : query.where('created_at', '>=', which.since);
    const replayed = await query.returning('email_id').execute();
    // The log's order again for the emails replayed: a pending delivery, replayed or not, behind an
    // earlier pending one of its email waits (no due time) until that one finishes.
    const emails = [...new Set(replayed.map((r) => r.email_id).filter((e): e is string => e !== null))];
    if (emails.length > 0) {
      await trx.updateTable('webhook_deliveries as d').set({ next_attempt_at: null })
        .where('d.endpoint_id', '=', endpointId).where('d.state', '=', 'pending').where('d.locked_by', 'is', null)
        .where(sql<boolean>`d.email_id = ANY(${emails}::uuid[])`).where(waitsBehindEarlier('d'))
        .execute();
    }
    return replayed.length;
  });
}

export async function findDelivery(db: Kysely<Database>, endpointId: string, id: string): Promise<{ id: string; state: string } | undefined> {
  return db.selectFrom('webhook_deliveries').select(['id', 'state']).where('endpoint_id', '=', endpointId).where('id', '=', id).executeTakeFirst();
}
