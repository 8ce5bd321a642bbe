// The project's webhook endpoints (issue 21): list, create (the secret in that answer only), read,
// change, delete, rotate the secret; each endpoint's delivery log with its attempts; replay of one
// delivery or of everything since a time; a test event. A viewer's session reads; changing takes
// an admin's session or an API key (authenticate refuses a viewer every changing route).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import {
  changeEndpoint, createEndpoint, deleteEndpoint, findDelivery, findEndpoint, listDeliveries, listEndpoints, MAX_EXCERPT_BYTES,
  MAX_URL_LENGTH, PREVIOUS_SECRET_MS, queueTestDelivery, replayDeliveries, rotateEndpointSecret, WEBHOOK_EVENT_TYPES,
  type AttemptRow, type DeliveryRow, type EndpointRow, type EndpointSettings,
} from '../../webhooks/index.ts';
import type { Clock } from '../../accounts/index.ts';
import { AppError } from '../../shared/app-error.ts';
import { withAudit } from '../audit-trail.ts';
import { isUuid } from '../../shared/ids.ts';
import { ErrorBody, LimitParam, UuidParam, errorResponses, parseLimit } from '../schemas.ts';

const Timestamp = Type.String({ format: 'date-time' });
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);

const EventTypes = Type.Array(Type.String({ maxLength: 100 }), {
  maxItems: WEBHOOK_EVENT_TYPES.length,
  description: `The types the endpoint receives; empty: every type. The types: ${WEBHOOK_EVENT_TYPES.join(', ')}.`,
});

const Endpoint = Type.Object({
  id: Type.String(),
  url: Type.String(),
  description: Type.String(),
  event_types: Type.Array(Type.String()),
  counted_only: Type.Boolean({ description: 'Opens and clicks are sent only when counted (a person\'s, not a scanner\'s or a privacy proxy\'s).' }),
  enabled: Type.Boolean(),
  disabled_reason: Type.Union([Type.String(), Type.Null()], { description: 'Why the endpoint is off: by a user, a 410 answer, or 5 days of failures.' }),
  failing_since: Type.Union([Timestamp, Type.Null()], { description: 'Since when every attempt failed; null after a success. After 5 days the endpoint is disabled.' }),
  previous_secret_until: Type.Union([Timestamp, Type.Null()], { description: 'Until when the secret before the last rotation still signs beside the current one.' }),
  created_at: Timestamp,
  updated_at: Timestamp,
});

const WithSecret = Type.Object({
  ...Endpoint.properties,
  secret: Type.String({ description: 'The signing secret (whsec_ and base64), shown in this answer only: keep it now. Verify requests with any Standard Webhooks library.' }),
});

const Url = Type.String({ minLength: 1, maxLength: MAX_URL_LENGTH, description: 'https:// (http:// only with WEBHOOK_ALLOW_HTTP); its host must resolve to public addresses unless WEBHOOK_ALLOWED_NETWORKS allows them.' });
const Description = Type.String({ maxLength: 500 });

const Attempt = Type.Object({
  attempted_at: Timestamp,
  status: Type.Union([Type.Integer(), Type.Null()], { description: 'The HTTP status; null when no answer came.' }),
  duration_ms: Type.Integer(),
  response_excerpt: Type.Union([Type.String(), Type.Null()], { description: `At most ${MAX_EXCERPT_BYTES} bytes of the answer's body.` }),
  error: Type.Union([Type.String(), Type.Null()]),
});

const Delivery = Type.Object({
  id: Type.String({ description: 'Also the webhook-id header: the same for every attempt and replay.' }),
  event_type: Type.String(),
  event_id: Type.Union([Type.Integer(), Type.Null()]),
  email_id: Type.Union([Type.String(), Type.Null()]),
  state: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')], { description: 'pending (queued, retrying or being sent), delivered (a 2xx), failed (given up, or the endpoint was disabled).' }),
  attempts: Type.Integer(),
  next_attempt_at: NullableTimestamp,
  payload: Type.Record(Type.String(), Type.Unknown(), { description: 'The body sent: {type, created_at, data}.' }),
  created_at: Timestamp,
  finished_at: NullableTimestamp,
  attempt_log: Type.Array(Attempt, { description: 'Every attempt, oldest first.' }),
});

const responses = { ...errorResponses, 403: ErrorBody };
const tags = ['webhooks'];

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const endpointJson = (e: EndpointRow, now: Date) => ({
  id: e.id,
  url: e.url,
  description: e.description,
  event_types: e.event_types,
  counted_only: e.counted_only,
  enabled: e.enabled,
  disabled_reason: e.disabled_reason,
  failing_since: iso(e.failing_since),
  previous_secret_until: e.previous_secret_until && e.previous_secret_until > now ? e.previous_secret_until.toISOString() : null,
  created_at: e.created_at.toISOString(),
  updated_at: e.updated_at.toISOString(),
});

const attemptJson = (a: AttemptRow) => ({
  attempted_at: a.attempted_at.toISOString(), status: a.status, duration_ms: a.duration_ms, response_excerpt: a.response_excerpt, error: a.error,
});

const deliveryJson = (d: DeliveryRow & { attempt_log: AttemptRow[] }) => ({
  id: d.id,
  event_type: d.event_type,
  event_id: d.event_id === null ? null : Number(d.event_id),
  email_id: d.email_id,
  state: d.state,
  attempts: d.attempts,
  next_attempt_at: d.state === 'pending' ? iso(d.next_attempt_at) : null,
  payload: d.payload,
  created_at: d.created_at.toISOString(),
  finished_at: iso(d.finished_at),
  attempt_log: d.attempt_log.map(attemptJson),
});

const noEndpoint = () => new AppError('not_found', 'This project has no webhook endpoint with this id');

export function webhookRoutes(db: Kysely<Database>, settings: EndpointSettings, clock: Clock): FastifyPluginAsyncTypebox {
  return async (app) => {
    const endpointOf = async (projectId: string, id: string) => {
      const row = isUuid(id) ? await findEndpoint(db, projectId, id) : undefined;
      if (!row) throw noEndpoint();
      return row;
    };

    app.get('/v1/webhooks', {
      schema: { summary: 'The project\'s webhook endpoints, newest first', description: 'Never a secret: it is shown only when created or rotated.', tags, response: { 200: Type.Object({ data: Type.Array(Endpoint) }), ...responses } },
    }, async (request) => ({ data: (await listEndpoints(db, request.projectId)).map((e) => endpointJson(e, clock())) }));

    app.post('/v1/webhooks', {
      config: { audit: 'webhook.create' },
      schema: {
        summary: 'Create a webhook endpoint',
        description: 'Every event of the project\'s emails logged from now on is delivered to it (those of `event_types`, when given), signed per Standard Webhooks with the secret in this answer, shown only here.',
        tags,
        body: Type.Object({
          url: Url,
          event_types: Type.Optional(EventTypes),
          enabled: Type.Optional(Type.Boolean({ default: true })),
          description: Type.Optional(Description),
          counted_only: Type.Optional(Type.Boolean({ default: false, description: 'Send opens and clicks only when they count as a person\'s.' })),
        }, { additionalProperties: false }),
        response: { 201: WithSecret, ...responses },
      },
    }, async (request, reply) => {
      // The secret is in the answer only: the record keeps what the allow-list names (url, types, state).
      const { row, secret } = await withAudit(db, request, (trx) => createEndpoint(trx, settings, request.projectId, request.body), ({ row: r }) => ({
        action: 'webhook.create', target: { type: 'webhook', id: r.id }, details: { url: r.url, event_types: r.event_types, counted_only: r.counted_only, enabled: r.enabled },
      }));
      return reply.status(201).send({ ...endpointJson(row, clock()), secret });
    });

    app.get('/v1/webhooks/:id', {
      schema: { summary: 'One webhook endpoint', tags, params: UuidParam, response: { 200: Endpoint, ...responses } },
    }, async (request) => endpointJson(await endpointOf(request.projectId, request.params.id), clock()));

    app.patch('/v1/webhooks/:id', {
      config: { audit: 'webhook.update' },
      schema: {
        summary: 'Change a webhook endpoint',
        description: 'Only the fields given change. `enabled: true` turns an endpoint back on after it was disabled (by a user, a 410, or 5 days of failures): its pending deliveries go out again.',
        tags,
        params: UuidParam,
        body: Type.Object({
          url: Type.Optional(Url),
          event_types: Type.Optional(EventTypes),
          enabled: Type.Optional(Type.Boolean()),
          description: Type.Optional(Description),
          counted_only: Type.Optional(Type.Boolean()),
        }, { additionalProperties: false }),
        response: { 200: Endpoint, ...responses },
      },
    }, async (request) => {
      if (!isUuid(request.params.id)) throw noEndpoint();
      const changed = await withAudit(db, request, (trx) => changeEndpoint(trx, settings, request.projectId, request.params.id, request.body), (r) => ({
        action: 'webhook.update', target: { type: 'webhook', id: r.id }, details: { ...request.body, url: request.body.url === undefined ? undefined : r.url },
      }));
      return endpointJson(changed, clock());
    });

    app.delete('/v1/webhooks/:id', {
      config: { audit: 'webhook.delete' },
      schema: { summary: 'Delete a webhook endpoint', description: 'Nothing more is sent to it, pending deliveries included.', tags, params: UuidParam, response: { 204: Type.Null(), ...responses } },
    }, async (request, reply) => {
      if (!isUuid(request.params.id)) throw noEndpoint();
      await withAudit(db, request, (trx) => deleteEndpoint(trx, request.projectId, request.params.id), () => ({
        action: 'webhook.delete', target: { type: 'webhook', id: request.params.id },
      }));
      return reply.status(204).send(null);
    });

    app.post('/v1/webhooks/:id/rotate-secret', {
      config: { audit: 'webhook.rotate_secret' },
      schema: {
        summary: 'Rotate an endpoint\'s signing secret',
        description: `The answer carries the new secret, shown only here. For ${PREVIOUS_SECRET_MS / 3_600_000} hours every request carries two signatures, by the new secret and the previous one, so the receiver can switch at any moment in that time.`,
        tags,
        params: UuidParam,
        response: { 200: WithSecret, ...responses },
      },
    }, async (request) => {
      if (!isUuid(request.params.id)) throw noEndpoint();
      const { row, secret } = await withAudit(db, request, (trx) => rotateEndpointSecret(trx, settings, request.projectId, request.params.id, clock()), ({ row: r }) => ({
        action: 'webhook.rotate_secret', target: { type: 'webhook', id: r.id },
      }));
      return { ...endpointJson(row, clock()), secret };
    });

    app.get('/v1/webhooks/:id/deliveries', {
      schema: {
        summary: 'The endpoint\'s delivery log, newest first',
        description: 'Each delivery with every attempt: status, duration, the start of the answer, the error. Follow `next_cursor` until it is null.',
        tags,
        params: UuidParam,
        querystring: Type.Object({
          limit: Type.Optional(LimitParam),
          cursor: Type.Optional(Type.String({ maxLength: 64 })),
          state: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')])),
        }, { additionalProperties: false }),
        response: { 200: Type.Object({ data: Type.Array(Delivery), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...responses },
      },
    }, async (request) => {
      const endpoint = await endpointOf(request.projectId, request.params.id);
      const limit = parseLimit(request.query.limit);
      const cursor = request.query.cursor;
      if (cursor !== undefined && !isUuid(cursor)) throw new AppError('validation_error', 'cursor is not one this API gave');
      const rows = await listDeliveries(db, endpoint.id, { limit: limit + 1, beforeId: cursor, state: request.query.state });
      const page = rows.slice(0, limit);
      return { data: page.map(deliveryJson), next_cursor: rows.length > limit ? page.at(-1)!.id : null };
    });

    app.post('/v1/webhooks/:id/deliveries/:deliveryId/replay', {
      config: { audit: 'webhook.replay' },
      schema: {
        summary: 'Send one delivery again',
        description: 'A delivered or given-up delivery is queued again, due now, with the same webhook-id (receivers that dedupe by it will see it as the same message). A pending one is on its way already: answered with `queued: 0`.',
        tags,
        params: Type.Object({ id: Type.String({ maxLength: 64 }), deliveryId: Type.String({ maxLength: 64 }) }),
        response: { 202: Type.Object({ queued: Type.Integer() }), ...responses },
      },
    }, async (request, reply) => {
      const endpoint = await endpointOf(request.projectId, request.params.id);
      const delivery = isUuid(request.params.deliveryId) ? await findDelivery(db, endpoint.id, request.params.deliveryId) : undefined;
      if (!delivery) throw new AppError('not_found', 'This endpoint has no delivery with this id');
      const queued = await withAudit(db, request, (trx) => replayDeliveries(trx, endpoint.id, { id: delivery.id }), (n) => ({
        action: 'webhook.replay', target: { type: 'webhook', id: endpoint.id }, details: { delivery_id: delivery.id, queued: n },
      }));
      return reply.status(202).send({ queued });
    });

    app.post('/v1/webhooks/:id/replay', {
      config: { audit: 'webhook.replay' },
      schema: {
        summary: 'Send again every delivery since a time',
        description: 'Every delivered or given-up delivery to this endpoint created at or after `since` is queued again, due now, in the log\'s order per email.',
        tags,
        params: UuidParam,
        body: Type.Object({ since: Type.String({ format: 'date-time', maxLength: 40 }) }, { additionalProperties: false }),
        response: { 202: Type.Object({ queued: Type.Integer() }), ...responses },
      },
    }, async (request, reply) => {
      const endpoint = await endpointOf(request.projectId, request.params.id);
      const since = new Date(request.body.since);
      if (Number.isNaN(since.getTime())) throw new AppError('validation_error', 'since is not a date-time', [{ path: '/since' }]);
      const queued = await withAudit(db, request, (trx) => replayDeliveries(trx, endpoint.id, { since }), (n) => ({
        action: 'webhook.replay', target: { type: 'webhook', id: endpoint.id }, details: { since, queued: n },
      }));
      return reply.status(202).send({ queued });
    });

    app.post('/v1/webhooks/:id/test', {
      config: { audit: 'webhook.test' },
      schema: {
        summary: 'Send a test event',
        description: 'Queues a `webhook.test` delivery to the endpoint, sent and logged like any other (whatever its event types). A disabled endpoint\'s waits until it is enabled.',
        tags,
        params: UuidParam,
        response: { 202: Type.Object({ delivery_id: Type.String() }), ...responses },
      },
    }, async (request, reply) => {
      const endpoint = await endpointOf(request.projectId, request.params.id);
      const deliveryId = await withAudit(db, request, (trx) => queueTestDelivery(trx, endpoint, clock()), () => ({
        action: 'webhook.test', target: { type: 'webhook', id: endpoint.id },
      }));
      return reply.status(202).send({ delivery_id: deliveryId });
    });
  };
}
