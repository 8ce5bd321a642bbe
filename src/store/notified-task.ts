// A background task woken by a database notification channel (LISTEN/NOTIFY on PostgreSQL, an
// in-process emitter on PGlite) as well as by its own timer: how queue loops wait for work.
import { startBackgroundTask, type BackgroundTask, type BackgroundTaskOptions } from '../shared/background-task.ts';
import type { Notifier } from './open-store.ts';

export async function startNotifiedTask<T = void>(
  notifier: Notifier,
  channel: string,
  options: BackgroundTaskOptions<T> & {
    /** Whether a notification wakes the task now (default: always); the timer runs regardless. */
    wakeOnNotify?: () => boolean;
  },
): Promise<BackgroundTask<T>> {
  let task: BackgroundTask<T> | undefined;
  // Listening first: a notification sent while the first run starts still wakes the next one.
  const unlisten = await notifier.listen(channel, () => {
    if (options.wakeOnNotify?.() ?? true) task?.wake();
  });
  task = startBackgroundTask(options);
  const started = task;
  return {
    wake: started.wake,
    runNow: started.runNow,
    async stop() {
      await started.stop();
      await unlisten().catch(() => {});
    },
  };
}
