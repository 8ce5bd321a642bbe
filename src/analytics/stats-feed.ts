// Live stats for this process's readers: one listener on STATS_CHANNEL (announced by the scheduler
// after each rollup batch) marks the watched stats that may have moved, and each is read again at
// most once per interval, once for all of its watchers, and handed on only when it changed.
import type { Notifier } from '../store/open-store.ts';
import { campaignsOfPayload, STATS_CHANNEL } from './stats-channel.ts';

export type StatsWatch = {
  /** Identifies what is read: watchers with the same key share one read. */
  key: string;
  /** The campaign the stats are of, or undefined for stats any batch may move. */
  campaignId?: string;
  read(): Promise<unknown>;
};

export type StatsFeed = {
  /**
   * Calls `onChange` with the stats' JSON now and whenever they change (at most once per interval),
   * until the returned function is called. A failed read is passed as an Error.
   */
  watch(w: StatsWatch, onChange: (json: string | Error) => void): () => void;
  stop(): Promise<void>;
};

type Watched = StatsWatch & { listeners: Set<(json: string | Error) => void>; dirty: boolean; last?: string; reading: boolean };

export async function startStatsFeed(deps: { notifier: Notifier; intervalMs?: number }): Promise<StatsFeed> {
  const intervalMs = deps.intervalMs ?? 1000;
  const watched = new Map<string, Watched>();

  const unlisten = await deps.notifier.listen(STATS_CHANNEL, (payload) => {
    const campaigns = campaignsOfPayload(payload);
    for (const w of watched.values()) if (!campaigns || !w.campaignId || campaigns.has(w.campaignId)) w.dirty = true;
  });

  const refresh = async (w: Watched, only?: (json: string | Error) => void) => {
    if (w.reading) return;
    w.reading = true;
    w.dirty = false;
    try {
      const json = JSON.stringify(await w.read());
      if (only) only(json);
      if (json !== w.last) {
        w.last = json;
        for (const l of w.listeners) if (l !== only) l(json);
      }
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      for (const l of only ? [only] : w.listeners) l(error);
    } finally {
      w.reading = false;
    }
  };

  // A beat rather than a read per notification: a busy minute brings a batch every few hundred
  // milliseconds, and a reader wants at most one update a second.
  const timer = setInterval(() => {
    for (const w of watched.values()) if (w.dirty) void refresh(w);
  }, intervalMs);
  timer.unref();

  return {
    watch(w, onChange) {
      let entry = watched.get(w.key);
      if (!entry) watched.set(w.key, (entry = { ...w, listeners: new Set(), dirty: false, reading: false }));
      const e = entry;
      e.listeners.add(onChange);
      // The first value now: the shared last value when there is one, else a read of its own.
      if (e.last !== undefined) onChange(e.last);
      else void refresh(e, onChange);
      return () => {
        e.listeners.delete(onChange);
        if (e.listeners.size === 0) watched.delete(w.key);
      };
    },
    async stop() {
      clearInterval(timer);
      watched.clear();
      await unlisten().catch(() => {});
    },
  };
}
