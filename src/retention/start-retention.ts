// The daily retention task (scheduler role). Several schedulers may run it: every removal is
// idempotent (an emptied body is not emptied again, a deleted email is not found again).
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { startBackgroundTask, type BackgroundTask, type TaskLog } from '../shared/background-task.ts';
import { runRetention, type RetentionLog, type RetentionRun } from './run-retention.ts';

export const RETENTION_INTERVAL_MS = 24 * 3_600_000;
/** Not at the very start: a process starting is busy enough, and a restart loop should not run it each time. */
const FIRST_RUN_AFTER_MS = 10 * 60_000;

export function startRetention(deps: { db: Kysely<Database>; log?: TaskLog & RetentionLog; intervalMs?: number; firstRunAfterMs?: number }): BackgroundTask<RetentionRun> {
  return startBackgroundTask<RetentionRun>({
    name: 'retention',
    intervalMs: deps.intervalMs ?? RETENTION_INTERVAL_MS,
    firstRunAfterMs: deps.firstRunAfterMs ?? FIRST_RUN_AFTER_MS,
    errorDelayMs: 3_600_000,
    log: deps.log,
    run: async (isStopping) => ({ value: await runRetention(deps.db, { log: deps.log, isStopping }) }),
  });
}
