// All SQL of reply forwarding: claim the due forwards under a lease, then record how each went.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { defineLeaseQueue } from '../../store/lease-queue.ts';

export type DueForward = { id: string; raw: Buffer; forward_attempts: number; received_at: Date };

// Pending forwards as a lease queue: a claim moves a forward's due time past its lease, so a
// forwarder that dies while sending leaves it due again once the lease runs out (sent again: at
// least once).
const forwardQueue = defineLeaseQueue<DueForward>({
  table: 'inbound_messages',
  alias: 'm',
  dueAt: 'forward_next_at',
  where: "forward_state = 'pending'",
  orderBy: 'forward_next_at',
  attempts: 'forward_attempts',
  returning: 'm.id, m.raw, m.forward_attempts, m.received_at',
});

/** Claims up to `limit` due forwards for `leaseMs`. */
export async function claimDueForwards(db: Kysely<Database>, limit: number, leaseMs: number): Promise<DueForward[]> {
  const rows = await forwardQueue.claim(db, { limit, leaseMs });
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
  await forwardQueue.release(db, ids);
}
