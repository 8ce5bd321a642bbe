// Deletes expired idempotency keys in the background (worker role), a batch at a time so that no
// statement runs long (on PGlite every statement holds the process's only database session).
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { createWakeableSleep } from '../shared/wakeable-sleep.ts';
import { deleteExpiredIdempotencyKeys } from './idempotency.ts';

const BATCH = 1000;

export type KeyExpiry = { stop(): Promise<void> };

export function startIdempotencyKeyExpiry(deps: {
  db: Kysely<Database>;
  /** Pause between two sweeps. */
  intervalMs: number;
  log?: { error(obj: unknown, msg?: string): void };
}): KeyExpiry {
  const { sleep, wake } = createWakeableSleep();
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      try {
        while (!stopped && (await deleteExpiredIdempotencyKeys(deps.db, BATCH)) === BATCH) {
          await new Promise((resolve) => setImmediate(resolve));
        }
      } catch (err) {
        deps.log?.error({ err }, 'deleting expired idempotency keys failed; retrying at the next sweep');
      }
      if (!stopped) await sleep(deps.intervalMs);
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake();
      await running;
    },
  };
}
