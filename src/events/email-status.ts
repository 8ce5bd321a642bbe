// Owns an email's status and how it may change: the statuses, their forward-only order, and the SQL
// with which every writer of emails.status (the worker's outcomes, inbound reports, cancels) moves it.
import { sql, type Expression, type RawBuilder } from 'kysely';
import type { EventType } from './event-types.ts';

export const EMAIL_STATUSES = [
  'scheduled', 'queued', 'delivery_delayed', 'sent', 'delivered',
  'bounced', 'rejected', 'failed', 'cancelled',
] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/**
 * Rank of each status: a status only ever moves to a higher rank, so a late `delivery_delayed` DSN
 * never overwrites `delivered`. `bounced` outranks `delivered` because a server may accept a message
 * and bounce it afterwards. Final refusals share the top rank: the first one wins.
 */
export const STATUS_RANK: Record<EmailStatus, number> = {
  scheduled: 0,
  queued: 1,
  delivery_delayed: 2,
  sent: 3,
  delivered: 4,
  bounced: 5,
  rejected: 6,
  failed: 6,
  cancelled: 6,
};

export const FINAL_STATUSES: ReadonlySet<EmailStatus> = new Set(['delivered', 'bounced', 'rejected', 'failed', 'cancelled']);

/**
 * What a cancel may still stop: an email not yet handed to a send. Cancelling is the one move not
 * decided by rank (`cancelled` outranks `delivered`): it never applies once sending has begun.
 */
export const CANCELLABLE_STATUSES = ['queued', 'scheduled'] as const satisfies readonly EmailStatus[];

export const isEmailStatus = (value: string): value is EmailStatus => (EMAIL_STATUSES as readonly string[]).includes(value);

/** The status an event moves an email to, if it is a delivery event. */
export function statusOfEvent(type: EventType): EmailStatus | undefined {
  return isEmailStatus(type) ? type : undefined;
}

/** Whether an email in `from` takes `to` when it is reported: only a higher rank moves it. */
export function movesForward(from: EmailStatus, to: EmailStatus): boolean {
  return STATUS_RANK[to] > STATUS_RANK[from];
}

/** The furthest of these statuses (the first of equal rank), or undefined when there are none. */
export function furthestStatus(statuses: Iterable<EmailStatus>): EmailStatus | undefined {
  let furthest: EmailStatus | undefined;
  for (const s of statuses) if (furthest === undefined || movesForward(furthest, s)) furthest = s;
  return furthest;
}

// SQL compares ranks so that concurrent writers (a worker's outcome, a DSN, a cancel) can only move a
// status forward, whatever another wrote meanwhile. Built from STATUS_RANK, constants of ours, never
// input; a text that is no status ranks below all.
const RANK_CASES = sql.raw(Object.entries(STATUS_RANK).map(([s, r]) => `WHEN '${s}' THEN ${r}`).join(' '));

/** SQL: the rank of a status (-1 for a text that is not one). */
export function statusRankSql(status: Expression<unknown>): RawBuilder<number> {
  return sql<number>`(CASE ${status} ${RANK_CASES} ELSE -1 END)`;
}

/** SQL condition: `next` ranks above `current`, so writing it moves the status forward. */
export function movesForwardSql(current: Expression<unknown>, next: Expression<unknown> | EmailStatus): RawBuilder<boolean> {
  const nextRank = typeof next === 'string' ? sql.lit(STATUS_RANK[next]) : statusRankSql(next);
  return sql<boolean>`(${statusRankSql(current)} < ${nextRank})`;
}

/** SQL: the status after `next` is reported to an email in `current`: `next` when it ranks higher, else `current`. */
export function forwardStatusSql(current: Expression<unknown>, next: Expression<unknown>): RawBuilder<EmailStatus> {
  return sql<EmailStatus>`(CASE WHEN ${movesForwardSql(current, next)} THEN ${next} ELSE ${current} END)`;
}

/** SQL condition: a cancel may still stop an email in `status` (see CANCELLABLE_STATUSES). */
export function isCancellableSql(status: Expression<unknown>): RawBuilder<boolean> {
  // Literals, not a parameter: the planner matches them to emails_campaign_status_id's status column.
  return sql<boolean>`(${status} IN (${sql.raw(CANCELLABLE_STATUSES.map((s) => `'${s}'`).join(', '))}))`;
}
