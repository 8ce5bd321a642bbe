// The dashboard as the api role serves it: cache rules, the app for unknown paths outside the API,
// the API's and tracking's own answers untouched, the CSP on every app response, and the size of
// what a first visit downloads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { createTrackingApp, type TrackingApp } from '../../test/support/tracking-app.ts';
import { CONTENT_SECURITY_POLICY, WEB_DIST_DIR, webApp } from './web-app.ts';

const APP_MARKER = '<div id="root"></div>';

describe('the dashboard served by the api role', () => {
  let t: TrackingApp;
  let indexHtml: string;
  beforeAll(async () => {
    t = await createTrackingApp('pglite');
    indexHtml = await readFile(join(WEB_DIST_DIR, 'index.html'), 'utf8');
  });
  afterAll(async () => t?.close());

  it('answers / with index.html, revalidated on every load, under a strict Content-Security-Policy', async () => {
    const res = await t.fetch('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.body.toString()).toContain(APP_MARKER);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toBe(CONTENT_SECURITY_POLICY);
    for (const rule of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'", "img-src 'self' data:", "connect-src 'self'"]) {
      expect(csp).toContain(rule);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
  });

  it('caches a hashed asset for a year as immutable', async () => {
    const script = /<script type="module" crossorigin src="([^"]+)"/.exec(indexHtml)?.[1];
    expect(script).toMatch(/^\/assets\/.+-[\w-]{8,}\.js$/);
    const res = await t.fetch(script!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers a path of the app it does not know with index.html, for the app to route', async () => {
    for (const path of ['/email-logs/123', '/sign-in', '/campaigns?status=sent']) {
      const res = await t.fetch(path);
      expect(res.status, path).toBe(200);
      expect(res.body.toString(), path).toContain(APP_MARKER);
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
    }
  });

  it('answers a missing file with a 404, not with the app', async () => {
    for (const path of ['/assets/gone-12345678.js', '/favicon.ico']) {
      const res = await t.fetch(path);
      expect(res.status, path).toBe(404);
      expect(res.body.toString(), path).not.toContain(APP_MARKER);
    }
  });

  it('leaves the API its JSON 404, and /docs, /healthz, /metrics their own answers', async () => {
    const nope = await t.fetch('/v1/nope');
    expect(nope.status).toBe(404);
    expect(nope.json()).toEqual({ error: expect.objectContaining({ code: 'not_found' }) });
    const deeper = await t.fetch('/v1/emails/1/2/3', { headers: t.auth });
    expect(deeper.status).toBe(404);
    expect(deeper.headers.get('content-type')).toMatch(/json/);
    expect((await t.fetch('/healthz')).status).toBe(200);
    expect((await t.fetch('/health-nope')).status).toBe(404);
    expect((await t.fetch('/docs/json')).headers.get('content-type')).toMatch(/json/);
    expect((await t.fetch('/metrics')).body.toString()).not.toContain(APP_MARKER);
    // A write to an unknown path is the API's 404 too, not the app.
    const post = await t.fetch('/email-logs', { method: 'POST' });
    expect(post.status).toBe(404);
  });

  it('leaves the tracking pixel, click redirects and unsubscribe pages untouched', async () => {
    for (const path of ['/t/o/not-a-token', '/t/c/not-a-token', '/u/not-a-token', '/t', '/u/']) {
      const res = await t.fetch(path);
      expect(res.body.toString(), path).not.toContain(APP_MARKER);
      expect(res.headers.get('content-security-policy'), path).toBeNull();
    }
  });

  it('keeps the JavaScript a first visit loads under 250 KB gzipped (the screens are split off)', async () => {
    const entries = [...indexHtml.matchAll(/<(?:script type="module"[^>]*src|link rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)].map((m) => m[1]!);
    expect(entries.length).toBeGreaterThan(0);
    let gzipped = 0;
    for (const path of entries) gzipped += gzipSync(await readFile(join(WEB_DIST_DIR, path))).length;
    expect(gzipped).toBeLessThan(250 * 1024);
    // The Overview (and uPlot with it) is a chunk of its own, loaded when the screen is opened.
    const manifest = JSON.parse(await readFile(join(WEB_DIST_DIR, '.vite', 'manifest.json'), 'utf8')) as Record<string, { file: string; isDynamicEntry?: boolean }>;
    const overview = Object.entries(manifest).find(([src]) => src.endsWith('overview/overview-screen.tsx'))?.[1];
    expect(overview?.isDynamicEntry).toBe(true);
    expect(entries).not.toContain(`/${overview!.file}`);
  });

  it("ships React's production build, whatever NODE_ENV built it (the tests build under NODE_ENV=test)", async () => {
    const entry = /<script type="module"[^>]*src="([^"]+\.js)"/.exec(indexHtml)![1]!;
    const js = await readFile(join(WEB_DIST_DIR, entry), 'utf8');
    // Production React replaces its messages by numbers; the development build carries its warnings.
    expect(js).toContain('Minified React error');
    expect(js).not.toContain('Each child in a list should have a unique');
  });
});

describe('the dashboard when web/dist was not built', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sendtrail-no-web-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('answers / with a page that says so and how to build it', async () => {
    const app = Fastify();
    await app.register(webApp({ distDir: dir }));
    const res = await app.inject('/');
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('The dashboard is not built');
    expect(res.body).toContain('npm run build');
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    await app.close();
  });
});
