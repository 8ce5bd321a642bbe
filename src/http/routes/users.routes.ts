// The installation's dashboard users (issue 20), for admins signed in to the dashboard only.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { changeUser, createUser, listUsers, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, signInLinkUrl } from '../../accounts/index.ts';
import { AppError } from '../../shared/app-error.ts';
import { requireAdmin } from '../auth.ts';
import { UuidParam } from '../schemas.ts';
import { accountErrorResponses, ListedUser, listedUserJson, RoleSchema } from './accounts.schema.ts';
import type { AccountRouteDeps } from './session.routes.ts';
import { recordAudit } from '../../audit/index.ts';
import { requestContext } from '../audit-trail.ts';

const adminOnly = 'Only an admin\'s dashboard session may use it (403 forbidden for a viewer or an API key).';

export function userRoutes(deps: AccountRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('onRequest', requireAdmin);

    app.get('/v1/users', {
      schema: {
        summary: 'Every user of the installation',
        description: `Oldest first, all in one answer: an installation has few users. ${adminOnly}`,
        tags: ['users'],
        response: { 200: Type.Object({ data: Type.Array(ListedUser) }), ...accountErrorResponses },
      },
    }, async () => ({ data: (await listUsers(deps.db)).map(listedUserJson) }));

    app.post('/v1/users', {
      config: { audit: 'user.create' },
      schema: {
        summary: 'Create a user',
        description: `Without a password the answer carries a one-time sign_in_link (valid 24 hours) to hand to the user; it is shown only here. The email is stored lowercased; an email that has a user already: 409 user_exists. ${adminOnly}`,
        tags: ['users'],
        body: Type.Object({
          email: Type.String({ minLength: 3, maxLength: 320 }),
          role: RoleSchema,
          password: Type.Optional(Type.String({ maxLength: MAX_PASSWORD_LENGTH, description: `At least ${MIN_PASSWORD_LENGTH} characters.` })),
        }, { additionalProperties: false }),
        response: {
          201: Type.Object({ user: ListedUser, sign_in_link: Type.Optional(Type.String({ description: 'Present when no password was given.' })) }),
          ...accountErrorResponses,
        },
      },
    }, async (request, reply) => {
      const created = await createUser(deps, request.body, (trx, user) => recordAudit(trx, {
        ...requestContext(request),
        action: 'user.create',
        target: { type: 'user', id: user.id },
        details: { email: user.email, role: user.role, with_password: user.hasPassword },
      }));
      return reply.status(201).send({
        user: listedUserJson(created.user),
        ...(created.signInToken ? { sign_in_link: signInLinkUrl(deps.publicUrl, created.signInToken) } : {}),
      });
    });

    app.patch('/v1/users/:id', {
      config: { audit: 'user.update' },
      schema: {
        summary: 'Change a user\'s role, or disable or enable them',
        description: `Disabling ends every session of the user. The last enabled admin can be neither disabled nor made a viewer (409 last_admin). ${adminOnly}`,
        tags: ['users'],
        params: UuidParam,
        body: Type.Object({ role: Type.Optional(RoleSchema), disabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: Type.Object({ user: ListedUser }), ...accountErrorResponses },
      },
    }, async (request) => {
      if (request.body.role === undefined && request.body.disabled === undefined) {
        throw new AppError('validation_error', 'Give role, disabled or both');
      }
      const { role, disabled } = request.body;
      // Disabling or enabling is its own action, the one a reader looks for; a role change is an update.
      const action = role === undefined ? (disabled ? 'user.disable' : 'user.enable') : 'user.update';
      const user = await changeUser(deps, request.params.id, request.body, (trx, changed) => recordAudit(trx, {
        ...requestContext(request),
        action,
        target: { type: 'user', id: changed.id },
        details: { email: changed.email, role, disabled },
      }));
      return { user: listedUserJson(user) };
    });
  };
}
