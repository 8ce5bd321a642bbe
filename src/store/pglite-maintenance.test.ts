// The embedded database has no autovacuum: Sendtrail vacuums it, so the space of dead row versions
// (every claim and outcome leaves one) is reused instead of growing the data dir.
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestStore, type TestStore } from '../../test/support/test-store.ts';
import { newId } from '../shared/ids.ts';
import { startPgliteMaintenance, type PgliteMaintenance } from './pglite-maintenance.ts';

const ROWS = 3000;

describe('PGlite maintenance', () => {
  let store: TestStore;
  let maintenance: PgliteMaintenance | undefined;
  afterEach(async () => {
    await maintenance?.stop();
    maintenance = undefined;
    await store?.close();
  });

  async function emails(): Promise<void> {
    const ids = Array.from({ length: ROWS }, newId);
    await sql`INSERT INTO emails (id, project_id, from_address, to_address, status, priority, next_attempt_at, message_id)
      SELECT r.id, ${newId()}, 'a@example.com', r.id || '@example.org', 'queued', 1, now(), '<' || r.id || '@example.com>'
      FROM unnest(${ids}::uuid[]) AS r(id)`.execute(store.db);
  }
  // What a send does to each row: a claim, then an outcome.
  async function sendAll(): Promise<void> {
    await sql`UPDATE emails SET locked_by = 'w', attempts = attempts + 1, next_attempt_at = now() + interval '1 minute'`.execute(store.db);
    await sql`UPDATE emails SET status = 'sent', locked_by = NULL, next_attempt_at = NULL`.execute(store.db);
  }
  const tableBytes = async () => Number((await sql<{ n: string }>`SELECT pg_table_size('emails') AS n`.execute(store.db)).rows[0]!.n);

  it('without vacuuming, every round of updates grows the emails table; vacuumed, the same round reuses its space', async () => {
    store = await createTestStore('pglite');
    await emails();
    await sendAll();
    const before = await tableBytes();
    await sendAll();
    const grownUnvacuumed = (await tableBytes()) - before;
    expect(grownUnvacuumed).toBeGreaterThan(before / 3);

    maintenance = startPgliteMaintenance({ db: store.db, intervalMs: 0 });
    expect(await maintenance.runNow()).toBeGreaterThan(0);
    const vacuumed = await tableBytes();
    await sendAll();
    expect((await tableBytes()) - vacuumed).toBeLessThan(grownUnvacuumed / 4);
  });

  it('runs on its interval by itself and says how long it took', async () => {
    store = await createTestStore('pglite');
    await emails();
    const runs: unknown[] = [];
    maintenance = startPgliteMaintenance({ db: store.db, intervalMs: 200, log: { info: (obj) => runs.push(obj), error: () => {} } });
    // Long enough for two runs when the machine is busy: a vacuum then takes most of a second.
    await new Promise((r) => setTimeout(r, 2000));
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs[0]).toEqual({ ms: expect.any(Number) });
    // The planner now knows how many emails there are (PGlite never counts them by itself).
    const { rows } = await sql<{ n: number }>`SELECT reltuples::int AS n FROM pg_class WHERE relname = 'emails'`.execute(store.db);
    expect(rows[0]!.n).toBe(ROWS);
  });
});
