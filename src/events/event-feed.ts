// Follows the event log for this process's live readers: one background task reads what became
// visible past its cursor, woken by the events' announcements (and every second in case one was
// lost with a dropped connection), and hands each batch to every subscriber in log order.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import type { Notifier } from '../store/open-store.ts';
import { startNotifiedTask } from '../store/notified-task.ts';
import type { TaskLog } from '../shared/background-task.ts';
import { EVENTS_CHANNEL } from './append-events.ts';
import { endOfLog, readLog, type LogCursor, type LoggedEvent } from './event-log.repository.ts';

export type FeedListener = (events: readonly LoggedEvent[]) => void;

export type EventFeed = {
  /**
   * Calls `listener` with every event past the returned cursor, in log order, until unsubscribed.
   * What came before that cursor is the subscriber's to read from the log (readLog's `upTo`).
   */
  subscribe(listener: FeedListener): Promise<{ from: LogCursor; unsubscribe(): void }>;
  stop(): Promise<void>;
};

const BATCH = 1000;

export async function startEventFeed(deps: { db: Kysely<Database>; notifier: Notifier; pollMs?: number; log?: TaskLog }): Promise<EventFeed> {
  const listeners = new Set<FeedListener>();
  // Undefined while nobody listens: the feed reads nothing then, and starts from the end of the log
  // for the next subscriber.
  let cursor: LogCursor | undefined;
  const pollMs = deps.pollMs ?? 1000;

  const task = await startNotifiedTask(deps.notifier, EVENTS_CHANNEL, {
    name: 'following the event log',
    intervalMs: pollMs,
    log: deps.log,
    async run() {
      if (listeners.size === 0 || !cursor) {
        cursor = undefined;
        return pollMs;
      }
      const events = await readLog(deps.db, { after: cursor, limit: BATCH });
      if (events.length === 0) return pollMs;
      const last = events.at(-1)!;
      cursor = { txid: last.txid, id: last.id };
      for (const listener of listeners) {
        try {
          listener(events);
        } catch (err) {
          deps.log?.error({ err }, 'a live reader of the event log failed');
        }
      }
      return events.length === BATCH ? 0 : pollMs;
    },
  });

  return {
    async subscribe(listener) {
      // A run in progress reads from the old cursor and delivers before this subscriber joins; the
      // next starts where that one ended, which is where this subscriber's log reading stops.
      if (!cursor) {
        const end = await endOfLog(deps.db);
        // Another subscriber may have started the feed meanwhile: its cursor stands.
        cursor ??= end;
      }
      const from = cursor;
      listeners.add(listener);
      task.wake();
      return { from, unsubscribe: () => void listeners.delete(listener) };
    },
    stop: task.stop,
  };
}
