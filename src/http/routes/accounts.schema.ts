// TypeBox shapes of the dashboard's accounts: what a user looks like in answers, and the error
// statuses the sign-in and users routes add to the common ones.
import { Type } from '@sinclair/typebox';
import type { User } from '../../accounts/index.ts';
import { ErrorBody, errorResponses } from '../schemas.ts';

export const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('viewer')], {
  description: 'admin: everything, users included; viewer: reads everything, changes nothing but their own password.',
});

export const SessionUser = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: RoleSchema,
  has_password: Type.Boolean({ description: 'false for a user who has signed in only by link: PUT /v1/session/password then needs no current_password.' }),
});

export const ListedUser = Type.Object({
  ...SessionUser.properties,
  disabled: Type.Boolean(),
  created_at: Type.String({ format: 'date-time' }),
});

export const sessionUserJson = (u: Pick<User, 'id' | 'email' | 'role' | 'hasPassword'>) => ({ id: u.id, email: u.email, role: u.role, has_password: u.hasPassword });

export const listedUserJson = (u: User) => ({ ...sessionUserJson(u), disabled: u.disabled, created_at: u.createdAt.toISOString() });

export const accountErrorResponses = { ...errorResponses, 403: ErrorBody, 429: ErrorBody };
