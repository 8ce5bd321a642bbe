// Deletes expired idempotency keys in the background (worker role), a batch at a time so that no
// statement runs long (on PGlite every statement holds the process's only database session).
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { startBackgroundTask, type BackgroundTask, type TaskLog } from '../shared/background-task.ts';
import { deleteExpiredIdempotencyKeys } from './idempotency.ts';

const BATCH = 1000;

export function startIdempotencyKeyExpiry(deps: {
  db: Kysely<Database>;
  /** Pause between two sweeps. */
  intervalMs: number;
  log?: TaskLog;
}): BackgroundTask {
  return startBackgroundTask({
    name: 'deleting expired idempotency keys',
    intervalMs: deps.intervalMs,
    log: deps.log,
    // A full batch means more are due: the next one follows at once.
    run: async () => ((await deleteExpiredIdempotencyKeys(deps.db, BATCH)) === BATCH ? 0 : deps.intervalMs),
  });
}
