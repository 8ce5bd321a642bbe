// Routes for transactional email: send, list, get, events, cancel.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { listEmailEvents } from '../../events/index.ts';
import { cancelEmail, findEmail, listEmails, submitEmails, MAX_RECIPIENTS_PER_REQUEST } from '../../sending/index.ts';
import { AppError } from '../../shared/app-error.ts';
import { isUuid } from '../../shared/ids.ts';
import { Address, Headers, LimitParam, OneOrMany, Tags, UuidParam, Event, errorResponses, parseLimit, IdempotencyHeaders, pagedListDescription } from '../schemas.ts';
import { EmailFilterQuery, emailFilterOf } from './email-filters.ts';
import { decodeCursor, emailJson, encodeCursor, eventJson } from '../serialize.ts';

const SendEmailBody = Type.Object(
  {
    from: Address,
    to: OneOrMany(Address, MAX_RECIPIENTS_PER_REQUEST),
    cc: Type.Optional(OneOrMany(Address, 50)),
    bcc: Type.Optional(OneOrMany(Address, 50)),
    reply_to: Type.Optional(OneOrMany(Address, 10)),
    subject: Type.String({ minLength: 1, maxLength: 998 }),
    html: Type.Optional(Type.String({ maxLength: 5_000_000 })),
    text: Type.Optional(Type.String({ maxLength: 5_000_000 })),
    headers: Type.Optional(Headers),
    tags: Type.Optional(Tags),
    metadata: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { maxProperties: 50 })),
    scheduled_at: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 40 })])),
    track_opens: Type.Optional(Type.Boolean()),
    track_clicks: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const ListQuery = Type.Object({
  ...EmailFilterQuery,
  limit: Type.Optional(LimitParam),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

const notFound = () => new AppError('not_found', 'No such email');

export function emailRoutes(db: Kysely<Database>): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/emails',
      {
        schema: {
          summary: 'Send an email: one email per `to` recipient',
          tags: ['emails'],
          body: SendEmailBody,
          headers: IdempotencyHeaders,
          response: { 202: Type.Object({ data: Type.Array(Type.Object({ id: Type.String(), to: Type.String(), status: Type.String() })) }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const result = await submitEmails(db, request.projectId, request.body, request.headers['idempotency-key']);
        return reply.status(202).send(result);
      },
    );

    app.get('/v1/emails', { schema: { summary: 'The email log, newest first', description: pagedListDescription('emails', 'a filter no index covers (`status` queued, sent or delivered; `status` or `campaign_id` together with `to`; `tag`; `q`)'), tags: ['emails'], querystring: ListQuery } }, async (request) => {
      const q = request.query;
      const before = q.cursor ? decodeCursor(q.cursor) : undefined;
      if (before && !isUuid(before)) throw new AppError('validation_error', 'cursor is malformed');
      const limit = parseLimit(q.limit);
      const page = await listEmails(db, request.projectId, { ...emailFilterOf(q), before, limit });
      return { data: page.rows.map((e) => emailJson(e)), next_cursor: page.next ? encodeCursor(page.next) : null };
    });

    app.get('/v1/emails/:id', { schema: { summary: 'One email', tags: ['emails'], params: UuidParam } }, async (request) => {
      const email = isUuid(request.params.id) ? await findEmail(db, request.projectId, request.params.id) : undefined;
      if (!email) throw notFound();
      return emailJson(email, true);
    });

    app.get(
      '/v1/emails/:id/events',
      { schema: { summary: "An email's events, oldest first", tags: ['emails'], params: UuidParam, response: { 200: Type.Object({ data: Type.Array(Event) }), 404: errorResponses[404] } } },
      async (request) => {
        const email = isUuid(request.params.id) ? await findEmail(db, request.projectId, request.params.id) : undefined;
        if (!email) throw notFound();
        return { data: (await listEmailEvents(db, email.id)).map(eventJson) };
      },
    );

    app.post('/v1/emails/:id/cancel', { schema: { summary: 'Cancel a queued or scheduled email', tags: ['emails'], params: UuidParam } }, async (request) => {
      if (!isUuid(request.params.id)) throw notFound();
      await cancelEmail(db, request.projectId, request.params.id);
      return { id: request.params.id, status: 'cancelled' };
    });
  };
}
