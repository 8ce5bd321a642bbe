// API keys: generated once, stored only as a SHA-256 hash, resolved to the project they belong to,
// listed (never with the hash) and revoked.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { ApiKeysTable, Database } from '../store/database.ts';
import { newId } from '../shared/ids.ts';

const PREFIX = 'st_';
/** What is kept in clear: `st_` and four characters, enough to tell keys apart in a list. */
const SHOWN_PREFIX_LENGTH = 7;

/** A key as it may be shown: everything but its hash. */
export type ApiKeyRow = Omit<Selectable<ApiKeysTable>, 'key_hash'>;

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export function generateApiKey(): string {
  return PREFIX + randomBytes(24).toString('base64url');
}

const SHOWN_COLUMNS = ['id', 'project_id', 'name', 'key_prefix', 'created_at', 'revoked_at', 'last_used_at'] as const;

/** Stores a key (generated unless given) and returns it in clear: the only time it is seen. */
export async function createApiKey(
  db: Kysely<Database>,
  projectId: string,
  name: string,
  key: string = generateApiKey(),
): Promise<{ id: string; key: string; row: ApiKeyRow }> {
  const id = newId();
  const inserted = await db
    .insertInto('api_keys')
    .values({ id, project_id: projectId, name, key_hash: hashApiKey(key), key_prefix: key.slice(0, SHOWN_PREFIX_LENGTH) })
    .onConflict((oc) => oc.column('key_hash').doNothing())
    .returning(SHOWN_COLUMNS)
    .executeTakeFirst();
  // A seeded key that exists already (SENDTRAIL_API_KEY at every start) is the existing row.
  const row = inserted ?? (await db.selectFrom('api_keys').select(SHOWN_COLUMNS).where('key_hash', '=', hashApiKey(key)).executeTakeFirstOrThrow());
  return { id: row.id, key, row };
}

/** The key's id and project when it exists and is not revoked: read at every request, never cached, so a revocation acts at once. */
export async function findApiKey(db: Kysely<Database>, key: string): Promise<{ id: string; projectId: string; name: string } | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'project_id', 'name'])
    .where('key_hash', '=', hashApiKey(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row && { id: row.id, projectId: row.project_id, name: row.name };
}

export async function findProjectIdByApiKey(db: Kysely<Database>, key: string): Promise<string | undefined> {
  return (await findApiKey(db, key))?.projectId;
}

/** Every key of the project, revoked ones included (they say when), newest first. */
export async function listApiKeys(db: Kysely<Database>, projectId: string): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').select(SHOWN_COLUMNS).where('project_id', '=', projectId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

/**
 * Revokes a key of the project; a key revoked already keeps its first revoked_at. Undefined when
 * the project has no such key.
 */
export async function revokeApiKey(db: Kysely<Database>, projectId: string, id: string, now: Date): Promise<ApiKeyRow | undefined> {
  await db.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('project_id', '=', projectId).where('revoked_at', 'is', null).execute();
  return db.selectFrom('api_keys').select(SHOWN_COLUMNS).where('id', '=', id).where('project_id', '=', projectId).executeTakeFirst();
}

/** Moves last_used_at to now unless it moved within `intervalMs` (by this process or another). */
export async function touchApiKey(db: Kysely<Database>, id: string, now: Date, intervalMs: number): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', new Date(now.getTime() - intervalMs))]))
    .execute();
}
