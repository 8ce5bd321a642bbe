// GET /v1/stats/stream: a campaign's stats (or the project's totals of today) pushed over Server-Sent
// Events when they change, at most once a second: what a dashboard shows live during a send.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { readStats, type StatsFeed } from '../../analytics/index.ts';
import { campaignStats } from '../../campaigns/index.ts';
import { AppError } from '../../shared/app-error.ts';
import { isUuid } from '../../shared/ids.ts';
import { errorResponses } from '../schemas.ts';
import { openSse, SSE_KEEPALIVE_MS } from '../sse-stream.ts';

const StreamQuery = Type.Object(
  {
    campaign_id: Type.Optional(Type.String({ maxLength: 64, description: "A campaign's stats, as GET /v1/campaigns/:id/stats gives them. Without it: the project's totals since midnight in `tz`." })),
    tz: Type.Optional(Type.String({ maxLength: 64, description: 'IANA time zone of "today" for the project totals (default UTC).' })),
  },
  { additionalProperties: false },
);

const MIN_INTERVAL_MS = 1000;

export function statsStreamRoutes(db: Kysely<Database>, feed: StatsFeed, options: { keepaliveMs?: number } = {}): FastifyPluginAsyncTypebox {
  const keepaliveMs = options.keepaliveMs ?? SSE_KEEPALIVE_MS;
  return async (app) => {
    app.get(
      '/v1/stats/stream',
      {
        schema: {
          summary: 'Stats as they change (Server-Sent Events)',
          description:
            'Sends `event: stats` with the current stats at once, then again whenever the rollups change them, at most once a second. ' +
            'With `campaign_id`, the data is the campaign\'s stats (GET /v1/campaigns/:id/stats); without, `{period, totals}` of the project since midnight in `tz`. ' +
            'A comment line every 15 s keeps proxies open.',
          tags: ['stats'],
          querystring: StreamQuery,
          response: errorResponses,
        },
      },
      async (request, reply) => {
        const { projectId } = request;
        const campaignId = request.query.campaign_id?.toLowerCase();
        const tz = request.query.tz ?? 'UTC';
        if (campaignId !== undefined && !isUuid(campaignId)) throw new AppError('validation_error', 'campaign_id is malformed');
        const read = campaignId
          ? () => campaignStats(db, projectId, campaignId)
          : async () => {
              // One day bucket around now: widened by readStats to today's local midnight and the next.
              const now = new Date();
              const report = await readStats(db, projectId, { from: now.toISOString(), to: new Date(now.getTime() + 1).toISOString(), granularity: 'day', tz }, now);
              return { period: report.period, totals: report.totals };
            };
        // Errors (no such campaign, a bad time zone) answer the request before it becomes a stream.
        const first = JSON.stringify(await read());

        const stream = openSse(reply, { greeting: 'sendtrail stats stream', keepaliveMs });
        // At most one frame a second per client, whatever the feed hands on: a change that comes
        // sooner waits for the second to end, and only the latest of those is sent.
        let last = first;
        let sentAt = Date.now();
        let pending: string | undefined;
        let held: NodeJS.Timeout | undefined;
        const push = (json: string) => {
          pending = undefined;
          if (json === last) return;
          last = json;
          sentAt = Date.now();
          stream.write(`event: stats\ndata: ${json}\n\n`);
        };
        stream.write(`event: stats\ndata: ${first}\n\n`);
        const stopWatching = feed.watch({ key: `${projectId}|${campaignId ?? ''}|${tz}`, campaignId, read }, (json) => {
          if (json instanceof Error) {
            request.log.error({ err: json }, 'reading live stats failed');
            return;
          }
          const wait = sentAt + MIN_INTERVAL_MS - Date.now();
          if (wait <= 0) return push(json);
          pending = json;
          held ??= setTimeout(() => {
            held = undefined;
            if (pending !== undefined) push(pending);
          }, wait);
        });
        stream.onClose(() => {
          clearTimeout(held);
          stopWatching();
        });
      },
    );
  };
}
