// Routes for the project's suppression list: read, add, remove (issue 4, part 6).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { addSuppressions, listSuppressions, removeSuppression, SUPPRESSION_REASONS, type SuppressionRow } from '../../suppressions/index.ts';
import { isValidAddress } from '../../sending/index.ts';
import { AppError } from '../../shared/app-error.ts';
import { Address, LimitParam, OneOrMany, errorResponses, pagedListDescription, parseLimit } from '../schemas.ts';
import { decodeCursor, encodeCursor } from '../serialize.ts';

const Reason = Type.Union(SUPPRESSION_REASONS.map((r) => Type.Literal(r)));
// Users add entries by hand or when importing a list from another provider; the reasons that
// Sendtrail itself assigns (hard_bounce ...) may be given too, so an import keeps its history.
const MAX_PER_REQUEST = 1000;

const AddBody = Type.Object(
  { email: OneOrMany(Address, MAX_PER_REQUEST), reason: Type.Optional(Reason) },
  { additionalProperties: false },
);

const Added = Type.Object({ data: Type.Array(Type.Object({ email: Type.String(), reason: Type.String(), added: Type.Boolean() })) });

const ListQuery = Type.Object({
  email: Type.Optional(Type.String({ maxLength: 320 })),
  reason: Type.Optional(Reason),
  limit: Type.Optional(LimitParam),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
});

const suppressionJson = (s: SuppressionRow) => ({
  email: s.email,
  reason: s.reason,
  source_email_id: s.source_email_id,
  created_at: s.created_at.toISOString(),
});

export function suppressionRoutes(db: Kysely<Database>): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/v1/suppressions', { schema: { summary: 'The suppression list, by address', description: pagedListDescription('addresses', '`reason`'), tags: ['suppressions'], querystring: ListQuery } }, async (request) => {
      const q = request.query;
      const limit = parseLimit(q.limit);
      const page = await listSuppressions(db, request.projectId, {
        email: q.email,
        reason: q.reason,
        after: q.cursor ? decodeCursor(q.cursor) : undefined,
        limit,
      });
      return { data: page.rows.map(suppressionJson), next_cursor: page.next ? encodeCursor(page.next) : null };
    });

    app.post(
      '/v1/suppressions',
      { schema: { summary: 'Add addresses to the suppression list: sending to them is rejected', tags: ['suppressions'], body: AddBody, response: { 201: Added, ...errorResponses } } },
      async (request, reply) => {
        const emails = [...new Set((Array.isArray(request.body.email) ? request.body.email : [request.body.email]).map((e) => e.trim().toLowerCase()))];
        const invalid = emails.filter((e) => !isValidAddress(e));
        if (invalid.length > 0) throw new AppError('invalid_recipient', `Not an email address: ${invalid.slice(0, 5).join(', ')}`, { invalid: invalid.slice(0, 100) });
        const reason = request.body.reason ?? 'manual';
        const added = new Set(await addSuppressions(db, emails.map((email) => ({ projectId: request.projectId, email, reason }))));
        return reply.status(201).send({ data: emails.map((email) => ({ email, reason, added: added.has(email) })) });
      },
    );

    app.delete(
      '/v1/suppressions/:email',
      { schema: { summary: 'Remove an address from the suppression list', tags: ['suppressions'], params: Type.Object({ email: Type.String({ maxLength: 320 }) }) } },
      async (request) => {
        if (!(await removeSuppression(db, request.projectId, request.params.email))) {
          throw new AppError('not_found', 'This address is not on the suppression list');
        }
        return { email: request.params.email.toLowerCase(), deleted: true };
      },
    );
  };
}
