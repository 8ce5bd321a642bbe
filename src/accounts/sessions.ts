// Dashboard sessions: started at sign-in, resolved from the cookie's token on each request, ended
// by sign-out, idleness, age, or the user being disabled.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { newId } from '../shared/ids.ts';
import type { Clock } from './clock.ts';
import { hashSecretToken, newSecretToken } from './secret-tokens.ts';
import { isSessionExpired, needsRefresh, SESSION_ABSOLUTE_MS, sessionEndsAt } from './session-lifetime.ts';
import { deleteEndedSessions, deleteSession, deleteSessionsOfUser, findSessionByTokenHash, insertSession, touchSession } from './sessions.repository.ts';
import type { Role } from './users.repository.ts';

export type Session = {
  id: string;
  userId: string;
  email: string;
  role: Role;
  hasPassword: boolean;
  createdAt: Date;
  /** When it ends if unused from now on (idle or absolute expiry, the earlier). */
  endsAt: Date;
};

/** Starts a session for a user; the token goes into the cookie and is never stored. */
export async function startSession(db: Kysely<Database>, userId: string, clock: Clock): Promise<{ token: string; sessionId: string }> {
  const now = clock();
  await deleteEndedSessions(db, now);
  const token = newSecretToken();
  const id = newId();
  await insertSession(db, {
    id,
    token_hash: hashSecretToken(token),
    user_id: userId,
    created_at: now,
    last_seen_at: now,
    expires_at: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
  });
  return { token, sessionId: id };
}

/** The live session a token names, its idle expiry pushed back (written at most once a minute). */
export async function resolveSession(db: Kysely<Database>, token: string, clock: Clock): Promise<Session | undefined> {
  const now = clock();
  const row = await findSessionByTokenHash(db, hashSecretToken(token));
  if (!row || row.disabled_at) return undefined;
  if (isSessionExpired(row, now)) {
    await deleteSession(db, row.id);
    return undefined;
  }
  const refresh = needsRefresh(row, now);
  if (refresh) await touchSession(db, row.id, now);
  const lastSeen = refresh ? now : row.last_seen_at;
  return {
    id: row.id,
    userId: row.user_id,
    email: row.email,
    role: row.role,
    hasPassword: row.password_hash !== null,
    createdAt: row.created_at,
    endsAt: sessionEndsAt({ ...row, last_seen_at: lastSeen }),
  };
}

export function endSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  return deleteSession(db, sessionId);
}

/** Signs a user out everywhere (or everywhere but one session, after a password change). */
export function endSessionsOfUser(db: Kysely<Database>, userId: string, except?: string): Promise<number> {
  return deleteSessionsOfUser(db, userId, except);
}
