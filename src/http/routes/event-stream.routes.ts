// GET /v1/events/stream: the project's events live over Server-Sent Events. A client that
// reconnects with Last-Event-ID (or ?after=<event id>) first gets what it missed, read from the
// log, then the live events, with no gap and no duplicate: both come in the log's one order.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServerResponse } from 'node:http';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { cursorAfterEvent, EVENT_TYPES, isBefore, readLog, type EventFeed, type EventType, type LogCursor, type LogFilter, type LoggedEvent } from '../../events/index.ts';
import { AppError } from '../../shared/app-error.ts';
import { commaList } from '../../shared/comma-list.ts';
import { isUuid } from '../../shared/ids.ts';
import { errorResponses } from '../schemas.ts';
import { openSse, SSE_KEEPALIVE_MS, SSE_MAX_UNSENT_BYTES } from '../sse-stream.ts';

const EventId = Type.String({ pattern: '^[0-9]{1,18}$' });

const StreamQuery = Type.Object(
  {
    campaign_id: Type.Optional(Type.String({ maxLength: 64 })),
    email_id: Type.Optional(Type.String({ maxLength: 64 })),
    event_type: Type.Optional(Type.String({ maxLength: 300, description: `Comma-separated: ${EVENT_TYPES.join(', ')}` })),
    after: Type.Optional(EventId),
  },
  { additionalProperties: false },
);

const REPLAY_PAGE = 500;
/** Live events held while a reconnecting client catches up, past which it is cut off. */
const MAX_WAITING_EVENTS = 50_000;

export type EventStreamOptions = { keepaliveMs?: number; maxUnsentBytes?: number };

export function eventStreamRoutes(db: Kysely<Database>, feed: EventFeed, options: EventStreamOptions = {}): FastifyPluginAsyncTypebox {
  const keepaliveMs = options.keepaliveMs ?? SSE_KEEPALIVE_MS;
  const maxUnsent = options.maxUnsentBytes ?? SSE_MAX_UNSENT_BYTES;
  return async (app) => {
    app.get(
      '/v1/events/stream',
      {
        schema: {
          summary: 'The project\'s events as they happen (Server-Sent Events)',
          description:
            'Each event as `id: <event id>`, `event: <event_type>`, `data: {"id","email_id","campaign_id","event_type","metadata","created_at"}`. ' +
            'Reconnecting with `Last-Event-ID` (or `after`) first sends the events missed, then goes live, with no gap and no duplicate. ' +
            'A comment line every 15 s keeps proxies open; a client that stops reading is disconnected.',
          tags: ['events'],
          querystring: StreamQuery,
          headers: Type.Object({ 'last-event-id': Type.Optional(EventId) }),
          response: errorResponses,
        },
      },
      async (request, reply) => {
        const q = request.query;
        if ((q.campaign_id && !isUuid(q.campaign_id)) || (q.email_id && !isUuid(q.email_id))) {
          throw new AppError('validation_error', 'campaign_id or email_id is malformed');
        }
        const filter: LogFilter = {
          projectId: request.projectId,
          campaignId: q.campaign_id?.toLowerCase(),
          emailId: q.email_id?.toLowerCase(),
          eventTypes: parseEventTypes(q.event_type),
        };
        const lastSeen = request.headers['last-event-id'] ?? q.after;
        const resumeFrom = lastSeen === undefined ? undefined : await cursorAfterEvent(db, Number(lastSeen));

        const stream = openSse(reply, { greeting: 'sendtrail event stream', keepaliveMs, maxUnsentBytes: maxUnsent });
        // Live events that arrive while the missed ones are read from the log wait here.
        let waiting: LoggedEvent[] | undefined = resumeFrom ? [] : undefined;
        const send = (events: readonly LoggedEvent[]) => {
          for (const e of events) if (matches(e, filter)) stream.write(frame(e));
        };
        const { from, unsubscribe } = await feed.subscribe((events) => {
          if (stream.closed) return;
          if (!waiting) return send(events);
          waiting.push(...events.filter((e) => matches(e, filter)));
          // A client that does not read: end the stream; it may reconnect with Last-Event-ID and catch up.
          if (waiting.length > MAX_WAITING_EVENTS) stream.cutOff();
        });
        stream.onClose(unsubscribe);

        if (resumeFrom) {
          try {
            await replay(db, stream.res, resumeFrom, from, filter, () => stream.closed);
          } catch (err) {
            request.log.error({ err }, 'replaying the event log failed');
            stream.cutOff();
            return;
          }
          const live = waiting!;
          waiting = undefined;
          send(live);
        }
      },
    );
  };
}

/** The missed events, (resumeFrom, upTo], page by page. */
async function replay(db: Kysely<Database>, res: ServerResponse, resumeFrom: LogCursor, upTo: LogCursor, filter: LogFilter, isClosed: () => boolean) {
  let after = resumeFrom;
  while (!isClosed() && isBefore(after, upTo)) {
    const page = await readLog(db, { after, upTo, limit: REPLAY_PAGE, filter });
    for (const e of page) res.write(frame(e));
    if (page.length < REPLAY_PAGE) return;
    const last = page.at(-1)!;
    after = { txid: last.txid, id: last.id };
    // A reader far behind is not held in memory: wait for the socket to drain between pages.
    if (res.writableNeedDrain) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
  }
}

function frame(e: LoggedEvent): string {
  const data = { id: e.id, email_id: e.email_id, campaign_id: e.campaign_id, event_type: e.event_type, metadata: e.metadata, created_at: e.created_at.toISOString() };
  return `id: ${e.id}\nevent: ${e.event_type}\ndata: ${JSON.stringify(data)}\n\n`;
}

function matches(e: LoggedEvent, f: LogFilter): boolean {
  return e.project_id === f.projectId &&
    (f.campaignId === undefined || e.campaign_id === f.campaignId) &&
    (f.emailId === undefined || e.email_id === f.emailId) &&
    (f.eventTypes === undefined || f.eventTypes.includes(e.event_type));
}

function parseEventTypes(value: string | undefined): EventType[] | undefined {
  if (value === undefined) return undefined;
  const types = commaList(value);
  const unknown = types.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length > 0 || types.length === 0) {
    throw new AppError('validation_error', `Unknown event_type: ${unknown.join(', ') || value}; one or more of ${EVENT_TYPES.join(', ')}`);
  }
  return types as EventType[];
}
