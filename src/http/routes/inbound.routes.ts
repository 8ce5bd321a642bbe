// Routes for the mail the inbound server received: matched or not, nothing dropped (issue 4, part 2).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { findInboundMessage, listInboundMessages } from '../../inbound/index.ts';
import { AppError } from '../../shared/app-error.ts';
import { isUuid } from '../../shared/ids.ts';
import { LimitParam, UuidParam, pagedListDescription, parseLimit } from '../schemas.ts';
import { decodeCursor, encodeCursor } from '../serialize.ts';
import { readRetention } from '../../retention/index.ts';

const Kind = Type.Union(['bounce', 'delivery_report', 'complaint', 'auto_reply', 'reply', 'other', 'unsubscribe'].map((k) => Type.Literal(k)));

const ListQuery = Type.Object({
  matched: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'false: mail that matched no email' })),
  kind: Type.Optional(Kind),
  email_id: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(LimitParam),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

type Listed = Awaited<ReturnType<typeof listInboundMessages>>['rows'][number];

const inboundJson = (m: Listed) => ({
  id: m.id,
  object: 'inbound_message',
  kind: m.kind,
  matched: m.email_id !== null,
  email_id: m.email_id,
  mail_from: m.mail_from,
  rcpt_to: m.rcpt_to,
  from: m.from_header,
  subject: m.subject,
  size_bytes: m.size_bytes,
  event_count: m.event_count,
  received_at: m.received_at.toISOString(),
  // null unless REPLY_FORWARD_TO forwards it: 'pending' (with the last error while retrying), 'forwarded' or 'failed'.
  forward: m.forward_state ? { state: m.forward_state, attempts: m.forward_attempts, error: m.forward_error } : null,
});

const notFound = () => new AppError('not_found', 'No such inbound message');

export function inboundRoutes(db: Kysely<Database>): FastifyPluginAsyncTypebox {
  return async (app) => {
    const description = pagedListDescription('messages', '`matched` and `kind`');
    app.get('/v1/inbound', { schema: { summary: 'Mail received by the inbound server, newest first', description, tags: ['inbound'], querystring: ListQuery } }, async (request) => {
      const q = request.query;
      const before = q.cursor ? decodeCursor(q.cursor) : undefined;
      if ((before && !isUuid(before)) || (q.email_id && !isUuid(q.email_id))) throw new AppError('validation_error', 'cursor or email_id is malformed');
      const limit = parseLimit(q.limit);
      const page = await listInboundMessages(db, request.projectId, {
        matched: q.matched === undefined ? undefined : q.matched === 'true',
        kind: q.kind,
        emailId: q.email_id,
        before,
        limit,
      });
      return { data: page.rows.map(inboundJson), next_cursor: page.next ? encodeCursor(page.next) : null };
    });

    app.get('/v1/inbound/:id', { schema: { summary: 'One inbound message', tags: ['inbound'], params: UuidParam } }, async (request) => {
      const m = isUuid(request.params.id) ? await findInboundMessage(db, request.projectId, request.params.id) : undefined;
      if (!m) throw notFound();
      return inboundJson(m);
    });

    app.get('/v1/inbound/:id/raw', { schema: { summary: 'The message as received (message/rfc822)', description: '409 `content_unavailable` once retention removed it (`details.reason` `retention`).', tags: ['inbound'], params: UuidParam } }, async (request, reply) => {
      const m = isUuid(request.params.id) ? await findInboundMessage(db, request.projectId, request.params.id) : undefined;
      if (!m) throw notFound();
      if (m.raw_removed_at) {
        const { raw_inbound_days } = await readRetention(db, request.projectId);
        throw new AppError(
          'content_unavailable',
          `The raw message was removed on ${m.raw_removed_at.toISOString().slice(0, 10)}: this project keeps raw inbound mail for ${raw_inbound_days} days (retention). What was read from it is still here.`,
          { reason: 'retention', raw_removed_at: m.raw_removed_at.toISOString() },
        );
      }
      return reply.type('message/rfc822').send(Buffer.from(m.raw));
    });
  };
}
