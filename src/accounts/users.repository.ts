// All the SQL on users: the installation's dashboard accounts, one per (lowercased) email.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, UsersTable } from '../store/database.ts';
import { newId } from '../shared/ids.ts';

export type Role = UsersTable['role'];
export const ROLES: readonly Role[] = ['admin', 'viewer'];

export type UserRow = Selectable<UsersTable>;

export type User = { id: string; email: string; role: Role; hasPassword: boolean; disabled: boolean; createdAt: Date };

export const userOf = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  role: row.role,
  hasPassword: row.password_hash !== null,
  disabled: row.disabled_at !== null,
  createdAt: row.created_at,
});

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** The new user, or undefined when the email already has one. */
export async function insertUser(
  db: Kysely<Database>,
  user: { email: string; role: Role; passwordHash: string | null },
): Promise<UserRow | undefined> {
  return db
    .insertInto('users')
    .values({ id: newId(), email: normalizeEmail(user.email), role: user.role, password_hash: user.passwordHash })
    .onConflict((oc) => oc.column('email').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function findUserByEmail(db: Kysely<Database>, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
}

export function findUserById(db: Kysely<Database>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every user, oldest first: an installation has a handful, so there is no paging. */
export function listUserRows(db: Kysely<Database>): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function hasAnyUser(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/**
 * Blocks other writers of users until the transaction ends (readers go on): two processes starting
 * on one empty PostgreSQL at once must not both see no user and both create a first admin.
 */
export async function lockUsersForCreation(trx: Kysely<Database>): Promise<void> {
  await sql`LOCK TABLE users IN EXCLUSIVE MODE`.execute(trx);
}

/**
 * The enabled admins, locked: of two transactions that each demote or disable a different admin,
 * the second reads the first's outcome after waiting (READ COMMITTED re-checks locked rows), so the
 * last admin cannot be removed by two requests at once.
 */
export async function lockEnabledAdmins(trx: Kysely<Database>): Promise<string[]> {
  const rows = await trx
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

export async function updateUser(
  db: Kysely<Database>,
  id: string,
  changes: { role?: Role; disabledAt?: Date | null; passwordHash?: string | null },
  now: Date,
): Promise<UserRow | undefined> {
  return db
    .updateTable('users')
    .set({
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      ...(changes.disabledAt !== undefined ? { disabled_at: changes.disabledAt } : {}),
      ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}
