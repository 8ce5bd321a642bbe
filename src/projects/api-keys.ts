// API keys: generated once, stored only as a SHA-256 hash, resolved to the project they belong to.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { newId } from '../shared/ids.ts';

const PREFIX = 'st_';

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export function generateApiKey(): string {
  return PREFIX + randomBytes(24).toString('base64url');
}

/** Stores a key (generated unless given) and returns it in clear: the only time it is seen. */
export async function createApiKey(
  db: Kysely<Database>,
  projectId: string,
  name: string,
  key: string = generateApiKey(),
): Promise<{ id: string; key: string }> {
  const id = newId();
  await db
    .insertInto('api_keys')
    .values({ id, project_id: projectId, name, key_hash: hashApiKey(key), key_prefix: key.slice(0, 7) })
    .onConflict((oc) => oc.column('key_hash').doNothing())
    .execute();
  return { id, key };
}

export async function findProjectIdByApiKey(db: Kysely<Database>, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select('project_id')
    .where('key_hash', '=', hashApiKey(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row?.project_id;
}
