// The scheduler's outbox loop: woken by the events' announcements (else every `pollMs`), it turns
// the log into deliveries batch by batch; a full batch means it is behind, and it goes again at once.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import type { Notifier } from '../../store/open-store.ts';
import { startNotifiedTask } from '../../store/notified-task.ts';
import type { BackgroundTask, TaskLog } from '../../shared/background-task.ts';
import { EVENTS_CHANNEL } from '../../events/index.ts';
import { DEFAULT_OUTBOX_BATCH, fillOutbox, type FillOutboxOptions } from './fill-outbox.ts';

export async function startOutbox(deps: { db: Kysely<Database>; notifier: Notifier; pollMs?: number; log?: TaskLog } & FillOutboxOptions): Promise<BackgroundTask> {
  const pollMs = deps.pollMs ?? 500;
  const batchSize = deps.batchSize ?? DEFAULT_OUTBOX_BATCH;
  return startNotifiedTask(deps.notifier, EVENTS_CHANNEL, {
    name: 'filling the webhook outbox',
    intervalMs: pollMs,
    log: deps.log,
    async run() {
      const { events } = await fillOutbox(deps.db, { ...deps, batchSize });
      return events === batchSize ? 0 : pollMs;
    },
  });
}
