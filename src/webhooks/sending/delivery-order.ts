// An email's deliveries to one endpoint go one at a time, in the log's order (seq): only the first
// still pending (the head) has a due time; each later one has none (next_attempt_at NULL, out of
// webhook_deliveries_endpoint_due) until the one before it is delivered or given up, and is made
// due in that same transaction. So a claim's walk reads only deliveries it may take, however many
// wait behind deliveries that are being retried (a receiver's outage leaves one per event).
//
// Every write that decides whether a delivery waits runs under this transaction-scoped advisory
// lock: shared where one delivery finishes (recordAttempt: many at once), exclusive where
// deliveries are queued, replayed, or their endpoint is turned off or on. Without it, under READ
// COMMITTED, the outbox could queue a delivery as waiting behind one that a concurrent attempt is
// finishing, while that attempt, not seeing the new row yet, makes nothing due: the new one would
// wait for ever. Each statement that decides starts after the lock is granted, so it sees what the
// writers before it committed.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../store/database.ts';

export async function lockDeliveryOrder(trx: Transaction<Database> | Kysely<Database>, mode: 'shared' | 'exclusive'): Promise<void> {
  await (mode === 'shared'
    ? sql`SELECT pg_advisory_xact_lock_shared(1936024932, 2)`
    : sql`SELECT pg_advisory_xact_lock(1936024932, 2)`).execute(trx);
}

/** SQL true when an earlier delivery of the row's email to its endpoint is still pending (alias: the row's). */
export function waitsBehindEarlier(alias: string) {
  const a = sql.raw(alias);
  return sql<boolean>`(${a}.email_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM webhook_deliveries earlier
    WHERE earlier.endpoint_id = ${a}.endpoint_id AND earlier.email_id = ${a}.email_id
      AND earlier.state = 'pending' AND earlier.seq < ${a}.seq))`;
}

/**
 * After a delivery stopped being pending: the next pending delivery of its email to its endpoint,
 * waiting with no due time, is due now, unless the endpoint is off (enabling it makes it due).
 */
export async function releaseNextOfEmail(trx: Transaction<Database>, endpointId: string, emailId: string): Promise<void> {
  await sql`
    UPDATE webhook_deliveries SET next_attempt_at = now()
    WHERE id = (
      SELECT id FROM webhook_deliveries
      WHERE endpoint_id = ${endpointId} AND email_id = ${emailId} AND state = 'pending'
      ORDER BY seq LIMIT 1
    ) AND next_attempt_at IS NULL AND locked_by IS NULL
      AND EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.id = ${endpointId} AND w.enabled AND w.deleted_at IS NULL)
  `.execute(trx);
}
