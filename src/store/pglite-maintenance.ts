// Vacuums the embedded database on a timer. PGlite runs PostgreSQL as a single process, so there is
// no autovacuum: the dead row versions that every claim and outcome leave in emails (and that
// deleted campaign chunks leave) would never be reclaimed: after 100,000 sent emails the emails table
// is twice the size it is with vacuuming (npm run bench:pglite-vacuum), and transaction ids are never frozen.
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.ts';
import { startBackgroundTask } from '../shared/background-task.ts';

export type PgliteMaintenance = {
  /** Vacuums and analyzes every table now (after a run in progress); resolves with how long it took (ms). */
  runNow(): Promise<number>;
  stop(): Promise<void>;
};

export function startPgliteMaintenance(deps: {
  db: Kysely<Database>;
  /** Time between two runs; 0: only when runNow() asks. */
  intervalMs: number;
  log?: { info(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };
}): PgliteMaintenance {
  const intervalMs = deps.intervalMs > 0 ? deps.intervalMs : Infinity;
  const task = startBackgroundTask<number>({
    name: 'vacuuming the embedded database',
    intervalMs,
    firstRunAfterMs: intervalMs,
    log: deps.log,
    async run() {
      const started = performance.now();
      // Not in a transaction: VACUUM refuses to run inside one. Queries from other parts of the
      // process wait for it (PGlite runs one statement at a time).
      await sql`VACUUM (ANALYZE)`.execute(deps.db);
      const ms = performance.now() - started;
      deps.log?.info({ ms: Math.round(ms) }, 'embedded database vacuumed');
      return { value: ms };
    },
  });
  return {
    runNow: async () => (await task.runNow()) ?? 0,
    stop: task.stop,
  };
}
