// Routes for campaigns: create, stream recipients, send, cancel, list, get, stats, links, bounces.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import {
  addRecipients, campaignBounces, cancelCampaign, resumeCampaign, campaignLinks, campaignStats, createCampaign, getCampaign, listCampaignPage, sendCampaign,
  MAX_BOUNCES_READ, MAX_INLINE_RECIPIENTS, type RecipientsFormat,
} from '../../campaigns/index.ts';
import { AppError } from '../../shared/app-error.ts';
import { withAudit } from '../audit-trail.ts';
import { isUuid } from '../../shared/ids.ts';
import { Address, Headers, LimitParam, Tags, UuidParam, errorResponses, parseLimit, IdempotencyHeaders } from '../schemas.ts';
import { decodeCursor, encodeCursor } from '../serialize.ts';
import { CampaignLinksResponse, CampaignStatsResponse } from './campaign-stats.schema.ts';
import { periodParams, plainJson } from './stats.routes.ts';

const Recipient = Type.Object(
  {
    email: Type.String({ maxLength: 320 }),
    data: Type.Optional(Type.Union([Type.Null(), Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { maxProperties: 100 })])),
  },
  { additionalProperties: false },
);

const MissingFieldPolicy = Type.Union([Type.Literal('send'), Type.Literal('reject')], {
  description:
    'A recipient whose data lacks a field the templates name ({{data.first}} without "first", or null): ' +
    '"send" (default) renders it empty and lists it in `missing_fields` of the email\'s queued or scheduled event; ' +
    '"reject" makes that email `rejected` (reason `missing_fields`) and sends the others.',
});

const CreateCampaignBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    from: Address,
    subject: Type.String({ minLength: 1, maxLength: 998 }),
    html: Type.String({ minLength: 1, maxLength: 5_000_000 }),
    text: Type.Optional(Type.String({ maxLength: 5_000_000 })),
    reply_to: Type.Optional(Address),
    headers: Type.Optional(Headers),
    tags: Type.Optional(Tags),
    track_opens: Type.Optional(Type.Boolean()),
    track_clicks: Type.Optional(Type.Boolean()),
    recipients: Type.Optional(Type.Array(Recipient, { maxItems: MAX_INLINE_RECIPIENTS })),
    scheduled_at: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 40 })])),
    draft: Type.Optional(Type.Boolean()),
    on_missing_field: Type.Optional(MissingFieldPolicy),
  },
  { additionalProperties: false },
);

const CampaignSummary = Type.Object({
  id: Type.String(),
  object: Type.Literal('campaign'),
  name: Type.String(),
  from: Type.String(),
  reply_to: Type.Union([Type.String(), Type.Null()]),
  subject: Type.String(),
  status: Type.Union(['draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled'].map((s) => Type.Literal(s)), { description: 'paused: an alert (a critical hard-bounce rate) stopped it; POST /v1/campaigns/{id}/resume sends the rest.' }),
  paused_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  paused_reason: Type.Union([Type.String(), Type.Null()], { description: 'Why it was paused, while it is.' }),
  scheduled_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  recipient_count: Type.Integer(),
  tags: Type.Array(Type.String()),
  track_opens: Type.Boolean(),
  track_clicks: Type.Boolean(),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

const Campaign = Type.Composite([
  CampaignSummary,
  Type.Object({
    html: Type.Union([Type.String(), Type.Null()]),
    text: Type.Union([Type.String(), Type.Null()]),
    headers: Type.Record(Type.String(), Type.String()),
    on_missing_field: MissingFieldPolicy,
  }),
]);

const CreatedCampaign = Type.Composite([Campaign, Type.Object({ recipients: Type.Object({ added: Type.Integer(), duplicates: Type.Integer() }) })]);

const BadLine = Type.Object({ line: Type.Integer(), reason: Type.String() });

const ListQuery = Type.Object({
  limit: Type.Optional(LimitParam),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

const StatsQuery = Type.Object(periodParams({ from: "the campaign's creation", to: 'now' }), { additionalProperties: false });

const CampaignBouncesResponse = Type.Object({
  campaign_id: Type.String(),
  data: Type.Array(
    Type.Object({
      bounce_type: Type.Union([Type.String(), Type.Null()], { description: 'hard or soft' }),
      reason: Type.Union([Type.String(), Type.Null()], { description: "The classifier's reason (unknown_user, mailbox_full, expired ...)." }),
      emails: Type.Integer({ minimum: 0 }),
      example: Type.Union([Type.String(), Type.Null()], { description: "One mail server's reply (diagnostic) for this reason." }),
    }),
    { description: 'Most frequent first.' },
  ),
  emails_read: Type.Integer({ minimum: 0 }),
  limit: Type.Integer({ description: `Bounced emails read at most (the newest ${MAX_BOUNCES_READ.toLocaleString('en-US')}); when emails_read reaches it, older bounces are left out.` }),
});

const STREAM_TYPES: Record<string, RecipientsFormat> = {
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'text/csv': 'csv',
};

const notFound = () => new AppError('not_found', 'No such campaign');
const campaignId = (id: string) => {
  if (!isUuid(id)) throw notFound();
  return id;
};

export function campaignRoutes(db: Kysely<Database>): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Recipient lists may be hundreds of MB: the route reads the raw request stream itself, so
    // no body limit applies and nothing is buffered whole (parsers stay inside this plugin).
    app.addContentTypeParser(Object.keys(STREAM_TYPES), (_request, payload, done) => done(null, new StreamedBody(payload)));

    app.post(
      '/v1/campaigns',
      {
        config: { audit: 'campaign.create' },
        schema: {
          summary: 'Create a campaign with its recipients: sent now, scheduled, or kept as a draft',
          tags: ['campaigns'],
          body: CreateCampaignBody,
          headers: IdempotencyHeaders,
          response: { 201: CreatedCampaign, ...errorResponses },
        },
      },
      async (request, reply) => {
        const created = await withAudit(db, request, (trx) => createCampaign(trx, request.projectId, request.body, request.headers['idempotency-key']), (c) => ({
          action: 'campaign.create',
          target: { type: 'campaign', id: c.id },
          details: { name: c.name, draft: c.status === 'draft', recipients: c.recipients.added },
        }));
        return reply.status(201).send(created);
      },
    );

    app.post(
      '/v1/campaigns/:id/recipients',
      {
        schema: {
          summary: 'Stream more recipients (application/x-ndjson or text/csv) into a draft, scheduled or sending campaign',
          description:
            'NDJSON: one {"email", "data"?} object a line. CSV: a header row with an "email" column; other columns become data fields. ' +
            'Any bad line refuses the whole list (422 invalid_recipients_file with line numbers) unless skip_invalid=true.',
          tags: ['campaigns'],
          params: UuidParam,
          // Query values stay text (no reliance on Ajv coercion): the two spellings are listed.
          querystring: Type.Object({ skip_invalid: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) }),
          response: {
            200: Type.Object({ added: Type.Integer(), duplicates: Type.Integer(), invalid: Type.Integer(), invalid_lines: Type.Array(BadLine), recipient_count: Type.Integer() }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const format = STREAM_TYPES[(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()];
        if (!format || !(request.body instanceof StreamedBody)) {
          throw new AppError('unsupported_media_type', 'Send the recipients as application/x-ndjson or text/csv');
        }
        return addRecipients(db, request.projectId, campaignId(request.params.id), request.body, {
          format,
          skipInvalid: request.query.skip_invalid === 'true',
        });
      },
    );

    app.post('/v1/campaigns/:id/send', { config: { audit: 'campaign.send' }, schema: { summary: 'Send a draft campaign (scheduled if its scheduled_at is ahead)', tags: ['campaigns'], params: UuidParam, response: { 200: Campaign, ...errorResponses } } }, async (request) =>
      withAudit(db, request, (trx) => sendCampaign(trx, request.projectId, campaignId(request.params.id)), (c) => ({ action: 'campaign.send', target: { type: 'campaign', id: c.id } })),
    );

    app.post(
      '/v1/campaigns/:id/cancel',
      {
        config: { audit: 'campaign.cancel' },
        schema: {
          summary: 'Cancel every email of the campaign still queued or scheduled',
          tags: ['campaigns'],
          params: UuidParam,
          response: { 200: Type.Object({ id: Type.String(), status: Type.Literal('cancelled'), cancelled: Type.Integer() }), ...errorResponses },
        },
      },
      async (request) => withAudit(db, request, (trx) => cancelCampaign(trx, request.projectId, campaignId(request.params.id)), (c) => ({
        action: 'campaign.cancel', target: { type: 'campaign', id: c.id }, details: { cancelled: c.cancelled },
      })),
    );

    app.post(
      '/v1/campaigns/:id/resume',
      {
        config: { audit: 'campaign.resume' },
        schema: {
          summary: 'Resume a paused campaign',
          description: 'A campaign paused by an alert (a critical hard-bounce rate) sends again: its waiting emails are due at once (scheduled ones at their time) and recipients added while it was paused go out. The alert stays until the rate falls back; it pauses the campaign again only when it is triggered anew.',
          tags: ['campaigns'],
          params: UuidParam,
          response: { 200: Type.Object({ id: Type.String(), status: Type.Union([Type.Literal('sending'), Type.Literal('scheduled')]), resumed: Type.Integer({ description: 'Emails put back in the queue.' }) }), ...errorResponses },
        },
      },
      async (request) => withAudit(db, request, (trx) => resumeCampaign(trx, request.projectId, campaignId(request.params.id)), (c) => ({
        action: 'campaign.resume', target: { type: 'campaign', id: c.id }, details: { resumed: c.resumed },
      })),
    );

    app.get(
      '/v1/campaigns',
      { schema: { summary: 'Campaigns, newest first', tags: ['campaigns'], querystring: ListQuery, response: { 200: Type.Object({ data: Type.Array(CampaignSummary), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses } } },
      async (request) => {
        const before = request.query.cursor ? decodeCursor(request.query.cursor) : undefined;
        if (before !== undefined && !isUuid(before)) throw new AppError('validation_error', 'cursor is malformed');
        const page = await listCampaignPage(db, request.projectId, { before, limit: parseLimit(request.query.limit) });
        return { data: page.data, next_cursor: page.next ? encodeCursor(page.next) : null };
      },
    );

    app.get('/v1/campaigns/:id', { schema: { summary: 'One campaign', tags: ['campaigns'], params: UuidParam, response: { 200: Campaign, ...errorResponses } } }, async (request) =>
      getCampaign(db, request.projectId, campaignId(request.params.id)),
    );

    app.get(
      '/v1/campaigns/:id/stats',
      {
        schema: {
          summary: "The campaign's emails per status, counted opens and clicks next to machine traffic, replies, bounces, rates, a time series, mailbox providers and mail apps",
          description:
            'Counts per status are exact at once; engagement, the series, providers and clients come from rollups of the event log. ' +
            "The period (from, to, granularity, tz) shapes the series only; everything else covers the campaign's whole life.",
          tags: ['campaigns'],
          params: UuidParam,
          querystring: StatsQuery,
          response: { 200: CampaignStatsResponse, ...errorResponses },
        },
        serializerCompiler: plainJson,
      },
      async (request) => campaignStats(db, request.projectId, campaignId(request.params.id), request.query),
    );

    app.get(
      '/v1/campaigns/:id/bounces',
      {
        schema: {
          summary: "The campaign's bounced emails by bounce type and reason, most frequent first, each with an example of the server's reply",
          tags: ['campaigns'],
          params: UuidParam,
          response: { 200: CampaignBouncesResponse, ...errorResponses },
        },
      },
      async (request) => campaignBounces(db, request.projectId, campaignId(request.params.id)),
    );

    app.get(
      '/v1/campaigns/:id/links',
      {
        schema: {
          summary: "The campaign's links by counted clicks: unique (emails that clicked) and total, most clicked first",
          tags: ['campaigns'],
          params: UuidParam,
          response: { 200: CampaignLinksResponse, ...errorResponses },
        },
      },
      async (request) => campaignLinks(db, request.projectId, campaignId(request.params.id)),
    );
  };
}

/**
 * A recipients upload as the route receives it: the raw request stream behind a private field, so
 * generic checks that walk a parsed body (the edge's preValidation hook) see an empty object
 * rather than crawling the socket.
 */
class StreamedBody implements AsyncIterable<Buffer> {
  readonly #stream: AsyncIterable<Buffer>;
  constructor(stream: AsyncIterable<Buffer>) {
    this.#stream = stream;
  }
  [Symbol.asyncIterator]() {
    return this.#stream[Symbol.asyncIterator]();
  }
}
