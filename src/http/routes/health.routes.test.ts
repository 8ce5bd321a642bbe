// /healthz for anyone; /metrics for loopback, METRICS_ALLOWED_NETWORKS, or a client with METRICS_TOKEN.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerDeps } from '../build-server.ts';
import { createMetrics } from '../../metrics/metrics.ts';
import { metricsAccessOf } from '../../metrics/metrics-access.ts';
import { loadConfig } from '../../config/load-config.ts';
import { createTestStore, type TestStore } from '../../../test/support/test-store.ts';

const INTERNET = '203.0.113.7';
const TOKEN = 'scraper-token-0123456789';

describe('/metrics access', () => {
  let store: TestStore;
  const apps: FastifyInstance[] = [];
  beforeAll(async () => {
    store = await createTestStore('pglite');
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await store.close();
  });

  /** A server configured the way `sendtrail start` does it, from environment variables. */
  async function server(env: Record<string, string> = {}, extra: Partial<ServerDeps> = {}) {
    const config = loadConfig(env);
    const trustProxy = config.TRACKING_TRUSTED_PROXIES.split(',').map((p) => p.trim()).filter(Boolean);
    const app = await buildServer({ db: store.db, metrics: createMetrics(), metricsAccess: metricsAccessOf(config), trustProxy, ...extra });
    apps.push(app);
    return (remoteAddress: string, headers: Record<string, string> = {}) => app.inject({ url: '/metrics', remoteAddress, headers });
  }

  const served = (res: { statusCode: number; body: string }) => {
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/^sendtrail_queue_depth \d+$/m);
    return true;
  };
  const refused = (res: { statusCode: number; json(): unknown; body: string }) => {
    expect(res.statusCode).toBe(404);
    // What any unknown route answers, in the API's error shape, and no metric in it.
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'No route GET /metrics' } });
    expect(res.body).not.toContain('sendtrail_');
    return true;
  };

  it('answers loopback clients by default and refuses others; /healthz stays open', async () => {
    const get = await server();
    for (const loopback of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(served(await get(loopback)), loopback).toBe(true);
    for (const other of [INTERNET, '10.0.0.5', '::ffff:198.51.100.1', '2001:db8::1']) expect(refused(await get(other))).toBe(true);
    const app = apps.at(-1)!;
    expect((await app.inject({ url: '/healthz', remoteAddress: INTERNET })).statusCode).toBe(200);
  });

  it('answers the networks of METRICS_ALLOWED_NETWORKS instead of loopback', async () => {
    const get = await server({ METRICS_ALLOWED_NETWORKS: '10.0.0.0/8, 2001:db8::/32' });
    expect(served(await get('10.20.30.40'))).toBe(true);
    expect(served(await get('::ffff:10.1.1.1'))).toBe(true);
    expect(served(await get('2001:db8::9'))).toBe(true);
    expect(refused(await get(INTERNET))).toBe(true);
    expect(refused(await get('127.0.0.1'))).toBe(true); // the setting replaces the default
  });

  it('answers any address presenting METRICS_TOKEN, and refuses a wrong or missing token', async () => {
    const get = await server({ METRICS_TOKEN: TOKEN });
    expect(served(await get(INTERNET, { authorization: `Bearer ${TOKEN}` }))).toBe(true);
    expect(served(await get(INTERNET, { authorization: `bearer ${TOKEN}` }))).toBe(true);
    expect(refused(await get(INTERNET, { authorization: `Bearer ${TOKEN}x` }))).toBe(true);
    expect(refused(await get(INTERNET, { authorization: `Bearer ${TOKEN.slice(0, -1)}` }))).toBe(true);
    expect(refused(await get(INTERNET, { authorization: TOKEN }))).toBe(true);
    expect(refused(await get(INTERNET))).toBe(true);
    expect(served(await get('127.0.0.1'))).toBe(true); // the token adds to the networks
  });

  it('believes X-Forwarded-For only from TRACKING_TRUSTED_PROXIES', async () => {
    const behindProxy = await server({ TRACKING_TRUSTED_PROXIES: '127.0.0.1' });
    // An internet client forwarded by the trusted proxy on loopback is still an internet client.
    expect(refused(await behindProxy('127.0.0.1', { 'x-forwarded-for': INTERNET }))).toBe(true);
    expect(served(await behindProxy('127.0.0.1', { 'x-forwarded-for': '127.0.0.1' }))).toBe(true);
    // Someone else cannot claim to be loopback.
    expect(refused(await behindProxy(INTERNET, { 'x-forwarded-for': '127.0.0.1' }))).toBe(true);
    // Headers Fastify does not read leave the client unknown, even from the trusted proxy.
    expect(refused(await behindProxy('127.0.0.1', { 'x-real-ip': INTERNET }))).toBe(true);
    expect(refused(await behindProxy('127.0.0.1', { forwarded: `for=${INTERNET}` }))).toBe(true);

    // A proxy on loopback that is not listed: its forwarded requests are not taken for loopback.
    const unlisted = await server();
    expect(refused(await unlisted('127.0.0.1', { 'x-forwarded-for': INTERNET }))).toBe(true);
    expect(served(await unlisted('127.0.0.1'))).toBe(true);

    // The token admits a scraper through any proxy.
    const withToken = await server({ METRICS_TOKEN: TOKEN });
    expect(served(await withToken('127.0.0.1', { 'x-forwarded-for': INTERNET, authorization: `Bearer ${TOKEN}` }))).toBe(true);
  });
});
