// `sendtrail users create|link|list|disable`: the dashboard's users from a shell, e.g. when no admin can
// sign in any more. On PostgreSQL it works while Sendtrail runs; the embedded database admits one
// process, so there it needs Sendtrail stopped (the caller reports the locked data directory).
import { parseArgs } from 'node:util';
import type { Config } from '../config/schema.ts';
import { publicUrlOf } from '../config/public-urls.ts';
import { openConfiguredStore } from '../store/open-configured-store.ts';

export const USERS_USAGE = `  users create --email E [--role admin|viewer] [--password-stdin]
                                    Create a dashboard user (role viewer by default); without a
                                    password, print a one-time sign-in link (valid 24 hours)
  users link --email E              A forgotten password: clear it, end the user's sessions and
                                    print a new one-time sign-in link (they set a new password)
  users list                        List the dashboard's users
  users disable --email E           Disable a user and end their sessions`;

export type UsersIo = { out(line: string): void; err(line: string): void; readStdin(): Promise<string> };

export async function usersCommand(config: Config, args: string[], io: UsersIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { email: { type: 'string' }, role: { type: 'string', default: 'viewer' }, 'password-stdin': { type: 'boolean', default: false } },
  });
  const [sub] = positionals;
  if (sub !== 'create' && sub !== 'link' && sub !== 'list' && sub !== 'disable') return problem(io, 'users: the subcommand is create, link, list or disable');
  if (sub !== 'list' && !values.email) return problem(io, `users ${sub}: give --email`);
  const role = values.role;
  if (role !== 'admin' && role !== 'viewer') return problem(io, '--role is admin or viewer');
  // Read before the store opens, so a slow pipe does not hold the database.
  const password = values['password-stdin'] ? (await io.readStdin()).replace(/\r?\n$/, '') : undefined;
  const { createUser, disableUserByEmail, listUsers, newSignInLinkFor, signInLinkUrl, systemClock } = await import('../accounts/index.ts');
  const { recordAudit } = await import('../audit/index.ts');
  const store = await openConfiguredStore(config);
  // Done from a shell: the system acts, and the record says which command.
  const recordAs = (action: 'user.create' | 'user.disable') => (trx: Parameters<typeof recordAudit>[0], user: { id: string; email: string; role: string; hasPassword: boolean }) =>
    recordAudit(trx, {
      actor: { type: 'system', label: `sendtrail users ${sub} (command line)` },
      action,
      target: { type: 'user', id: user.id },
      details: { email: user.email, role: user.role, with_password: user.hasPassword },
    });
  try {
    const deps = { db: store.db, clock: systemClock };
    if (sub === 'list') {
      for (const u of await listUsers(store.db)) {
        io.out(`${u.email}  ${u.role}  ${u.disabled ? 'disabled' : 'enabled'}  ${u.hasPassword ? 'password' : 'no password yet'}  created ${u.createdAt.toISOString()}`);
      }
      return 0;
    }
    if (sub === 'disable') {
      const user = await disableUserByEmail(deps, values.email!, recordAs('user.disable'));
      io.out(`Disabled ${user.email}; their sessions have ended.`);
      return 0;
    }
    if (sub === 'link') {
      const token = await newSignInLinkFor(deps, values.email!);
      io.out(`${values.email!.trim().toLowerCase()} has no password now and is signed out everywhere. One-time sign-in link (valid 24 hours, shown once), to set a new password:\n  ${signInLinkUrl(publicUrlOf(config), token)}`);
      return 0;
    }
    const created = await createUser(deps, { email: values.email!, role, password }, recordAs('user.create'));
    io.out(`Created ${created.user.role} ${created.user.email}.`);
    if (created.signInToken) {
      io.out(`One-time sign-in link (valid 24 hours, shown once):\n  ${signInLinkUrl(publicUrlOf(config), created.signInToken)}`);
    }
    return 0;
  } finally {
    await store.close();
  }
}

function problem(io: UsersIo, message: string): number {
  io.err(`sendtrail: ${message}`);
  return 2;
}
