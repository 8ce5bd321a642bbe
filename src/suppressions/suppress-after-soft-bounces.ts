// Owns the soft-bounce policy: an address that has had SOFT_BOUNCE_SUPPRESS_COUNT soft bounces in its
// project goes on the suppression list, whether the worker's retries ran out or a DSN reported them.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';

/**
 * Suppresses the recipients of these soft-bounced emails whose address has now had `threshold` soft
 * bounces or more in its project (0: never), with reason `soft_bounces`; an address already on the
 * list keeps its first reason. Call it in the transaction that wrote the bounce events, after them,
 * so that they are counted.
 */
export async function suppressAfterSoftBounces(db: Kysely<Database>, emailIds: readonly string[], threshold: number): Promise<void> {
  if (emailIds.length === 0 || threshold <= 0) return;
  // Raw SQL: a correlated count over events by JSON field, batch INSERT ... SELECT with ON CONFLICT.
  // Addresses are stored lower-case (sending/addresses.ts), so the count can use emails_project_to
  // (project_id, to_address) and every email to the address is counted, whoever recorded its bounce.
  await sql`
    INSERT INTO suppressions (project_id, email, reason, source_email_id)
    SELECT DISTINCT ON (e.project_id, e.to_address) e.project_id, lower(e.to_address), 'soft_bounces', e.id
    FROM emails e WHERE e.id = ANY(${[...emailIds]}::uuid[]) AND (
      SELECT count(*) FROM emails e2 JOIN events ev ON ev.email_id = e2.id
      WHERE e2.project_id = e.project_id AND e2.to_address = e.to_address
        AND ev.event_type = 'bounced' AND ev.metadata->>'bounce_type' = 'soft'
    ) >= ${threshold}
    ON CONFLICT (project_id, email) DO NOTHING
  `.execute(db);
}
