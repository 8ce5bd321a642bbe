// The roles one Sendtrail process can run (`sendtrail start --roles ...`), and how to start them:
// the composition root, the tests and the benchmarks all start roles through here.
import { ROLE_NAMES, type RoleName } from './role.ts';
import { commaList } from '../shared/comma-list.ts';

export { ROLE_NAMES, type RoleContext, type RoleName } from './role.ts';
export { startRoles, type RunningRoles } from './start-roles.ts';
export { spoolingOf } from './tracking.ts';

/** `--roles api,worker`: the named roles, checked; absent, every role. */
export function parseRoles(value: string | undefined): RoleName[] {
  if (!value) return [...ROLE_NAMES];
  const roles = commaList(value);
  for (const r of roles) {
    if (!(ROLE_NAMES as readonly string[]).includes(r)) throw new Error(`unknown role "${r}"; roles: ${ROLE_NAMES.join(', ')}`);
  }
  return roles as RoleName[];
}
