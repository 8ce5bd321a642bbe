// The tracking endpoints: the open pixel and the click redirect.
// No auth: the signed token is the credential. Neither ever waits on more than its hit's batch.
//
// They are the hottest path of the platform (every open and click of every campaign), so they are
// answered on Node's own request handler, ahead of Fastify's routing, reply and hook machinery:
// bench:track measured that machinery at about a fifth of a hit's cost on this thread.
import type { IncomingMessage, ServerResponse } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import { hitFromRequest, verifyToken, type HitRecorder, type RecordedHit } from '../../tracking/index.ts';
import { ERROR_CODES } from '../../shared/app-error.ts';
import { HTTP_STATUS } from '../error-statuses.ts';

export type TrackingRouteDeps = {
  /** TRACKING_KEYS: the first signs, all verify. */
  keys: readonly string[];
  recorder: Pick<HitRecorder, 'record'>;
  log?: { warn(obj: unknown, msg?: string): void };
};

export type TrackingHandlerOptions = {
  /** TRACKING_TRUSTED_PROXIES: only these may set the client IP through X-Forwarded-For. */
  trustProxy?: readonly string[];
  /** True once the server is closing: like Fastify's return503OnClosing, new requests get a 503. */
  isClosing?: () => boolean;
};

/** Answers the request when it is a tracking one (true), or leaves it to the rest of the server (false). */
export type TrackingHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

// The smallest transparent 1x1 GIF (43 bytes).
export const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const PIXEL_HEADERS = {
  'content-type': 'image/gif',
  'content-length': String(PIXEL_GIF.length),
  // Every open must reach us: no cache may answer for us (RFC 9111 section 5.2.2).
  'cache-control': 'no-store, no-cache, must-revalidate, private, max-age=0',
  pragma: 'no-cache',
  expires: '0',
};
const NOT_FOUND = Buffer.from(JSON.stringify({ error: { code: 'not_found', message: 'No such link' } }));
const CLOSING = Buffer.from(JSON.stringify({ error: { code: 'shutting_down', message: ERROR_CODES.shutting_down } }));

/** The destination as a Location header can carry it, or undefined if it is no http(s) URL. */
function redirectTarget(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, body: Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length), ...extra });
  res.end(body);
}

/** `/t/o/<token>` and `/t/c/<token>` (GET and HEAD); anything else is not ours. */
function parsePath(url: string | undefined): { kind: 'o' | 'c'; token: string } | undefined {
  if (!url || url.length < 6 || !url.startsWith('/t/') || url[4] !== '/') return undefined;
  const kind = url[3];
  if (kind !== 'o' && kind !== 'c') return undefined;
  const q = url.indexOf('?', 5);
  const token = q === -1 ? url.slice(5) : url.slice(5, q);
  // A token never holds a slash: such a path is some other (unknown) route.
  return token && !token.includes('/') ? { kind, token } : undefined;
}

export function trackingHandler(deps: TrackingRouteDeps, options: TrackingHandlerOptions = {}): TrackingHandler {
  const trust = options.trustProxy && options.trustProxy.length > 0 ? proxyAddr.compile([...options.trustProxy]) : undefined;
  const clientIp = (req: IncomingMessage) => (trust ? proxyAddr(req, trust) : req.socket.remoteAddress ?? '');
  const hitRequest = (req: IncomingMessage) => ({ method: req.method!, ip: clientIp(req), headers: req.headers });

  const record = (hit: RecordedHit, respond: () => void) => {
    deps.recorder.record(hit).then(respond, (err: unknown) => {
      // Only when even the disk spool failed: the response still goes out, as a redirect is never
      // refused because recording failed.
      deps.log?.warn({ err, hit: hit.id }, 'tracking hit lost: neither database nor spool took it');
      respond();
    });
  };

  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = parsePath(req.url);
    if (!path) return false;
    if (options.isClosing?.()) {
      sendJson(res, HTTP_STATUS.shutting_down, CLOSING, { connection: 'close' });
      return true;
    }
    const payload = verifyToken(deps.keys, path.token);
    if (path.kind === 'o') {
      const sendPixel = () => {
        res.writeHead(200, PIXEL_HEADERS);
        res.end(PIXEL_GIF);
      };
      // A forged or altered token still gets the image (a broken image helps nobody) but records nothing.
      if (payload?.kind === 'open') record(hitFromRequest(payload, hitRequest(req)), sendPixel);
      else sendPixel();
      return true;
    }
    const target = payload?.kind === 'click' ? redirectTarget(payload.url) : undefined;
    // No open redirect: only a destination we signed ourselves is ever followed.
    if (!payload || payload.kind !== 'click' || !target) {
      sendJson(res, HTTP_STATUS.not_found, NOT_FOUND);
      return true;
    }
    record(hitFromRequest(payload, hitRequest(req)), () => {
      res.writeHead(302, { location: target, 'cache-control': 'no-store, private', 'content-length': '0' });
      res.end();
    });
    return true;
  };
}
