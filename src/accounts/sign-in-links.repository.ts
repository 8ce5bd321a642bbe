// All the SQL on sign-in links: one-time tokens, stored hashed, redeemed by a single UPDATE.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';

export async function insertSignInLink(db: Kysely<Database>, row: { token_hash: string; user_id: string; created_at: Date; expires_at: Date }): Promise<void> {
  await db.insertInto('sign_in_links').values(row).execute();
}

/**
 * Marks a link used and returns its user, if it was unused and unexpired: one statement, so two
 * requests (in any processes) racing with the same link cannot both redeem it.
 */
export async function markSignInLinkUsed(db: Kysely<Database>, tokenHash: string, now: Date): Promise<string | undefined> {
  const row = await db
    .updateTable('sign_in_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst();
  return row?.user_id;
}

/** Unused links of a user stop working: they are disabled, or their password was reset. */
export async function deleteUnusedSignInLinksOf(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom('sign_in_links').where('user_id', '=', userId).where('used_at', 'is', null).execute();
}
