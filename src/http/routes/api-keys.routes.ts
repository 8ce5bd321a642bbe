// The project's API keys (issue 20): list them with when each was last used, create one (shown in
// clear in that answer only), revoke one. A viewer's session reads the list; changing it takes an
// admin's session or an API key (authenticate refuses a viewer every changing route).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeyRow } from '../../projects/api-keys.ts';
import { LAST_USED_RESOLUTION_MS } from '../../projects/api-key-usage.ts';
import type { Clock } from '../../accounts/index.ts';
import { AppError } from '../../shared/app-error.ts';
import { isUuid } from '../../shared/ids.ts';
import { ErrorBody, UuidParam, errorResponses } from '../schemas.ts';
import { withAudit } from '../audit-trail.ts';

const MAX_NAME_LENGTH = 100;

const ApiKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key (`st_` and four more), to tell keys apart; the rest is stored only as a hash.' }),
  created_at: Type.String({ format: 'date-time' }),
  last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: `When a request last authenticated with the key, to within ${LAST_USED_RESOLUTION_MS / 60_000} minute per api process (it is written at most that often); null: never used.`,
  }),
  revoked_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When the key was revoked; null while it works.' }),
});

const responses = { ...errorResponses, 403: ErrorBody };

export const apiKeyJson = (k: ApiKeyRow) => ({
  id: k.id,
  name: k.name,
  prefix: k.key_prefix,
  created_at: k.created_at.toISOString(),
  last_used_at: k.last_used_at?.toISOString() ?? null,
  revoked_at: k.revoked_at?.toISOString() ?? null,
});

export function apiKeyRoutes(db: Kysely<Database>, clock: Clock): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/v1/api-keys', {
      schema: {
        summary: 'The project\'s API keys, newest first, revoked ones included',
        description: 'Never the key itself or its hash: a key is shown in clear only in the answer that created it.',
        tags: ['api-keys'],
        response: { 200: Type.Object({ data: Type.Array(ApiKey) }), ...responses },
      },
    }, async (request) => ({ data: (await listApiKeys(db, request.projectId)).map(apiKeyJson) }));

    app.post('/v1/api-keys', {
      config: { audit: 'api_key.create' },
      schema: {
        summary: 'Create an API key',
        description: 'The answer carries the key in clear (`key`): the only time it is shown, so keep it now. Admins\' sessions and API keys may create keys; a viewer gets 403.',
        tags: ['api-keys'],
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH, description: 'What the key is for, e.g. "shop backend".' }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ ...ApiKey.properties, key: Type.String({ description: 'The key, shown this once.' }) }), ...responses },
      },
    }, async (request, reply) => {
      const name = request.body.name.trim();
      if (name === '') throw new AppError('validation_error', 'Give the key a name that is not only spaces', [{ path: '/name', message: 'blank' }]);
      const { key, row } = await withAudit(db, request, (trx) => createApiKey(trx, request.projectId, name), ({ row }) => ({
        action: 'api_key.create',
        target: { type: 'api_key', id: row.id },
        details: { name: row.name, prefix: row.key_prefix },
      }));
      return reply.status(201).send({ ...apiKeyJson(row), key });
    });

    app.delete('/v1/api-keys/:id', {
      config: { audit: 'api_key.revoke' },
      schema: {
        summary: 'Revoke an API key',
        description: 'From the next request on, the key gets 401 unauthorized, in every process (keys are read from the database at each request). ' +
          'The key making this request may revoke itself; revoking a revoked key changes nothing and answers it as it is. The key stays in the list, with revoked_at.',
        tags: ['api-keys'],
        params: UuidParam,
        response: { 200: ApiKey, ...responses },
      },
    }, async (request) => {
      // Not a uuid is no key: 404, before PostgreSQL refuses the cast.
      if (!isUuid(request.params.id)) throw new AppError('not_found', 'This project has no API key with this id');
      const revoked = await withAudit(db, request, async (trx) => {
        const row = await revokeApiKey(trx, request.projectId, request.params.id, clock());
        if (!row) throw new AppError('not_found', 'This project has no API key with this id');
        return row;
      }, (row) => ({ action: 'api_key.revoke', target: { type: 'api_key', id: row.id }, details: { name: row.name, prefix: row.key_prefix } }));
      return apiKeyJson(revoked);
    });
  };
}
