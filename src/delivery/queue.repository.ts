// All SQL of the delivery queue: claim due emails under a lease, record outcomes, read depth.
import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { Database, EmailsTable } from '../store/database.ts';
import { forwardStatusSql, type EmailStatus } from '../events/index.ts';
import { appendEvents, type NewEvent } from '../events/index.ts';
import { defineLeaseQueue } from '../store/lease-queue.ts';
import { PRIORITY, QUEUE_CHANNEL } from '../sending/index.ts';
import { suppressAfterSoftBounces, suppressRecipientsOf } from '../suppressions/index.ts';

export type ClaimedEmail = Selectable<EmailsTable> & {
  /** Why the recipient is on the project's suppression list (case-insensitive), or null: then it gets no SMTP traffic. */
  suppressed_reason: string | null;
};

/**
 * The emails table as a lease queue: transactional mail first, then by due time. A claim leases
 * each email to a worker and moves next_attempt_at to the lease's end: a worker that dies leaves
 * the email due again once the lease runs out, with no sweeper needed. Each claimed email comes with
 * its recipient's suppression, read in the same statement (one statement fewer per batch on
 * PGlite's thread).
 */
const emailQueue = defineLeaseQueue<ClaimedEmail>({
  table: 'emails',
  alias: 'e',
  dueAt: 'next_attempt_at',
  orderBy: 'priority, next_attempt_at',
  attempts: 'attempts',
  holder: { by: 'locked_by', until: 'locked_until' },
  alsoSet: 'first_attempt_at = coalesce(e.first_attempt_at, now())',
  returning: 'e.*, (SELECT s.reason FROM suppressions s WHERE s.project_id = e.project_id AND s.email = lower(e.to_address)) AS suppressed_reason',
});

/** Claims up to `limit` due emails, transactional first, and leases them to `workerId`. */
export async function claimDueEmails(
  db: Kysely<Database>,
  workerId: string,
  limit: number,
  leaseMs: number,
): Promise<ClaimedEmail[]> {
  const claimed = await emailQueue.claim(db, { holder: workerId, limit, leaseMs });
  // UPDATE ... RETURNING does not keep the CTE's order: restore priority order, then age.
  return claimed.sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : 1));
}

/** The claim of claimDueEmails as one statement (exported for the test that checks its plan). */
export function claimStatement(workerId: string, limit: number, leaseMs: number): RawBuilder<ClaimedEmail> {
  return emailQueue.claimStatement({ holder: workerId, limit, leaseMs });
}

export type Outcome = {
  emailId: string;
  projectId: string;
  status: EmailStatus;
  /** When to try again; null when the email has reached a final state. */
  nextAttemptAt: Date | null;
  transport: string;
  events: NewEvent[];
  capturedRaw?: string;
};

/** Records a batch of outcomes, their events and captured messages atomically. */
export async function recordOutcomes(
  db: Kysely<Database>,
  outcomes: readonly Outcome[],
  options: { softBounceSuppressCount?: number } = {},
): Promise<void> {
  if (outcomes.length === 0) return;
  const bounced = (type: string) => outcomes.filter((o) => o.events.some((e) => e.type === 'bounced' && e.metadata?.bounce_type === type));
  const hard = bounced('hard');
  const soft = bounced('soft');
  const captured = outcomes.filter((o) => o.capturedRaw !== undefined);
  // The common batch (sent, delivered, delayed) is one statement, atomic by itself: on PGlite,
  // where every statement runs on the worker's thread, a transaction of three cost ~10 % of a send.
  if (hard.length === 0 && soft.length === 0 && captured.length === 0) return updateWithEvents(db, outcomes);
  await db.transaction().execute(async (trx) => {
    await updateWithEvents(trx, outcomes);
    // A hard bounce at SMTP time suppresses the recipient, like one reported later by DSN (issue 4, part 6).
    await suppressRecipientsOf(trx, hard.map((o) => o.emailId), 'hard_bounce');
    await suppressAfterSoftBounces(trx, soft.map((o) => o.emailId), options.softBounceSuppressCount ?? 0);
    if (captured.length > 0) {
      await trx
        .insertInto('captured_messages')
        .values(captured.map((o) => ({ email_id: o.emailId, project_id: o.projectId, raw: o.capturedRaw! })))
        .onConflict((oc) => oc.column('email_id').doUpdateSet({ raw: (eb) => eb.ref('excluded.raw') }))
        .execute();
    }
  });
}

/** The outcomes' status moves and their events, in one statement (a data-modifying WITH always runs to completion). */
async function updateWithEvents(db: Kysely<Database>, outcomes: readonly Outcome[]): Promise<void> {
  const events = outcomes.flatMap((o) => o.events);
  // Raw SQL: a batch UPDATE ... FROM unnest is one round trip for the whole batch.
  const update = sql`
    UPDATE emails e
    SET status = ${forwardStatusSql(sql.ref('e.status'), sql.ref('v.status'))},
        next_attempt_at = v.next_attempt_at,
        locked_by = NULL,
        locked_until = NULL,
        transport = v.transport,
        updated_at = now()
    FROM unnest(${outcomes.map((o) => o.emailId)}::uuid[], ${outcomes.map((o) => o.status)}::text[],
                ${outcomes.map((o) => o.nextAttemptAt?.toISOString() ?? null)}::timestamptz[],
                ${outcomes.map((o) => o.transport)}::text[]) AS v(id, status, next_attempt_at, transport)
    WHERE e.id = v.id
  `;
  await appendEvents(db, events, update);
}

/**
 * Extends the leases this worker still holds (claimed, outcome not yet committed): a send slower
 * than the lease (a tarpitting server, a long queue behind the per-domain limit) must not let
 * another worker claim the email and send it again. An email whose outcome is committed, or
 * whose lease another worker took over, is left alone.
 */
export async function renewLeases(db: Kysely<Database>, workerId: string, emailIds: readonly string[], leaseMs: number): Promise<void> {
  await emailQueue.renew(db, workerId, emailIds, leaseMs);
}

/**
 * Makes the emails that dead processes held due now (their holders: `holders`, or everyone but
 * `allBut` when this is the only process the database admits), and wakes idle workers to claim
 * them. Returns how many were released.
 */
export async function takeOverLeases(db: Kysely<Database>, from: { holders: readonly string[] } | { allBut: string }): Promise<number> {
  const released = await emailQueue.takeOver(db, from);
  if (released > 0) await sql`SELECT pg_notify(${QUEUE_CHANNEL}, '')`.execute(db);
  return released;
}

/** How many emails each process holds a lease on (from the index of leased rows, migration 018). */
export async function countHeldEmails(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('emails')
    .select(['locked_by', (eb) => eb.fn.countAll<string>().as('n')])
    .where('locked_by', 'is not', null)
    .groupBy('locked_by')
    .execute();
  return new Map(rows.map((r) => [r.locked_by!, Number(r.n)]));
}

/**
 * Emails still to send, from the counters of migration 011 (a few rows, however long the queue):
 * `queued` (due, or being sent) and `waiting` (scheduled, or waiting to retry after a delay).
 */
export async function readQueueDepth(db: Kysely<Database>): Promise<{ queued: number; waiting: number }> {
  const rows = await db.selectFrom('queue_counters').select(['status', (eb) => eb.fn.sum<string>('n').as('n')]).groupBy('status').execute();
  const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return { queued: count('queued'), waiting: count('scheduled') + count('delivery_delayed') };
}

/** Above this many, "due" reads as "this many or more": counting it exactly would walk the backlog. */
export const DUE_COUNT_CAP = 10_000;

export type QueueSnapshot = {
  /** Emails in status queued: due, or being sent. */
  queued: number;
  scheduled: number;
  /** Waiting to retry after a temporary failure (delivery_delayed). */
  retrying: number;
  /** Waiting for a worker now: due and not leased; at most DUE_COUNT_CAP (see dueCapped). */
  due: number;
  dueCapped: boolean;
  /** Leased to a worker that is sending them. */
  held: number;
};

/**
 * The queue as the System screen shows it. The statuses come from the counters of migration 011;
 * held emails from the index of leased rows (migration 018), as many as the workers have in
 * flight; due ones from the due index, one bounded range per priority.
 */
export async function readQueueSnapshot(db: Kysely<Database>): Promise<QueueSnapshot> {
  const rows = await db.selectFrom('queue_counters').select(['status', (eb) => eb.fn.sum<string>('n').as('n')]).groupBy('status').execute();
  const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  const { rows: [held] } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM emails WHERE locked_by IS NOT NULL`.execute(db);
  let due = 0;
  for (const priority of Object.values(PRIORITY)) {
    // Raw SQL: a count over a LIMITed sub-select, so the read stops at the cap.
    const { rows: [r] } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (
        SELECT 1 FROM emails WHERE priority = ${priority} AND next_attempt_at IS NOT NULL AND next_attempt_at <= now()
        LIMIT ${DUE_COUNT_CAP + 1}
      ) d
    `.execute(db);
    due += r?.n ?? 0;
  }
  return {
    queued: count('queued'),
    scheduled: count('scheduled'),
    retrying: count('delivery_delayed'),
    due: Math.min(due, DUE_COUNT_CAP),
    dueCapped: due > DUE_COUNT_CAP,
    held: held?.n ?? 0,
  };
}
