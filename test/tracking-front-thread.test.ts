// The tracking front thread (TRACKING_FRONT_THREAD; by default on PGlite, here on both stores): pixel and click requests are
// answered by a thread that owns the HTTP port, so a redirect never waits for the main thread,
// where PGlite runs and where hits are committed. Everything else on the port still reaches the
// main thread's server, with the client's address, including on keep-alive connections that mix both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, get } from 'node:http';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { loadConfig } from '../src/config/load-config.ts';
import { createMetrics } from '../src/metrics/metrics.ts';
import { ensureDefaultProject } from '../src/projects/default-project.ts';
import { startRoles, type RunningRoles } from '../src/roles/index.ts';
import { signToken } from '../src/tracking/index.ts';
import { STORE_KINDS, createTestStore, type TestStore } from './support/test-store.ts';
import { createEmails } from './support/tracking-fixtures.ts';

const KEY = 'front-thread-tracking-key';
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

// A client on a thread of its own: it keeps going while this (main) thread is held. It fetches
// the URL it is sent and reports the response and the wall-clock time it arrived.
const CLIENT = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', async (url) => {
  const res = await fetch(url, { redirect: 'manual', headers: { 'user-agent': ${JSON.stringify(UA)} } });
  await res.arrayBuffer();
  parentPort.postMessage({ status: res.status, location: res.headers.get('location'), at: Date.now() });
});`;

describe.each(STORE_KINDS)('the tracking front thread on %s', (kind) => {
  let store: TestStore;
  let dataDir: string;
  let running: RunningRoles;
  let emailIds: string[];

  beforeAll(async () => {
    store = await createTestStore(kind);
    dataDir = await mkdtemp(join(tmpdir(), 'sendtrail-front-'));
    const { projectId } = await ensureDefaultProject(store.db);
    const config = loadConfig({
      PORT: '0', HOST: '127.0.0.1', SENDTRAIL_DATA_DIR: dataDir, LOG_LEVEL: 'silent', TRACKING_KEYS: KEY,
      DATABASE_URL: store.url ?? '', TRACKING_COMMIT_LINGER_MS: '0', TRACKING_FRONT_THREAD: 'true',
    });
    running = await startRoles(['api', 'tracking'], { config, store, secret: 'front-test-secret', projectId, metrics: createMetrics(), workerId: 'front-test' });
    emailIds = (await createEmails(store.db, 2)).emailIds;
  });
  afterAll(async () => {
    await running?.stop();
    await store?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const clickPath = (emailId: string, url: string) => `/t/c/${signToken(KEY, { kind: 'click', emailId, linkIndex: 0, url })}`;
  const clicksStored = async (emailId: string) =>
    (await store.db.selectFrom('events').select((eb) => eb.fn.countAll<string>().as('n')).where('email_id', '=', emailId).where('event_type', '=', 'click').executeTakeFirstOrThrow()).n;
  const eventually = async (check: () => Promise<boolean>) => {
    for (const until = Date.now() + 20_000; !(await check());) {
      if (Date.now() > until) throw new Error('not in time');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('a click is redirected while the database holds the main thread, before it lets go, and is stored afterwards', async () => {
    const client = new Worker(CLIENT, { eval: true });
    try {
      const answer = new Promise<{ status: number; location: string; at: number }>((resolve) => client.once('message', resolve));
      // Loaded before the test holds this thread: the client is ready to fetch when told.
      await new Promise((r) => setTimeout(r, 200));
      const emailId = emailIds[0]!;
      let released = 0;
      const busy = kind === 'pglite'
        // PGlite runs in this thread: a long query holds it, as a big commit does.
        ? store.db.transaction().execute(async (trx) => {
          client.postMessage(`${running.url}${clickPath(emailId, 'https://shop.example/now')}`);
          await sql`select count(*) from generate_series(1, 3000000)`.execute(trx);
          released = Date.now();
        })
        // PostgreSQL runs elsewhere: the events table is locked (no commit lands) and this thread is
        // kept busy meanwhile, as a long rollup fold or a large API answer would keep it.
        : store.db.transaction().execute(async (trx) => {
          await sql`lock table events in exclusive mode`.execute(trx);
          client.postMessage(`${running.url}${clickPath(emailId, 'https://shop.example/now')}`);
          for (const until = Date.now() + 3000; Date.now() < until;) { /* held */ }
          released = Date.now();
        });
      await busy;
      const got = await answer;
      expect({ status: got.status, location: got.location }).toEqual({ status: 302, location: 'https://shop.example/now' });
      expect(got.at).toBeLessThan(released);
      await eventually(async () => Number(await clicksStored(emailId)) === 1);
    } finally {
      await client.terminate();
    }
  });

  it('one keep-alive connection mixing tracking and API requests is served right, either way round', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const request = (path: string) => new Promise<{ status: number; location?: string; type?: string }>((resolve, reject) => {
      get(`${running.url}${path}`, { agent, headers: { 'user-agent': UA } }, (res) => {
        sockets.add(res.socket);
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location, type: res.headers['content-type'] }));
      }).on('error', reject);
    });
    try {
      const emailId = emailIds[1]!;
      // Begins as a tracking connection (answered by the thread); the API requests go on to the main server.
      expect(await request(clickPath(emailId, 'https://shop.example/a'))).toMatchObject({ status: 302, location: 'https://shop.example/a' });
      expect(await request('/healthz')).toMatchObject({ status: 200 });
      expect(await request('/v1/emails')).toMatchObject({ status: 401 });
      expect(await request(clickPath(emailId, 'https://shop.example/b'))).toMatchObject({ status: 302, location: 'https://shop.example/b' });
      expect(sockets.size).toBe(1);
      agent.destroy();
      sockets.clear();
      // Begins as an API connection (passed on whole to the main server), whose tracking requests still count.
      expect(await request('/healthz')).toMatchObject({ status: 200 });
      expect(await request(clickPath(emailId, 'https://shop.example/c'))).toMatchObject({ status: 302, location: 'https://shop.example/c' });
      expect(await request('/t/o/forged-token')).toMatchObject({ status: 200, type: 'image/gif' });
      expect(sockets.size).toBe(1);
      await eventually(async () => Number(await clicksStored(emailId)) === 3);
      // /metrics answers loopback clients only: the main server saw this client's own address.
      expect((await request('/metrics')).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});
