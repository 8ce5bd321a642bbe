// An admin's work on the installation's users (over HTTP or the CLI): create, list, change role,
// disable. The last enabled admin always stays, so the dashboard cannot be locked out by mistake.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { transact } from '../store/transact.ts';
import { AppError } from '../shared/app-error.ts';
import { isUuid } from '../shared/ids.ts';
import type { Clock } from './clock.ts';
import { assertPasswordAllowed, hashPassword } from './passwords.ts';
import { endSessionsOfUser } from './sessions.ts';
import { createSignInLink } from './sign-in-links.ts';
import { deleteUnusedSignInLinksOf } from './sign-in-links.repository.ts';
import { findUserByEmail, insertUser, listUserRows, lockEnabledAdmins, normalizeEmail, updateUser, userOf, type Role, type User } from './users.repository.ts';

// A sign-in name that looks like an email, not necessarily a deliverable one: admin@localhost is
// the first admin's, and Sendtrail sends no mail to users.
const USER_EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}$/;

export type CreatedUser = { user: User; signInToken?: string };

/** Creates a user; without a password, also a one-time sign-in link (valid 24 h) for them. */
export async function createUser(
  deps: { db: Kysely<Database>; clock: Clock },
  input: { email: string; role: Role; password?: string },
  /** Written with the user (the audit log's record of it). */
  record?: (trx: Kysely<Database>, user: User) => Promise<unknown>,
): Promise<CreatedUser> {
  const email = normalizeEmail(input.email);
  if (!USER_EMAIL.test(email)) throw new AppError('validation_error', `Not an email address: ${input.email}`);
  if (input.password !== undefined) assertPasswordAllowed(input.password);
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : null;
  // The password is hashed first: argon2 takes tens of milliseconds, not to be spent in a transaction.
  return transact(deps.db, async (trx) => {
    const row = await insertUser(trx, { email, role: input.role, passwordHash });
    if (!row) throw new AppError('user_exists', `A user with the email ${email} exists already`);
    const user = userOf(row);
    await record?.(trx, user);
    if (passwordHash) return { user };
    return { user, signInToken: await createSignInLink(trx, row.id, deps.clock) };
  });
}

export async function listUsers(db: Kysely<Database>): Promise<User[]> {
  return (await listUserRows(db)).map(userOf);
}

/**
 * Changes a user's role or enables/disables them. Disabling ends every session of theirs and voids
 * their unused sign-in links, so enabling them again does not revive a link handed out before.
 */
export async function changeUser(
  deps: { db: Kysely<Database>; clock: Clock },
  id: string,
  changes: { role?: Role; disabled?: boolean },
  record?: (trx: Kysely<Database>, user: User) => Promise<unknown>,
): Promise<User> {
  if (!isUuid(id)) throw new AppError('not_found', 'No such user');
  const now = deps.clock();
  const row = await transact(deps.db, async (trx) => {
    const admins = await lockEnabledAdmins(trx);
    const losesAdmin = changes.role === 'viewer' || changes.disabled === true;
    if (losesAdmin && admins.length === 1 && admins[0] === id) {
      throw new AppError('last_admin', 'This is the last enabled admin: make another user admin first');
    }
    const disabledAt = changes.disabled === undefined ? undefined : changes.disabled ? now : null;
    const updated = await updateUser(trx, id, { role: changes.role, disabledAt }, now);
    if (!updated) throw new AppError('not_found', 'No such user');
    if (changes.disabled) {
      await endSessionsOfUser(trx, id);
      await deleteUnusedSignInLinksOf(trx, id);
    }
    await record?.(trx, userOf(updated));
    return updated;
  });
  return userOf(row);
}

export async function disableUserByEmail(
  deps: { db: Kysely<Database>; clock: Clock },
  email: string,
  record?: (trx: Kysely<Database>, user: User) => Promise<unknown>,
): Promise<User> {
  const row = await findUserByEmail(deps.db, email);
  if (!row) throw new AppError('not_found', `No user has the email ${normalizeEmail(email)}`);
  return changeUser(deps, row.id, { disabled: true }, record);
}

/**
 * A new one-time link for an existing, enabled user: the way back in after a forgotten (or leaked)
 * password. The password is cleared, the user's sessions end and the links handed out before stop
 * working: signed in by the new link, they set a new password without the old one (PUT
 * /v1/session/password asks for the current one only while there is one), and whoever knew the
 * old one, or holds an older link, is out.
 */
export async function newSignInLinkFor(deps: { db: Kysely<Database>; clock: Clock }, email: string): Promise<string> {
  const row = await findUserByEmail(deps.db, email);
  if (!row) throw new AppError('not_found', `No user has the email ${normalizeEmail(email)}`);
  if (row.disabled_at) throw new AppError('validation_error', `${row.email} is disabled`);
  return deps.db.transaction().execute(async (trx) => {
    if (row.password_hash !== null) await updateUser(trx, row.id, { passwordHash: null }, deps.clock());
    await endSessionsOfUser(trx, row.id);
    await deleteUnusedSignInLinksOf(trx, row.id);
    return createSignInLink(trx, row.id, deps.clock);
  });
}
