// The tracking endpoints (DESIGN.md sections 3 and 4): the open pixel and the click redirect.
// No auth: the signed token is the credential. Neither ever waits on more than its hit's batch.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { hitFromRequest, verifyToken, type HitRecorder } from '../../tracking/index.ts';
import { sendError } from '../error-handler.ts';

export type TrackingRouteDeps = {
  /** TRACKING_KEYS: the first signs, all verify. */
  keys: readonly string[];
  recorder: HitRecorder;
  log?: { warn(obj: unknown, msg?: string): void };
};

// The smallest transparent 1x1 GIF (43 bytes).
export const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

// No params schema: verifyToken checks the token's length and alphabet before anything else, and a
// validator per request is a measurable part of this hot path (bench:track).
const HIDDEN = { schema: { hide: true } } as const;

function sendPixel(reply: FastifyReply) {
  // Every open must reach us: no cache may answer for us (RFC 9111 section 5.2.2).
  return reply
    .header('cache-control', 'no-store, no-cache, must-revalidate, private, max-age=0')
    .header('pragma', 'no-cache')
    .header('expires', '0')
    .type('image/gif')
    .send(PIXEL_GIF);
}

/** The destination as a Location header can carry it, or undefined if it is no http(s) URL. */
function redirectTarget(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

export function trackingRoutes(deps: TrackingRouteDeps): FastifyPluginAsync {
  const record = async (hit: Parameters<HitRecorder['record']>[0]) => {
    try {
      await deps.recorder.record(hit);
    } catch (err) {
      // Only when even the disk spool failed: the response still goes out (DESIGN.md section 4).
      deps.log?.warn({ err, hit: hit.id }, 'tracking hit lost: neither database nor spool took it');
    }
  };

  return async (app) => {
    // HEAD is answered by the same handler (Fastify exposes HEAD for GET routes) and recorded as HEAD.
    app.get<{ Params: { token: string } }>('/t/o/:token', HIDDEN, async (request, reply) => {
      const payload = verifyToken(deps.keys, request.params.token);
      // A forged or altered token still gets the image (a broken image helps nobody) but records nothing.
      if (payload?.kind === 'open') await record(hitFromRequest(payload, request));
      return sendPixel(reply);
    });

    app.get<{ Params: { token: string } }>('/t/c/:token', HIDDEN, async (request, reply) => {
      const payload = verifyToken(deps.keys, request.params.token);
      const target = payload?.kind === 'click' ? redirectTarget(payload.url) : undefined;
      // No open redirect: only a destination we signed ourselves is ever followed.
      if (!payload || payload.kind !== 'click' || !target) return sendError(reply, 'not_found', 'No such link');
      await record(hitFromRequest(payload, request));
      return reply.header('cache-control', 'no-store, private').redirect(target, 302);
    });
  };
}
