// A hit acknowledged is a hit kept: clicks under load while PostgreSQL is
// cut off all redirect and all land once it returns; a process killed with -9 while hits wait in
// its spool loses none of them after restart. The outage is a TCP proxy in front of the real server.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase } from './support/test-store.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';
import { startSendtrailProcess, type SendtrailProcess } from './support/sendtrail-process.ts';
import { signToken } from '../src/tracking/index.ts';
import { openStore } from '../src/store/open-store.ts';

const API_KEY = 'st_tracking_durability_key_0123456789';
const KEY = 'durability-tracking-key';
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

describe('tracking durability on PostgreSQL', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    cleanups.length = 0;
  });

  async function setup() {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const target = new URL(database.url);
    const proxy: TcpProxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    cleanups.push(proxy.close);
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    const dataDir = await mkdtemp(join(tmpdir(), 'sendtrail-durability-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const env = { DATABASE_URL: viaProxy.toString(), SENDTRAIL_DATA_DIR: dataDir, SENDTRAIL_API_KEY: API_KEY, TRACKING_KEYS: KEY, TRACKING_COMMIT_TIMEOUT_MS: '500' };
    const start = async () => {
      const p: SendtrailProcess = await startSendtrailProcess(env, { roles: 'api,tracking' });
      cleanups.push(p.kill);
      return p;
    };
    const storedClicks = async () => {
      const c = new pg.Client({ connectionString: database.url });
      await c.connect();
      const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE event_type = 'click'`);
      await c.end();
      return rows[0]!.n;
    };
    return { proxy, start, storedClicks, env, dataDir };
  }

  async function createEmails(url: string, n: number): Promise<string[]> {
    const to = Array.from({ length: n }, (_, i) => `reader${i}@example.org`);
    const res = await fetch(`${url}/v1/emails`, { method: 'POST', headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ from: 'news@example.com', to, subject: 'Hi', html: '<p>hi</p>' }) });
    return ((await res.json()) as { data: Array<{ id: string }> }).data.map((d) => d.id);
  }

  const click = async (url: string, emailId: string, i: number) => {
    const token = signToken(KEY, { kind: 'click', emailId, linkIndex: 0, url: `https://shop.example/item/${i}` });
    const res = await fetch(`${url}/t/c/${token}`, { redirect: 'manual', headers: { 'user-agent': UA } });
    await res.arrayBuffer();
    return res.status === 302 && res.headers.get('location') === `https://shop.example/item/${i}`;
  };

  async function waitFor(check: () => Promise<boolean>, timeoutMs: number) {
    const until = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > until) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('clicks under load through a database outage all redirect, and every one is stored once', async () => {
    const { proxy, start, storedClicks } = await setup();
    const p = await start();
    const emails = await createEmails(p.url!, 20);
    let sent = 0;
    let redirected = 0;
    let running = true;
    // 20 clients clicking as fast as they can.
    const clients = Array.from({ length: 20 }, async (_, c) => {
      while (running) {
        const i = sent++;
        if (await click(p.url!, emails[c]!, i)) redirected++;
      }
    });
    await new Promise((r) => setTimeout(r, 1000));
    proxy.cut();
    await new Promise((r) => setTimeout(r, 500));
    const storedEarly = await storedClicks();
    const redirectedEarly = redirected;
    await new Promise((r) => setTimeout(r, 1500));
    // The outage was real: clicks kept redirecting while none reached the database.
    expect(await storedClicks()).toBe(storedEarly);
    expect(redirected).toBeGreaterThan(redirectedEarly + 50);
    proxy.restore();
    await new Promise((r) => setTimeout(r, 1000));
    running = false;
    await Promise.all(clients).catch((err) => {
      throw new Error(`${String(err)}; ended: ${p.ended()}\n${p.output()}`);
    });
    expect(sent).toBeGreaterThan(200);
    expect(redirected).toBe(sent);
    await waitFor(async () => (await storedClicks()) >= sent, 30_000);
    expect(await storedClicks()).toBe(sent);
  });

  it('a second process with the tracking role refuses the data directory whose spool is in use; a worker there starts', async () => {
    const { start, storedClicks, env, dataDir } = await setup();
    const first = await start();
    const emails = await createEmails(first.url!, 1);
    const second = await startSendtrailProcess(env, { roles: 'tracking' }).catch((e: unknown) => e);
    // Should it start after all, it must not outlive the test.
    if (!(second instanceof Error)) cleanups.push((second as SendtrailProcess).kill);
    expect(second).toBeInstanceOf(Error);
    expect((second as Error).message).toContain('exited with code 1');
    expect((second as Error).message).toContain(`The tracking spool in ${dataDir} is in use by another Sendtrail process`);
    // A worker keeps no spool: it shares the directory.
    const worker = await startSendtrailProcess(env, { roles: 'worker' });
    cleanups.push(worker.kill);
    await worker.stop();
    expect(worker.ended()).toBe('exit code 0');
    // The first process was not disturbed.
    expect(await click(first.url!, emails[0]!, 1)).toBe(true);
    await waitFor(async () => (await storedClicks()) === 1, 30_000);
  });

  it('a process killed with -9 while hits wait in its spool loses none of them after restart', async () => {
    const { proxy, start, storedClicks } = await setup();
    const first = await start();
    const emails = await createEmails(first.url!, 5);
    proxy.cut();
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => click(first.url!, emails[i % 5]!, i)));
    expect(results.every(Boolean)).toBe(true);
    await first.kill();
    proxy.restore();
    expect(await storedClicks()).toBe(0);
    await start();
    await waitFor(async () => (await storedClicks()) === 300, 30_000);
  });
});

describe('tracking durability on PGlite, hits answered by the front thread', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    cleanups.length = 0;
  });

  it('a process killed with -9 while acknowledged hits wait in the spool stores every one after restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sendtrail-durability-pglite-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    // Commits wait a minute: at the kill, every acknowledged hit is in the spool only.
    const env = { DATABASE_URL: '', SENDTRAIL_DATA_DIR: dataDir, SENDTRAIL_API_KEY: API_KEY, TRACKING_KEYS: KEY, TRACKING_FRONT_THREAD: 'auto' };
    const first = await startSendtrailProcess({ ...env, TRACKING_COMMIT_LINGER_MS: '60000' }, { roles: 'api,tracking' });
    cleanups.push(first.kill);
    const res = await fetch(`${first.url}/v1/emails`, { method: 'POST', headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ from: 'news@example.com', to: ['a@example.org', 'b@example.org'], subject: 'Hi', html: '<p>hi</p>' }) });
    const emails = ((await res.json()) as { data: Array<{ id: string }> }).data.map((d) => d.id);
    const redirected = await Promise.all(Array.from({ length: 200 }, async (_, i) => {
      const token = signToken(KEY, { kind: 'click', emailId: emails[i % 2]!, linkIndex: 0, url: `https://shop.example/item/${i}` });
      const r = await fetch(`${first.url}/t/c/${token}`, { redirect: 'manual', headers: { 'user-agent': UA } });
      await r.arrayBuffer();
      return r.status === 302 && r.headers.get('location') === `https://shop.example/item/${i}`;
    }));
    expect(redirected.every(Boolean)).toBe(true);
    await first.kill();
    // The restarted process commits the spool it finds; then it stops, so the data dir can be read here.
    const second = await startSendtrailProcess(env, { roles: 'api,tracking' });
    cleanups.push(second.kill);
    const storedClicks = async () => {
      const r = await fetch(`${second.url}/v1/emails/${emails[0]}/events`, { headers: { authorization: `Bearer ${API_KEY}` } });
      return r.ok ? ((await r.json()) as { data: Array<{ event_type: string }> }).data.filter((e) => e.event_type === 'click').length : -1;
    };
    const until = Date.now() + 30_000;
    while ((await storedClicks()) < 100 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    await second.stop();
    const store = await openStore({ dataDir });
    try {
      const { n } = await store.db.selectFrom('events').select((eb) => eb.fn.countAll<string>().as('n')).where('event_type', '=', 'click').executeTakeFirstOrThrow();
      expect(Number(n)).toBe(200);
    } finally {
      await store.close();
    }
  }, 120_000);
});
