// Rate limits on guessing passwords and links, counted in the database so that every api process
// sharing it counts the same attempts.
//
// An attempt is written before the password is checked and counted with the others, so that many
// attempts sent at once are all counted (a check-then-write would let them all through). A refused
// attempt is removed again: waiting out the limit is enough, retrying does not prolong it.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { deleteAttempt, deleteAttemptsBefore, failuresSince, insertAttempt, recordSuccess } from './sign-in-attempts.repository.ts';

export const SIGN_IN_LIMITS = {
  windowMs: 15 * 60_000,
  /** Failed attempts for one email, from any IP, per window. */
  perEmail: 10,
  /** Failed attempts from one IP, for any email or link, per window. */
  perIp: 50,
} as const;

export type AttemptKey = { email: string | null; ip: string };

export type Attempt =
  | { kind: 'allowed'; succeeded(): Promise<void> }
  | { kind: 'rate_limited'; retryAfterSeconds: number };

/** Counts an attempt against its email's and its IP's limits; call succeeded() if it succeeds. */
export async function beginSignInAttempt(db: Kysely<Database>, key: AttemptKey, now: Date): Promise<Attempt> {
  const since = new Date(now.getTime() - SIGN_IN_LIMITS.windowMs);
  await deleteAttemptsBefore(db, since);
  const id = await insertAttempt(db, { ...key, at: now });
  const waits = [
    ...(key.email !== null ? [waitFor(await failuresSince(db, { email: key.email }, since), SIGN_IN_LIMITS.perEmail, now)] : []),
    waitFor(await failuresSince(db, { ip: key.ip }, since), SIGN_IN_LIMITS.perIp, now),
  ];
  const waitMs = Math.max(...waits);
  if (waitMs > 0) {
    await deleteAttempt(db, id);
    return { kind: 'rate_limited', retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
  return { kind: 'allowed', succeeded: () => recordSuccess(db, id, key) };
}

/**
 * 0 when the failures (this attempt included) are within the limit; else how long until enough of
 * the oldest leave the window for one more attempt to fit.
 */
function waitFor(failures: Date[], limit: number, now: Date): number {
  if (failures.length <= limit) return 0;
  // Without this attempt there are length - 1; one more fits once length - limit of them are gone.
  const leaving = failures[failures.length - 1 - limit]!;
  return Math.max(1, leaving.getTime() + SIGN_IN_LIMITS.windowMs - now.getTime());
}
