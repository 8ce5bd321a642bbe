// Serves the dashboard (web/dist, built by scripts/build.mjs) at `/`: its hashed assets cached for a
// year, index.html revalidated on every load, and any other path outside the API answered with the
// app, whose router decides what it means. Every response carries a strict Content-Security-Policy.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

/** Built by Vite; the same path from src/http (tsx, tests) and from dist/http (what ships). */
export const WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/**
 * Nothing but Sendtrail's own origin: no inline script, no plugin, no framing. Styles set through
 * the CSSOM (React's style prop, uPlot's sizing) are not inline styles in CSP's sense, so styles
 * too come only from our files.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** Paths the app never answers: the API, tracking, unsubscribe, OpenAPI, health and metrics keep their own 404. */
const NOT_THE_APP = /^\/(?:v1|t|u|docs|metrics)(?:\/|$)|^\/health/;
/** Vite names what it builds by content hash, so a file there never changes under its name. */
const HASHED = /^\/assets\//;
/** A path naming a file (favicon.svg), not a screen: answered from disk or 404, never with the app. */
const FILE_LIKE = /\/[^/]*\.[a-z0-9]+$/i;

export type WebAppOptions = { distDir?: string };

export function webApp(options: WebAppOptions = {}): FastifyPluginAsync {
  const root = options.distDir ?? WEB_DIST_DIR;
  return async (app) => {
    // serve: false: one route of ours decides between a file, the app and a 404, read from disk at
    // each request, so a rebuild is served without a restart.
    await app.register(fastifyStatic, { root, serve: false });

    const secure = (reply: FastifyReply) =>
      reply
        .header('content-security-policy', CONTENT_SECURITY_POLICY)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'same-origin')
        .header('x-frame-options', 'DENY');

    const handler = async (request: { url: string }, reply: FastifyReply) => {
      const path = request.url.split('?')[0]!;
      if (NOT_THE_APP.test(path)) return reply.callNotFound();
      secure(reply);
      if (HASHED.test(path)) {
        return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(path.slice(1), { cacheControl: false });
      }
      if (FILE_LIKE.test(path) && path !== '/index.html') {
        return reply.header('cache-control', 'no-cache').sendFile(path.slice(1), { cacheControl: false });
      }
      if (!existsSync(`${root}/index.html`)) {
        return reply.code(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
      }
      return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
    };
    app.get('/', handler);
    app.get('/*', handler);
  };
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sendtrail: the dashboard is not built</title></head>
<body>
<h1>The dashboard is not built</h1>
<p>Sendtrail's API is running (under <a href="/v1">/v1</a>, described at <a href="/docs">/docs</a>),
but the dashboard's files (<code>web/dist</code>) are missing.</p>
<p>Build them with <code>npm run build</code> (<code>npm ci</code> does it too), then reload this page.</p>
</body>
</html>
`;
