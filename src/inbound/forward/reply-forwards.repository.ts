// All SQL of reply forwarding: claim the due forwards under a lease, then record how each went.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { defineLeaseQueue } from '../../store/lease-queue.ts';

export type DueForward = { id: string; raw: Buffer; forward_attempts: number; received_at: Date };

// Pending forwards as a lease queue: a claim moves a forward's due time past its lease and names
// the claiming process (processes.id), so a forwarder that dies while sending leaves it due again
// when a live process finds it dead, or at the latest once the lease runs out (sent again: at
// least once).
const forwardQueue = defineLeaseQueue<DueForward>({
  table: 'inbound_messages',
  alias: 'm',
  dueAt: 'forward_next_at',
  where: "forward_state = 'pending'",
  orderBy: 'forward_next_at',
  attempts: 'forward_attempts',
  holder: { by: 'forward_locked_by', until: 'forward_locked_until' },
  returning: 'm.id, m.raw, m.forward_attempts, m.received_at',
});

/** Claims up to `limit` due forwards for `leaseMs`, leased to the process `holder`. */
export async function claimDueForwards(db: Kysely<Database>, holder: string, limit: number, leaseMs: number): Promise<DueForward[]> {
  const rows = await forwardQueue.claim(db, { holder, limit, leaseMs });
  return rows.map((r) => ({ ...r, raw: Buffer.from(r.raw) }));
}

/**
 * Makes the forwards that dead processes held due now (held by one of `holders`, or by anyone but
 * `allBut` on a database that admits one process); returns how many.
 */
export function takeOverForwards(db: Kysely<Database>, from: { holders: readonly string[] } | { allBut: string }): Promise<number> {
  return forwardQueue.takeOver(db, from);
}

/** How many pending forwards each process holds a lease on. */
export async function countHeldForwards(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('inbound_messages')
    .select(['forward_locked_by', (eb) => eb.fn.countAll<string>().as('n')])
    .where('forward_locked_by', 'is not', null)
    .groupBy('forward_locked_by')
    .execute();
  return new Map(rows.map((r) => [r.forward_locked_by!, Number(r.n)]));
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
      forward_locked_by: null,
      forward_locked_until: null,
    })
    .where('id', '=', id)
    .where('forward_state', '=', 'pending')
    .execute();
}

/** Gives claimed forwards back unsent: due now, and the claim not counted as an attempt. */
export async function releaseForwards(db: Kysely<Database>, ids: readonly string[]): Promise<void> {
  await forwardQueue.release(db, ids);
}
