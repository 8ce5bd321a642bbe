// All the SQL on sessions: rows keyed by the hash of the cookie's token.
import type { Kysely, Selectable } from 'kysely';
import type { Database, SessionsTable } from '../store/database.ts';
import type { Role } from './users.repository.ts';
import { SESSION_IDLE_MS, SESSION_REFRESH_MS } from './session-lifetime.ts';

export type SessionRow = Selectable<SessionsTable>;
export type SessionWithUser = SessionRow & { email: string; role: Role; password_hash: string | null; disabled_at: Date | null };

export async function insertSession(db: Kysely<Database>, row: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export function findSessionByTokenHash(db: Kysely<Database>, tokenHash: string): Promise<SessionWithUser | undefined> {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('sessions')
    .select(['users.email', 'users.role', 'users.password_hash', 'users.disabled_at'])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Moves last_seen_at to now unless another request (any process) did so within the last minute. */
export async function touchSession(db: Kysely<Database>, id: string, now: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now })
    .where('id', '=', id)
    .where('last_seen_at', '<=', new Date(now.getTime() - SESSION_REFRESH_MS))
    .execute();
}

export async function deleteSession(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteSessionsOfUser(db: Kysely<Database>, userId: string, except?: string): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (except) query = query.where('id', '!=', except);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Ended sessions have no use; they are removed at each sign-in so the table does not grow. */
export async function deleteEndedSessions(db: Kysely<Database>, now: Date): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', new Date(now.getTime() - SESSION_IDLE_MS))]))
    .execute();
}
