// All SQL of sending deliveries: the lease queue they are claimed from, what each attempt did, and
// the delivery log and replays read and written through the API.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { defineLeaseQueue } from '../../store/lease-queue.ts';

export type DueDelivery = {
  id: string;
  endpoint_id: string;
  event_type: string;
  payload: Record<string, unknown>;
  attempts: number;
  created_at: Date;
};

/** Most requests in flight to one endpoint, from all senders: a claim takes none of an endpoint holding as many. */
export const MAX_IN_FLIGHT_PER_ENDPOINT = 4;

// Due deliveries of enabled endpoints, each only when no earlier delivery of its email to its
// endpoint is still pending (in the log's order per email: a later event waits until the earlier
// one is delivered or given up), and only for an endpoint with fewer than the cap in flight. The
// cap is checked against the leases held when the claim starts; a sender also sends at most the
// cap at once per endpoint, so a claim that takes several rows of one endpoint waits in memory.
const deliveryQueue = defineLeaseQueue<DueDelivery>({
  table: 'webhook_deliveries',
  alias: 'd',
  dueAt: 'next_attempt_at',
  where: "state = 'pending'",
  claimWhere: `EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.id = webhook_deliveries.endpoint_id AND w.enabled AND w.deleted_at IS NULL)
    AND (webhook_deliveries.email_id IS NULL OR NOT EXISTS (
      SELECT 1 FROM webhook_deliveries earlier
      WHERE earlier.endpoint_id = webhook_deliveries.endpoint_id AND earlier.email_id = webhook_deliveries.email_id
        AND earlier.state = 'pending' AND earlier.seq < webhook_deliveries.seq))
    AND (SELECT count(*) FROM webhook_deliveries held
      WHERE held.locked_by IS NOT NULL AND held.locked_until > now() AND held.endpoint_id = webhook_deliveries.endpoint_id) < ${MAX_IN_FLIGHT_PER_ENDPOINT}`,
  orderBy: 'next_attempt_at, seq',
  attempts: 'attempts',
  holder: { by: 'locked_by', until: 'locked_until' },
  returning: 'd.id, d.endpoint_id, d.event_type, d.payload, d.attempts, d.created_at',
});

export function claimDueDeliveries(db: Kysely<Database>, limit: number, leaseMs: number, holder: string): Promise<DueDelivery[]> {
  return deliveryQueue.claim(db, { limit, leaseMs, holder });
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

export type AttemptRecord = { status: number | null; durationMs: number; excerpt: string | null; error: string | null; attemptedAt: Date };

export type DeliveryOutcome = { state: 'pending'; nextAt: Date } | { state: 'delivered' | 'failed' };

/** Records an attempt and the delivery's new state, in one transaction; the lease is let go. */
export async function recordAttempt(db: Kysely<Database>, id: string, attempt: AttemptRecord, outcome: DeliveryOutcome): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('webhook_attempts').values({
      delivery_id: id,
      attempted_at: attempt.attemptedAt,
      status: attempt.status,
      duration_ms: attempt.durationMs,
      response_excerpt: attempt.excerpt,
      error: attempt.error,
    }).execute();
    await trx.updateTable('webhook_deliveries').set({
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
    }).where('id', '=', id).execute();
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
 * deleted it), so claims do not walk past them, or puts them back, due now, when it is on again.
 * Those being sent finish as they are.
 */
export async function pauseDeliveries(db: Kysely<Database>, endpointId: string, paused: boolean): Promise<void> {
  const query = db.updateTable('webhook_deliveries').where('endpoint_id', '=', endpointId).where('state', '=', 'pending');
  await (paused
    ? query.set({ next_attempt_at: null }).where('locked_by', 'is', null)
    : query.set({ next_attempt_at: sql<Date>`now()` }).where('next_attempt_at', 'is', null)
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
  let query = db.updateTable('webhook_deliveries')
    .set({ state: 'pending', next_attempt_at: sql<Date>`now()`, attempts: 0, finished_at: null })
    .where('endpoint_id', '=', endpointId).where('state', '<>', 'pending');
  query = 'id' in which ? query.where('id', '=', which.id) : query.where('created_at', '>=', which.since);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function findDelivery(db: Kysely<Database>, endpointId: string, id: string): Promise<{ id: string; state: string } | undefined> {
  return db.selectFrom('webhook_deliveries').select(['id', 'state']).where('endpoint_id', '=', endpointId).where('id', '=', id).executeTakeFirst();
}
