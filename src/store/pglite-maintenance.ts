// Vacuums the embedded database on a timer. PGlite runs PostgreSQL as a single process, so there is
// no autovacuum: the dead row versions that every claim and outcome leave in emails (and that
// deleted campaign chunks leave) would never be reclaimed: after 100,000 sent emails the emails table
// is twice the size it is with vacuuming (npm run bench:pglite-vacuum), and transaction ids are never frozen.
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.ts';

export type PgliteMaintenance = {
  /** Vacuums and analyzes every table now; resolves with how long it took (ms). */
  runNow(): Promise<number>;
  stop(): Promise<void>;
};

export function startPgliteMaintenance(deps: {
  db: Kysely<Database>;
  intervalMs: number;
  log?: { info(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };
}): PgliteMaintenance {
  let running: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const runNow = (): Promise<number> => {
    // One at a time: a run the timer starts while another is going just waits for it.
    running ??= (async () => {
      const started = performance.now();
      // Not in a transaction: VACUUM refuses to run inside one. Queries from other parts of the
      // process wait for it (PGlite runs one statement at a time).
      await sql`VACUUM (ANALYZE)`.execute(deps.db);
      return performance.now() - started;
    })().finally(() => (running = undefined));
    return running;
  };

  const schedule = () => {
    if (stopped || deps.intervalMs <= 0) return;
    timer = setTimeout(() => {
      runNow()
        .then((ms) => deps.log?.info({ ms: Math.round(ms) }, 'embedded database vacuumed'))
        .catch((err) => deps.log?.error({ err }, 'vacuuming the embedded database failed'))
        .finally(schedule);
    }, deps.intervalMs);
    timer.unref();
  };
  schedule();

  return {
    runNow,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => {});
    },
  };
}
