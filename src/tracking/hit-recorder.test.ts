import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import { clickHit, createEmails, openHit, simpleClassify } from '../../test/support/tracking-fixtures.ts';
import { eventually } from '../../test/support/test-worker.ts';
import { startHitRecorder } from './hit-recorder.ts';
import { commitHits } from './commit-hits.ts';
import { SPOOL_PREFIX } from './hit-spool.ts';
import { DirectoryLockedError } from '../shared/dir-lock.ts';
import type { Database } from '../store/database.ts';
import type { Kysely } from 'kysely';

const hitEvents = (db: Kysely<Database>) =>
  db.selectFrom('events').select(['hit_id', 'event_type', 'metadata', 'created_at']).where('hit_id', 'is not', null).orderBy('id').execute();

describe.each(STORE_KINDS)('hit recorder on %s', (kind) => {
  let store: TestStore;
  let dir: string;
  afterEach(async () => {
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });
  const setup = async () => {
    store = await createTestStore(kind);
    dir = await mkdtemp(join(tmpdir(), 'sendtrail-spool-'));
  };

  it('500 concurrent hits are all stored, as events with ua, ip, method, counted and why', async () => {
    await setup();
    const { emailIds } = await createEmails(store.db, 5);
    const recorder = await startHitRecorder({ db: store.db, classify: simpleClassify, spoolDir: dir });
    const hits = Array.from({ length: 500 }, (_, i) => openHit(emailIds[i % 5]!, { method: i % 10 === 0 ? 'HEAD' : 'GET' }));
    await Promise.all(hits.map((h) => recorder.record(h)));
    await recorder.close();
    const events = await hitEvents(store.db);
    expect(events).toHaveLength(500);
    expect(new Set(events.map((e) => e.hit_id))).toEqual(new Set(hits.map((h) => h.id)));
    const head = events.find((e) => e.hit_id === hits[0]!.id)!;
    expect(head.metadata).toEqual({ ua: hits[0]!.ua, ip: '203.0.113.7', method: 'HEAD', counted: false, why: 'head_request' });
    // One counted open per email; the rest coalesced by the stand-in classifier, which saw the batch in order.
    expect(events.filter((e) => e.metadata.counted)).toHaveLength(5);
  });

  it('a second recorder on the same spool directory is refused while the first runs, and starts once it closed', async () => {
    await setup();
    const { emailIds } = await createEmails(store.db, 1);
    const first = await startHitRecorder({ db: store.db, classify: simpleClassify, spoolDir: dir });
    await first.record(openHit(emailIds[0]!));
    const second = await startHitRecorder({ db: store.db, classify: simpleClassify, spoolDir: dir }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(DirectoryLockedError);
    expect((second as Error).message).toContain(`The tracking spool in ${dir} is in use by another Sendtrail process`);
    // The refused one left the first alone: it still records, and closes (twice) cleanly.
    await first.record(openHit(emailIds[0]!));
    await Promise.all([first.close(), first.close()]);
    const third = await startHitRecorder({ db: store.db, classify: simpleClassify, spoolDir: dir });
    await third.record(openHit(emailIds[0]!));
    await third.close();
    expect(await hitEvents(store.db)).toHaveLength(3);
  });

  it('hits arriving one after another within the linger are committed together, in one batch', async () => {
    await setup();
    const { emailIds } = await createEmails(store.db, 1);
    const batches: number[] = [];
    const recorder = await startHitRecorder({
      spoolDir: dir,
      commitLingerMs: 300,
      commit: ({ hits }) => (batches.push(hits.length), commitHits(store.db, simpleClassify, hits)),
    });
    // Each is acknowledged (spooled) on its own, long before the linger ends.
    for (let i = 0; i < 10; i++) await recorder.record(openHit(emailIds[0]!));
    await recorder.settled();
    expect(batches).toEqual([10]);
    expect(await hitEvents(store.db)).toHaveLength(10);
    await recorder.close();
  });

  it('a counted click with no counted open stores a back-filled open beside it', async () => {
    await setup();
    const { emailIds } = await createEmails(store.db, 1);
    const recorder = await startHitRecorder({ db: store.db, classify: simpleClassify, spoolDir: dir });
    const click = clickHit(emailIds[0]!, 'https://shop.example/');
    await recorder.record(click);
    await recorder.close();
    const events = await hitEvents(store.db);
    expect(events.map((e) => [e.event_type, e.metadata.counted, e.metadata.backfilled ?? false])).toEqual([
      ['click', true, false],
      ['open', true, true],
    ]);
    expect(events[0]!.metadata).toMatchObject({ url: 'https://shop.example/', link_index: 0 });
  });

  it('a hit recorded twice (a replayed spool) is one event', async () => {
    await setup();
    const { emailIds } = await createEmails(store.db, 1);
    const recorder = await startHitRecorder({ db: store.db, classify: simpleClassify, spoolDir: dir });
    const hit = openHit(emailIds[0]!);
    await Promise.all([recorder.record(hit), recorder.record(hit)]);
    await recorder.record(hit);
    await recorder.close();
    expect(await hitEvents(store.db)).toHaveLength(1);
  });

  it('hits for an email that does not exist are dropped without failing the batch', async () => {
    await setup();
    const { emailIds } = await createEmails(store.db, 1);
    const recorder = await startHitRecorder({ db: store.db, classify: simpleClassify, spoolDir: dir });
    await Promise.all([recorder.record(openHit('0190f5a2-7c3e-7b1a-9d2e-0123456789ab')), recorder.record(openHit(emailIds[0]!))]);
    await recorder.close();
    expect(await hitEvents(store.db)).toHaveLength(1);
  });

  it('after a crash, a non-empty spool (with a torn last line) is replayed in order at start and removed', async () => {
    await setup();
    const { emailIds } = await createEmails(store.db, 1);
    const hits = Array.from({ length: 30 }, (_, i) => openHit(emailIds[0]!, { at: new Date(Date.now() - 60_000 + i * 1000) }));
    // What a process killed mid-write leaves: whole fsync'd lines, then half a line.
    await appendFile(join(dir, `${SPOOL_PREFIX}0000000001.jsonl`), hits.map((h) => `${JSON.stringify({ ...h, at: h.at.toISOString() })}\n`).join('') + '{"id":"torn","kin');
    const recorder = await startHitRecorder({ db: store.db, classify: simpleClassify, spoolDir: dir, retryMs: 50 });
    const late = openHit(emailIds[0]!);
    await recorder.record(late);
    await eventually(async () => !recorder.isSpooling());
    await recorder.close();
    const events = await hitEvents(store.db);
    expect(events.map((e) => e.hit_id)).toEqual([...hits.map((h) => h.id), late.id]);
    expect(events[0]!.metadata.counted).toBe(true);
    expect(events[1]!.metadata.why).toBe('coalesced');
    // The crashed process's segment is gone once committed.
    await expect(readFile(join(dir, `${SPOOL_PREFIX}0000000001.jsonl`))).rejects.toThrow(/ENOENT/);
  });
});

describe('hit recorder during a PostgreSQL outage', () => {
  it('acknowledges every hit while the database is cut off, and stores each exactly once after it returns', async () => {
    const { startTcpProxy } = await import('../../test/support/tcp-proxy.ts');
    const { createTestDatabase } = await import('../../test/support/test-store.ts');
    const { openStore } = await import('../store/open-store.ts');
    const database = await createTestDatabase();
    const target = new URL(database.url);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    const store = await openStore({ databaseUrl: viaProxy.toString() });
    const dir = await mkdtemp(join(tmpdir(), 'sendtrail-spool-'));
    try {
      const { emailIds } = await createEmails(store.db, 20);
      const recorder = await startHitRecorder({ db: store.db, classify: simpleClassify, spoolDir: dir, retryMs: 100, commitTimeoutMs: 500 });
      const sent: string[] = [];
      const fire = async (n: number) => {
        const batch = Array.from({ length: n }, (_, i) => openHit(emailIds[i % 20]!));
        sent.push(...batch.map((h) => h.id));
        await Promise.all(batch.map((h) => recorder.record(h)));
      };
      await fire(200);
      await recorder.settled();
      proxy.cut();
      for (let i = 0; i < 10; i++) await fire(100);
      // All 1,000 acknowledged while the database is unreachable: they wait in the spool.
      expect(recorder.isSpooling()).toBe(true);
      proxy.restore();
      for (let i = 0; i < 5; i++) await fire(100);
      await eventually(async () => !recorder.isSpooling(), 20_000);
      await recorder.close();
      const stored = await sql<{ hit_id: string }>`SELECT hit_id FROM events WHERE hit_id IS NOT NULL ORDER BY id`.execute(store.db);
      expect(stored.rows).toHaveLength(sent.length);
      expect(stored.rows.map((r) => r.hit_id)).toEqual(sent);
    } finally {
      await store.close();
      await proxy.close();
      await database.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
