// The first admin of an installation, created at the first start (while no user exists).
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { recordAudit } from '../audit/index.ts';
import type { Clock } from './clock.ts';
import { assertPasswordAllowed, hashPassword } from './passwords.ts';
import { createSignInLink } from './sign-in-links.ts';
import { hasAnyUser, insertUser, lockUsersForCreation } from './users.repository.ts';

export const DEFAULT_ADMIN_EMAIL = 'admin@localhost';

export type FirstAdmin = { email: string; signInToken?: string };

/**
 * With no user yet, creates an admin: with the configured email and password when both are given
 * (automation, tests), else (the configured email or admin@localhost) without a password, with a
 * one-time sign-in link for `start` to print. Undefined when users exist: this start created none.
 */
export async function ensureFirstAdmin(
  db: Kysely<Database>,
  options: { email?: string; password?: string; clock: Clock },
): Promise<FirstAdmin | undefined> {
  if (await hasAnyUser(db)) return undefined;
  if (options.password !== undefined) assertPasswordAllowed(options.password);
  const email = options.email || DEFAULT_ADMIN_EMAIL;
  // Hashed before the lock, which other starts wait on.
  const passwordHash = options.email && options.password !== undefined ? await hashPassword(options.password) : null;
  return db.transaction().execute(async (trx) => {
    await lockUsersForCreation(trx);
    if (await hasAnyUser(trx)) return undefined;
    const row = (await insertUser(trx, { email, role: 'admin', passwordHash }))!;
    await recordAudit(trx, {
      actor: { type: 'system', label: 'sendtrail start (first admin)' },
      action: 'user.create',
      target: { type: 'user', id: row.id },
      details: { email: row.email, role: 'admin', with_password: passwordHash !== null },
    });
    if (passwordHash) return { email: row.email };
    return { email: row.email, signInToken: await createSignInLink(trx, row.id, options.clock) };
  });
}
