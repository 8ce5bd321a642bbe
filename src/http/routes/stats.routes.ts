// GET /v1/stats: the project's totals and time series from the rollups, filtered and grouped.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { DEFAULT_PERIOD_MS, MAX_BUCKETS, MAX_GROUPED_BUCKETS, MAX_GROUPS, PROVIDERS, readStats } from '../../analytics/index.ts';
import { errorResponses } from '../schemas.ts';
import { StatsResponse } from './stats.schema.ts';

const Timestamp = (description: string) => Type.String({ maxLength: 40, description });

/** The period's parameters, shared with a campaign's stats. */
export const periodParams = (defaults: { from: string; to: string }) => ({
  from: Type.Optional(Timestamp(`ISO 8601 timestamp with a time zone (2025-03-01T00:00:00Z, 2025-03-01T00:00:00-05:00); widened to the start of its bucket. Default: ${defaults.from}.`)),
  to: Type.Optional(Timestamp(`Exclusive end, after from; widened to the end of its bucket. Default: ${defaults.to}.`)),
  granularity: Type.Optional(
    Type.Union([Type.Literal('hour'), Type.Literal('day')], {
      description: `Bucket size. Default: hour for a period of at most 3 days, else day. At most ${MAX_BUCKETS.toLocaleString('en-US')} buckets (${MAX_GROUPED_BUCKETS} with group_by).`,
    }),
  ),
  tz: Type.Optional(
    Type.String({
      maxLength: 64,
      description:
        'IANA time zone (Europe/Paris, America/New_York; default UTC) in which days start at midnight and bucket starts are written. ' +
        'Rollups are kept by UTC hour: where the offset is not whole hours (Asia/Kolkata, +05:30) an hour counts in the day its start falls in, ' +
        'so days run from 00:30 to 00:30 there. Hour buckets are UTC hours in any zone.',
    }),
  ),
});

const StatsQuery = Type.Object(
  {
    ...periodParams({ from: '7 days before `to`', to: 'now' }),
    campaign_id: Type.Optional(Type.String({ maxLength: 64, description: 'One campaign; the nil uuid 00000000-0000-0000-0000-000000000000 for emails of no campaign.' })),
    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Emails with this tag.' })),
    provider: Type.Optional(Type.String({ maxLength: 32, description: `Recipients' mailbox provider: ${PROVIDERS.join(', ')}.` })),
    sending_domain: Type.Optional(Type.String({ minLength: 1, maxLength: 253, description: "The From address's domain." })),
    group_by: Type.Optional(
      Type.Union([Type.Literal('campaign'), Type.Literal('tag'), Type.Literal('provider'), Type.Literal('sending_domain')], {
        description: `Totals and a series per group too: the ${MAX_GROUPS} with the most emails sent in the period, and the rest as one group (key null). By tag, an email counts in each of its tags.`,
      }),
    ),
  },
  { additionalProperties: false },
);

/**
 * Answers with series are serialized by JSON.stringify: fast-json-stringify walks these deep
 * objects (records by why, nullable rates) several times slower. The schema still documents them.
 */
export const plainJson = () => (data: unknown) => JSON.stringify(data);

export function statsRoutes(db: Kysely<Database>): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/stats',
      {
        schema: {
          summary: "The project's emails, engagement and rates over a period: totals and a time series, filtered, optionally per group",
          description:
            'Read from rollups of the event log, which the scheduler role folds in as events arrive. Filters combine. Every counter and rate comes in the totals and in each point; ' +
            `machine traffic (by the classifier's why) and a person's coalesced repeats beside the counted opens and clicks. Default period: the last ${DEFAULT_PERIOD_MS / 86_400_000} days.`,
          tags: ['stats'],
          querystring: StatsQuery,
          response: { 200: StatsResponse, ...errorResponses },
        },
        serializerCompiler: plainJson,
      },
      async (request) => readStats(db, request.projectId, request.query),
    );
  };
}
