// All the SQL on sign-in attempts: the rows that rate-limit guessing, shared by every api process.
// The `ip` column holds the attempt's client network (an IPv4 address or an IPv6 /64), the unit
// the limits count by.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';

export type CountedAttempt = { email: string | null; network: string };

export async function insertAttempt(db: Kysely<Database>, attempt: CountedAttempt & { at: Date }): Promise<number> {
  const row = await db
    .insertInto('sign_in_attempts')
    .values({ email: attempt.email, ip: attempt.network, created_at: attempt.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** When each failed (or still running) attempt since `since` was made, oldest first. */
export async function failuresSince(db: Kysely<Database>, by: { email: string; network: string } | { network: string }, since: Date): Promise<Date[]> {
  let query = db.selectFrom('sign_in_attempts').select('created_at').where('succeeded', '=', false).where('created_at', '>', since);
  query = query.where('ip', '=', by.network);
  if ('email' in by) query = query.where('email', '=', by.email);
  return (await query.orderBy('created_at').execute()).map((r) => r.created_at);
}

export async function deleteAttempt(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('sign_in_attempts').where('id', '=', id).execute();
}

/** A success clears the failures of that email from that network only: never another network's count. */
export async function recordSuccess(db: Kysely<Database>, id: number, attempt: CountedAttempt): Promise<void> {
  await db.updateTable('sign_in_attempts').set({ succeeded: true }).where('id', '=', id).execute();
  if (attempt.email !== null) {
    await db
      .deleteFrom('sign_in_attempts')
      .where('email', '=', attempt.email)
      .where('ip', '=', attempt.network)
      .where('succeeded', '=', false)
      .execute();
  }
}

export async function deleteAttemptsBefore(db: Kysely<Database>, before: Date): Promise<void> {
  await db.deleteFrom('sign_in_attempts').where('created_at', '<', before).execute();
}
