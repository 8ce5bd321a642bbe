// GET /v1/inbound/stream: a frame for each message the inbound server takes in, over Server-Sent
// Events, so that the dashboard's Inbound screen shows new mail without a reload. Mail that matched
// no email records no event: the event stream never tells of it.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { InboundFeed } from '../../inbound/index.ts';
import { errorResponses } from '../schemas.ts';
import { openSse, SSE_KEEPALIVE_MS } from '../sse-stream.ts';


export function inboundStreamRoutes(feed: InboundFeed, options: { keepaliveMs?: number } = {}): FastifyPluginAsyncTypebox {
  const keepaliveMs = options.keepaliveMs ?? SSE_KEEPALIVE_MS;
  return async (app) => {
    app.get(
      '/v1/inbound/stream',
      {
        schema: {
          summary: 'Inbound mail as it arrives (Server-Sent Events)',
          description:
            'Sends `event: inbound` with `data: {"id","kind","matched"}` for each message the inbound server stores, matched to an email or not; ' +
            'read it with GET /v1/inbound/:id. Nothing is replayed: after a reconnect, read GET /v1/inbound again. ' +
            'A comment line every 15 s keeps proxies open.',
          tags: ['inbound'],
          response: errorResponses,
        },
      },
      async (request, reply) => {
        const { projectId } = request;
        const stream = openSse(reply, { greeting: 'sendtrail inbound stream', keepaliveMs });
        const unsubscribe = feed.subscribe((arrival) => {
          if (arrival.projectId !== projectId) return;
          stream.write(`event: inbound\ndata: ${JSON.stringify({ id: arrival.id, kind: arrival.kind, matched: arrival.matched })}\n\n`);
        });
        stream.onClose(unsubscribe);
      },
    );
  };
}
