// Installation-wide settings in the database: one value per key, the first writer wins.
import type { Kysely } from 'kysely';
import type { Database } from './database.ts';

/** The stored value of `key`, storing `candidate` first when there is none (safe under races). */
export async function getOrCreateSetting(db: Kysely<Database>, key: string, candidate: string): Promise<string> {
  // ON CONFLICT DO NOTHING + read: two processes starting at once both end up with the first value.
  await db.insertInto('installation_settings').values({ key, value: candidate }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('installation_settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}
