// Heartbeats and lease takeover on both stores: a process whose heartbeat stopped has its emails
// released at once, a live one never does, and the System list says which is which.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import { newId } from '../shared/ids.ts';
import { claimDueEmails, takeOverLeases } from '../delivery/queue.repository.ts';
import { startProcessHeartbeat, type ProcessHeartbeat } from './process-heartbeat.ts';
import { listProcesses, registerProcess, writeHeartbeat, type ProcessInfo } from './processes.repository.ts';

const LOST_AFTER_MS = 15_000;
const info = (id: string, roles = ['worker']): ProcessInfo => ({ id, roles, version: '9.9.9', host: 'box', pid: 42, storeKind: 'postgres' });

describe.each(STORE_KINDS)('process heartbeats on %s', (kind) => {
  let store: TestStore;
  const projectId = newId();
  const running: ProcessHeartbeat[] = [];
  beforeAll(async () => {
    store = await createTestStore(kind);
    await store.db.insertInto('projects').values({ id: projectId, name: 'p' }).execute();
  });
  afterAll(async () => store?.close());
  beforeEach(async () => {
    await Promise.all(running.splice(0).map((h) => h.stop()));
    await sql`DELETE FROM emails; DELETE FROM processes`.execute(store.db);
  });

  async function addEmails(n: number): Promise<string[]> {
    const ids = Array.from({ length: n }, () => newId());
    await store.db.insertInto('emails').values(ids.map((id) => ({
      id, project_id: projectId, from_address: 'a@example.com', to_address: `${id}@example.org`, subject: 's', text: 't',
      status: 'queued', priority: 0, next_attempt_at: new Date(Date.now() - 1000), message_id: `<${id}@example.com>`,
    }))).execute();
    return ids;
  }
  const leases = async () => Object.fromEntries(
    (await store.db.selectFrom('emails').select(['locked_by', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('locked_by').execute()).map((r) => [r.locked_by ?? 'none', Number(r.n)]),
  );
  const dueNow = async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM emails WHERE next_attempt_at <= now()`.execute(store.db)).rows[0]!.n);
  const silence = (id: string, ms: number) => sql`UPDATE processes SET heartbeat_at = now() - make_interval(secs => ${ms / 1000}) WHERE id = ${id}`.execute(store.db);
  const start = async (id: string, options: { soleProcess?: boolean } = {}) => {
    const h = await startProcessHeartbeat({ db: store.db, process: info(id, ['api', 'worker']), heartbeatMs: 60_000, lostAfterMs: LOST_AFTER_MS, takeOverLeases, ...options });
    running.push(h);
    return h;
  };

  it('lists a started process as alive with its roles, version, host and pid, and as stopped after a clean stop', async () => {
    const h = await start('box:42:aaaaaa');
    const [p] = await listProcesses(store.db, LOST_AFTER_MS);
    expect(p).toMatchObject({ id: 'box:42:aaaaaa', roles: ['api', 'worker'], version: '9.9.9', host: 'box', pid: 42, state: 'alive', stoppedAt: null });
    expect(p!.heartbeatAgeMs).toBeLessThan(5_000);
    running.splice(running.indexOf(h), 1);
    await h.stop();
    expect((await listProcesses(store.db, LOST_AFTER_MS))[0]).toMatchObject({ id: 'box:42:aaaaaa', state: 'stopped' });
  });

  it('releases at once the emails of a process whose heartbeat stopped, and leaves a live process\'s leases alone', async () => {
    await registerProcess(store.db, info('dead'));
    await registerProcess(store.db, info('slow'));
    await addEmails(6);
    await claimDueEmails(store.db, 'dead', 4, 120_000);
    await claimDueEmails(store.db, 'slow', 2, 120_000);
    await silence('dead', LOST_AFTER_MS + 1000);
    // Slow but alive: its last beat is recent, however long its sends take.
    await silence('slow', LOST_AFTER_MS - 5000);
    expect(await dueNow()).toBe(0);

    const h = await start('me');
    await h.beatNow();
    expect(await leases()).toEqual({ none: 4, slow: 2 });
    expect(await dueNow()).toBe(4);
    const states = Object.fromEntries((await listProcesses(store.db, LOST_AFTER_MS)).map((p) => [p.id, p.state]));
    expect(states).toEqual({ dead: 'lost', slow: 'alive', me: 'alive' });
    // The released emails go to the next claim, held by a live process now.
    expect(await claimDueEmails(store.db, 'me', 10, 120_000)).toHaveLength(4);
    expect(await leases()).toEqual({ me: 4, slow: 2 });
  });

  it('of two processes sweeping at once, one takes over a lost process\'s emails, once', async () => {
    await registerProcess(store.db, info('dead'));
    await addEmails(3);
    await claimDueEmails(store.db, 'dead', 3, 120_000);
    await silence('dead', LOST_AFTER_MS + 1000);
    let released = 0;
    const counting = async (trx: Parameters<typeof takeOverLeases>[0], from: Parameters<typeof takeOverLeases>[1]) => {
      const n = await takeOverLeases(trx, from);
      released += n;
      return n;
    };
    const [a, b] = await Promise.all(['a', 'b'].map((id) => startProcessHeartbeat({ db: store.db, process: info(id), heartbeatMs: 60_000, lostAfterMs: LOST_AFTER_MS, takeOverLeases: counting })));
    running.push(a!, b!);
    await Promise.all([a!.beatNow(), b!.beatNow()]);
    expect(released).toBe(3);
    expect(await leases()).toEqual({ none: 3 });
  });

  it('on a database that admits one process, takes over at start every lease but its own, without waiting', async () => {
    await registerProcess(store.db, info('before-the-crash'));
    await addEmails(3);
    await claimDueEmails(store.db, 'before-the-crash', 2, 120_000);
    // A lease with no process row: taken by a version of Sendtrail before heartbeats.
    await claimDueEmails(store.db, 'old-version', 1, 120_000);
    await start('after-the-restart', { soleProcess: true });
    expect(await leases()).toEqual({ none: 3 });
    expect(await dueNow()).toBe(3);
    expect((await listProcesses(store.db, LOST_AFTER_MS)).find((p) => p.id === 'before-the-crash')?.state).toBe('lost');
  });

  it('a process declared lost while alive beats again and is listed alive', async () => {
    await registerProcess(store.db, info('stalled'));
    await silence('stalled', LOST_AFTER_MS + 1000);
    await (await start('sweeper')).beatNow();
    expect((await listProcesses(store.db, LOST_AFTER_MS)).find((p) => p.id === 'stalled')?.state).toBe('lost');
    // Its next beat finds it declared lost (its leases are gone: the caller logs that), and it runs on.
    expect(await writeHeartbeat(store.db, 'stalled')).toBe(false);
    expect((await listProcesses(store.db, LOST_AFTER_MS)).find((p) => p.id === 'stalled')?.state).toBe('alive');
    expect(await writeHeartbeat(store.db, 'stalled')).toBe(true);
  });
});
