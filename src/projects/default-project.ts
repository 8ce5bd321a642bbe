// The default project every installation starts with, and its first API key.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { newId } from '../shared/ids.ts';
import { createApiKey, findProjectIdByApiKey } from './api-keys.ts';

export type Bootstrap = { projectId: string; createdKey?: string };

/**
 * Ensures the default project exists. On an empty database it also creates one API key and returns
 * it so `start` can print it once; a configured SENDTRAIL_API_KEY is seeded instead when given.
 * Processes starting at once on one empty PostgreSQL create one project and one key: the others
 * wait for the first's transaction, then find them.
 */
export async function ensureDefaultProject(db: Kysely<Database>, seededKey?: string): Promise<Bootstrap> {
  const existing = await findDefaultProjectId(db);
  if (existing && (!seededKey || (await findProjectIdByApiKey(db, seededKey)))) return { projectId: existing };
  return db.transaction().execute(async (trx) => {
    // Blocks other writers of projects (only this bootstrap writes them) until the commit; a
    // statement after the lock reads what an earlier holder committed.
    await sql`LOCK TABLE projects IN EXCLUSIVE MODE`.execute(trx);
    const found = await findDefaultProjectId(trx);
    const projectId = found ?? newId();
    if (!found) await trx.insertInto('projects').values({ id: projectId, name: 'Default project' }).execute();
    if (seededKey) {
      if (!(await findProjectIdByApiKey(trx, seededKey))) await createApiKey(trx, projectId, 'seeded', seededKey);
      return { projectId };
    }
    if (!found) return { projectId, createdKey: (await createApiKey(trx, projectId, 'default')).key };
    return { projectId };
  });
}

async function findDefaultProjectId(db: Kysely<Database>): Promise<string | undefined> {
  return (await db.selectFrom('projects').select('id').orderBy('created_at').limit(1).executeTakeFirst())?.id;
}

export async function defaultProjectId(db: Kysely<Database>): Promise<string> {
  return (await ensureDefaultProject(db)).projectId;
}
