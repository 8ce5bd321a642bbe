// Rate limits on guessing passwords and links, counted in the database so that every api process
// sharing it counts the same attempts.
//
// Failures are counted per (email, client network) and per client network, never per email alone:
// a limit on an email that anyone can run up would let anyone lock its owner out (OWASP's
// Authentication Cheat Sheet, "Account Lockout", on the denial of service a lockout gives away). A
// network that guesses is blocked for a while, for that email or for every one; the owner, on a
// network that is not guessing, signs in as usual. A client network is an IPv4 address or an IPv6
// /64 (client-network.ts), from the client IP as the server resolves it (TRACKING_TRUSTED_PROXIES).
//
// An attempt is written before the password is checked and counted with the others, so that many
// attempts sent at once are all counted (a check-then-write would let them all through). A refused
// attempt is removed again: waiting out the limit is enough, retrying does not prolong it.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { clientNetworkOf } from './client-network.ts';
import { deleteAttempt, deleteAttemptsBefore, failuresSince, insertAttempt, recordSuccess } from './sign-in-attempts.repository.ts';

export const SIGN_IN_LIMITS = {
  windowMs: 15 * 60_000,
  /** Failed attempts for one email from one client network, per window. */
  perEmailAndNetwork: 10,
  /** Failed attempts from one client network, for any email or link, per window. */
  perNetwork: 50,
} as const;

/** The client's IP (request.ip); it is counted by its network. `email` is null for a sign-in link. */
export type AttemptKey = { email: string | null; ip: string };

export type Attempt =
  | { kind: 'allowed'; succeeded(): Promise<void> }
  | { kind: 'rate_limited'; retryAfterSeconds: number };

/** Counts an attempt against its (email, network)'s and its network's limits; call succeeded() if it succeeds. */
export async function beginSignInAttempt(db: Kysely<Database>, key: AttemptKey, now: Date): Promise<Attempt> {
  const since = new Date(now.getTime() - SIGN_IN_LIMITS.windowMs);
  const counted = { email: key.email, network: clientNetworkOf(key.ip) };
  await deleteAttemptsBefore(db, since);
  const id = await insertAttempt(db, { ...counted, at: now });
  const waits = [
    ...(counted.email !== null
      ? [waitFor(await failuresSince(db, { email: counted.email, network: counted.network }, since), SIGN_IN_LIMITS.perEmailAndNetwork, now)]
      : []),
    waitFor(await failuresSince(db, { network: counted.network }, since), SIGN_IN_LIMITS.perNetwork, now),
  ];
  const waitMs = Math.max(...waits);
  if (waitMs > 0) {
    await deleteAttempt(db, id);
    return { kind: 'rate_limited', retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
  return { kind: 'allowed', succeeded: () => recordSuccess(db, id, counted) };
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
