// Signing in: with an email and password, or with a one-time link. Each answers the same for every
// kind of refusal (unknown email, wrong password, disabled user; used, expired or unknown link),
// so an answer never tells whether an address has an account.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { transact } from '../store/transact.ts';
import type { Clock } from './clock.ts';
import { verifyPassword } from './passwords.ts';
import { startSession } from './sessions.ts';
import { redeemSignInLink } from './sign-in-links.ts';
import { beginSignInAttempt } from './sign-in-rate-limit.ts';
import { findUserByEmail, findUserById, normalizeEmail, userOf, type User } from './users.repository.ts';

export type SignInResult =
  | { kind: 'signed_in'; user: User; token: string; sessionId: string }
  | { kind: 'refused' }
  | { kind: 'rate_limited'; retryAfterSeconds: number };

export type SignInDeps = { db: Kysely<Database>; clock: Clock };

/** Written in the transaction that starts the session (the audit log's record of it). */
export type RecordSignIn = (trx: Kysely<Database>, user: User) => Promise<unknown>;

export async function signInWithPassword(deps: SignInDeps, input: { email: string; password: string; ip: string }, record?: RecordSignIn): Promise<SignInResult> {
  const email = normalizeEmail(input.email);
  const attempt = await beginSignInAttempt(deps.db, { email, ip: input.ip }, deps.clock());
  if (attempt.kind === 'rate_limited') return attempt;
  const row = await findUserByEmail(deps.db, email);
  // Verified even for a disabled user, so that the answer takes as long as for any other.
  const matches = await verifyPassword(row?.password_hash, input.password);
  if (!row || !matches || row.disabled_at) return { kind: 'refused' };
  await attempt.succeeded();
  return signedIn(deps, userOf(row), record);
}

export async function signInWithLink(deps: SignInDeps, input: { token: string; ip: string }, record?: RecordSignIn): Promise<SignInResult> {
  const attempt = await beginSignInAttempt(deps.db, { email: null, ip: input.ip }, deps.clock());
  if (attempt.kind === 'rate_limited') return attempt;
  const userId = await redeemSignInLink(deps.db, input.token, deps.clock);
  const row = userId ? await findUserById(deps.db, userId) : undefined;
  if (!row || row.disabled_at) return { kind: 'refused' };
  await attempt.succeeded();
  return signedIn(deps, userOf(row), record);
}

async function signedIn(deps: SignInDeps, user: User, record: RecordSignIn | undefined): Promise<SignInResult> {
  const session = await transact(deps.db, async (trx) => {
    const started = await startSession(trx, user.id, deps.clock);
    await record?.(trx, user);
    return started;
  });
  return { kind: 'signed_in', user, ...session };
}
