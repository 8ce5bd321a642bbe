// The default project every installation starts with, and its first API key.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { newId } from '../shared/ids.ts';
import { createApiKey, findProjectIdByApiKey } from './api-keys.ts';

export type Bootstrap = { projectId: string; createdKey?: string };

/**
 * Ensures the default project exists. On an empty database it also creates one API key and returns
 * it so `start` can print it once; a configured SENDTRAIL_API_KEY is seeded instead when given.
 */
export async function ensureDefaultProject(db: Kysely<Database>, seededKey?: string): Promise<Bootstrap> {
  const existing = await db.selectFrom('projects').select('id').orderBy('created_at').limit(1).executeTakeFirst();
  const projectId = existing?.id ?? newId();
  if (!existing) await db.insertInto('projects').values({ id: projectId, name: 'Default project' }).execute();
  if (seededKey) {
    if (!(await findProjectIdByApiKey(db, seededKey))) await createApiKey(db, projectId, 'seeded', seededKey);
    return { projectId };
  }
  if (!existing) return { projectId, createdKey: (await createApiKey(db, projectId, 'default')).key };
  return { projectId };
}

export async function defaultProjectId(db: Kysely<Database>): Promise<string> {
  return (await ensureDefaultProject(db)).projectId;
}
