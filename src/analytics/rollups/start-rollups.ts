// The scheduler's rollup loop: woken by the events' announcements (and every half second in case one
// was lost with a dropped connection, or the events were not yet visible to every reader), folds
// batches until it has caught up.
import type { Notifier } from '../../store/open-store.ts';
import { startNotifiedTask } from '../../store/notified-task.ts';
import type { BackgroundTask, TaskLog } from '../../shared/background-task.ts';
import { EVENTS_CHANNEL } from '../../events/index.ts';
import { DEFAULT_BATCH, rollUpBatch, type RollupDeps } from './roll-up.ts';
import { createEmailLogCache } from './email-log-cache.ts';

export async function startRollups(deps: RollupDeps & { notifier: Notifier; pollMs?: number; log?: TaskLog }): Promise<BackgroundTask> {
  const pollMs = deps.pollMs ?? 500;
  const batch = { ...deps, cache: deps.cache ?? createEmailLogCache() };
  return startNotifiedTask(deps.notifier, EVENTS_CHANNEL, {
    name: 'rolling up the event log',
    intervalMs: pollMs,
    log: deps.log,
    async run() {
      const { events } = await rollUpBatch(batch);
      return events === (deps.batchSize ?? DEFAULT_BATCH) ? 0 : pollMs;
    },
  });
}
