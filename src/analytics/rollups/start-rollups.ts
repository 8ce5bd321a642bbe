// The scheduler's rollup loop. Idle, it sleeps until the events' announcements wake it (or half a
// second passes, in case one was lost with a dropped connection, or the events were not yet
// visible to every reader), so the first event after a quiet spell is folded at once. While
// events keep coming it folds at most every `gatherMs` and lets announcements be: each batch costs
// a transaction and a handful of statements whatever its size, and folding per announcement made
// batches of a few events, which cost the senders and tracking endpoints sharing the process about
// 1.5 times the bulk fold's CPU per event. A full batch means it is behind: it goes again at once.
import type { Notifier } from '../../store/open-store.ts';
import { startNotifiedTask } from '../../store/notified-task.ts';
import type { BackgroundTask, TaskLog } from '../../shared/background-task.ts';
import { EVENTS_CHANNEL } from '../../events/index.ts';
import { DEFAULT_BATCH, rollUpBatch, type RollupDeps } from './roll-up.ts';
import { createEmailLogCache } from './email-log-cache.ts';
import { createDimsInterner } from './fold-dims.ts';

/** The longest an event waits for its batch while events keep coming: well inside the 2 s promised. */
export const DEFAULT_GATHER_MS = 500;

export async function startRollups(
  deps: RollupDeps & { notifier: Notifier; pollMs?: number; gatherMs?: number; log?: TaskLog },
): Promise<BackgroundTask> {
  const pollMs = deps.pollMs ?? 500;
  const gatherMs = Math.min(deps.gatherMs ?? DEFAULT_GATHER_MS, pollMs);
  const batchSize = deps.batchSize ?? DEFAULT_BATCH;
  const batch = { ...deps, cache: deps.cache ?? createEmailLogCache(), interner: deps.interner ?? createDimsInterner() };
  let gathering = false;
  // An announcement let be while gathering may be of an event that committed after the running
  // batch read the log: that batch can come back empty, and without this the event would wait for
  // the idle timer instead of the next gathered batch.
  let announcedDuringRun = false;
  return startNotifiedTask(deps.notifier, EVENTS_CHANNEL, {
    name: 'rolling up the event log',
    intervalMs: pollMs,
    log: deps.log,
    wakeOnNotify: () => {
      announcedDuringRun = true;
      return !gathering;
    },
    async run() {
      announcedDuringRun = false;
      const { events } = await rollUpBatch(batch);
      if (events === batchSize) return 0;
      gathering = events > 0 || announcedDuringRun;
      return gathering ? gatherMs : pollMs;
    },
  });
}
