// The scheduler's rollup loop, as a user of the live stats sees it: the first event after a quiet
// spell is counted at once (the loop wakes on the event's announcement, long before its timer),
// and a steady stream of events is folded in a few batches rather than one per announcement
// (each batch is a transaction whose fixed cost the senders in the same process pay).
import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { appendEvents } from '../../events/index.ts';
import { ensureDefaultProject } from '../../projects/default-project.ts';
import { STATS_CHANNEL } from '../stats-channel.ts';
import type { Client } from '../clients.ts';
import { createTestStore, STORE_KINDS, type TestStore } from '../../../test/support/test-store.ts';
import { eventually } from '../../../test/support/test-worker.ts';
import { startRollups } from './start-rollups.ts';

const providers = { providersOf: async (domains: readonly string[]) => new Map(domains.map((d) => [d, 'other'])) };
const clientOf = (): Client => ({ client: 'Other', os: 'unknown', device: 'unknown' });

describe.each(STORE_KINDS)('the rollup loop on %s', (kind) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  async function newEmail(projectId: string): Promise<string> {
    const id = randomUUID();
    await store!.db.transaction().execute(async (trx) => {
      await trx.insertInto('emails').values({ id, project_id: projectId, from_address: 'a@shop.example', to_address: `${id}@corp.example`, status: 'queued', priority: 1, message_id: `<${id}@shop.example>` }).execute();
      await appendEvents(trx, [{ projectId, emailId: id, type: 'queued' }]);
    });
    return id;
  }

  const sentSoFar = async () =>
    Number((await store!.db.selectFrom('stats_project_hourly').select((eb) => eb.fn.sum<string>('sent').as('n')).where('tag', '=', '').executeTakeFirst())?.n ?? 0);

  it('counts the first event after a quiet spell at once, and a stream of events in few batches', async () => {
    store = await createTestStore(kind);
    const { projectId } = await ensureDefaultProject(store.db);
    let batches = 0;
    const unlisten = await store.notifier.listen(STATS_CHANNEL, () => batches++);
    // A timer well beyond the gathering: the announcements wake the loop. The timer is still what
    // catches up when a batch found the announced event not yet readable (on PostgreSQL the log is
    // read only below every open transaction of the server, and CI runs other tests' long
    // transactions beside this one), so it is seconds, not minutes.
    const rollups = await startRollups({ db: store.db, notifier: store.notifier, providers, clientOf, pollMs: 4_000, gatherMs: 300 });
    try {
      const first = await newEmail(projectId);
      await sleep(200);
      await appendEvents(store.db, [{ projectId, emailId: first, type: 'sent' }]);
      await eventually(async () => (await sentSoFar()) === 1, 10_000);

      const ids: string[] = [];
      for (let i = 0; i < 10; i++) ids.push(await newEmail(projectId));
      await sleep(400);
      batches = 0;
      // 30 events over about 1.5 s, each in its own transaction and announcement.
      for (let i = 0; i < 30; i++) {
        await appendEvents(store.db, [{ projectId, emailId: ids[i % 10]!, type: i < 10 ? 'sent' : 'open', metadata: { counted: true } }]);
        await sleep(50);
      }
      await eventually(async () => (await sentSoFar()) === 11, 10_000);
      // One batch per 300 ms at most while they come (about 6), not one per announcement (30).
      expect(batches).toBeLessThanOrEqual(12);
      expect(batches).toBeGreaterThan(0);
    } finally {
      await rollups.stop();
      await unlisten();
    }
  });
});
