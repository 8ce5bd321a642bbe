// All SQL on the domains table: sending domains and their DKIM keys.
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, DomainsTable } from '../../store/database.ts';

export type DomainRow = Selectable<DomainsTable>;
export type NewDomainRow = Insertable<DomainsTable>;

/** Inserts unless the project already has this domain; returns whether the row was inserted. */
export async function insertDomain(db: Kysely<Database>, row: NewDomainRow): Promise<boolean> {
  // ON CONFLICT DO NOTHING: two concurrent `domains add` for one name must not fail, the loser
  // reads the winner's key.
  const inserted = await db
    .insertInto('domains')
    .values(row)
    .onConflict((oc) => oc.columns(['project_id', 'name']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function findDomain(
  db: Kysely<Database>,
  projectId: string,
  name: string,
): Promise<DomainRow | undefined> {
  return db
    .selectFrom('domains')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('name', '=', name)
    .executeTakeFirst();
}

/** The project's domains among `names` (a From domain and its parents, for the signer). */
export async function findDomainsNamed(
  db: Kysely<Database>,
  projectId: string,
  names: string[],
): Promise<DomainRow[]> {
  if (names.length === 0) return [];
  return db
    .selectFrom('domains')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('name', 'in', names)
    .execute();
}

export async function listDomains(db: Kysely<Database>, projectId: string): Promise<DomainRow[]> {
  return db.selectFrom('domains').selectAll().where('project_id', '=', projectId).orderBy('name').execute();
}

export async function findDomainById(db: Kysely<Database>, projectId: string, id: string): Promise<DomainRow | undefined> {
  return db.selectFrom('domains').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
}

/** Deletes the row, its private key with it; returns whether there was one. */
export async function deleteDomain(db: Kysely<Database>, projectId: string, id: string): Promise<boolean> {
  const deleted = await db.deleteFrom('domains').where('project_id', '=', projectId).where('id', '=', id).returning('id').executeTakeFirst();
  return deleted !== undefined;
}
