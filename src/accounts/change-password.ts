// A signed-in user sets or changes their own password.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { AppError } from '../shared/app-error.ts';
import type { Clock } from './clock.ts';
import { assertPasswordAllowed, hashPassword, verifyPassword } from './passwords.ts';
import { endSessionsOfUser } from './sessions.ts';
import { deleteUnusedSignInLinksOf } from './sign-in-links.repository.ts';
import { beginSignInAttempt } from './sign-in-rate-limit.ts';
import { findUserById, updateUser } from './users.repository.ts';

export type ChangePasswordResult = { kind: 'changed' } | { kind: 'rate_limited'; retryAfterSeconds: number };

/**
 * The current password is required once the user has one: a session left open on a shared computer
 * must not be enough to take the account over. Its guesses count like sign-in attempts. A change
 * signs out the user's other sessions and voids their unused sign-in links: whoever got in with
 * the old password, or holds a link handed out before, may be the reason for changing it. The
 * session that made the change stays signed in.
 */
export async function changePassword(
  deps: { db: Kysely<Database>; clock: Clock },
  input: { userId: string; sessionId: string; currentPassword?: string; newPassword: string; ip: string },
  /** Written with the change (the audit log's record of it); told whether there was a password before. */
  record?: (trx: Kysely<Database>, hadPassword: boolean) => Promise<unknown>,
): Promise<ChangePasswordResult> {
  const user = await findUserById(deps.db, input.userId);
  if (!user) throw new AppError('unauthorized', 'Not signed in');
  assertPasswordAllowed(input.newPassword);
  if (user.password_hash !== null) {
    if (input.currentPassword === undefined) {
      throw new AppError('validation_error', 'current_password is required to change a password');
    }
    const attempt = await beginSignInAttempt(deps.db, { email: user.email, ip: input.ip }, deps.clock());
    if (attempt.kind === 'rate_limited') return attempt;
    if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
      throw new AppError('wrong_password', 'The current password is not right');
    }
    await attempt.succeeded();
  }
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, { passwordHash }, deps.clock());
    await endSessionsOfUser(trx, user.id, input.sessionId);
    await deleteUnusedSignInLinksOf(trx, user.id);
    await record?.(trx, user.password_hash !== null);
  });
  return { kind: 'changed' };
}
