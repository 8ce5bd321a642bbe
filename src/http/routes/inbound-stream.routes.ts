// GET /v1/inbound/stream: a frame for each message the inbound server takes in, over Server-Sent
// Events, so that the dashboard's Inbound screen shows new mail without a reload. Mail that matched
// no email records no event: the event stream never tells of it.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { InboundFeed } from '../../inbound/index.ts';
import { errorResponses } from '../schemas.ts';

const KEEPALIVE_MS = 15_000;
/** Frames are tiny: a client this far behind does not read. */
const MAX_UNSENT_BYTES = 1024 * 1024;

export function inboundStreamRoutes(feed: InboundFeed, options: { keepaliveMs?: number } = {}): FastifyPluginAsyncTypebox {
  const keepaliveMs = options.keepaliveMs ?? KEEPALIVE_MS;
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
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        res.write(': sendtrail inbound stream\n\n');
        const unsubscribe = feed.subscribe((arrival) => {
          if (arrival.projectId !== projectId) return;
          res.write(`event: inbound\ndata: ${JSON.stringify({ id: arrival.id, kind: arrival.kind, matched: arrival.matched })}\n\n`);
          if (res.writableLength > MAX_UNSENT_BYTES) res.destroy();
        });
        const keepalive = setInterval(() => res.write(': keep-alive\n\n'), keepaliveMs);
        const close = () => {
          clearInterval(keepalive);
          unsubscribe();
        };
        res.on('close', close);
        // A write racing the client's disconnect fails quietly; 'close' ends the stream.
        res.on('error', () => {});
        if (res.destroyed) close();
      },
    );
  };
}
