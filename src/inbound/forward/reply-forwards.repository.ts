// All SQL of reply forwarding: claim the due forwards under a lease, then record how each went.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';

export type DueForward = { id: string; raw: Buffer; forward_attempts: number; received_at: Date };

/**
 * Claims up to `limit` due forwards and moves their due time past `leaseMs`: a forwarder that
 * dies while sending leaves them due again once the lease runs out (sent again: at least once).
 */
export async function claimDueForwards(db: Kysely<Database>, limit: number, leaseMs: number): Promise<DueForward[]> {
  // Raw SQL: Kysely cannot express UPDATE ... FROM a FOR UPDATE SKIP LOCKED CTE.
  const { rows } = await sql<DueForward>`
    WITH due AS (
      SELECT id FROM inbound_messages
      WHERE forward_state = 'pending' AND forward_next_at <= now()
      ORDER BY forward_next_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE inbound_messages m
    SET forward_next_at = now() + make_interval(secs => ${leaseMs / 1000}),
        forward_attempts = m.forward_attempts + 1
    FROM due WHERE m.id = due.id
    RETURNING m.id, m.raw, m.forward_attempts, m.received_at
  `.execute(db);
  return rows.map((r) => ({ ...r, raw: Buffer.from(r.raw) }));
}

export type ForwardRecord =
  | { state: 'forwarded' }
  | { state: 'pending'; nextAt: Date; error: string }
  | { state: 'failed'; error: string };

export async function recordForward(db: Kysely<Database>, id: string, r: ForwardRecord): Promise<void> {
  await db
    .updateTable('inbound_messages')
    .set({
      forward_state: r.state,
      forward_next_at: r.state === 'pending' ? r.nextAt : null,
      forward_error: r.state === 'forwarded' ? null : r.error.slice(0, 1000),
    })
    .where('id', '=', id)
    .where('forward_state', '=', 'pending')
    .execute();
}

/** Gives claimed forwards back unsent: due now, and the claim not counted as an attempt. */
export async function releaseForwards(db: Kysely<Database>, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('inbound_messages')
    .set((eb) => ({ forward_next_at: new Date(), forward_attempts: eb('forward_attempts', '-', 1) }))
    .where('id', 'in', [...ids])
    .where('forward_state', '=', 'pending')
    .execute();
}
