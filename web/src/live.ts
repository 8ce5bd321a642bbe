// Keeps the stats on screen current: the stats stream says when the rollups changed, and the
// cached stats queries are refetched, at most once a second however often it says so.
import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';

const MIN_INTERVAL_MS = 1000;

export function useLiveStats(tz: string) {
  const queryClient = useQueryClient();
  useEffect(() => {
    let lastAt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refetch = () => {
      timer = undefined;
      lastAt = Date.now();
      void queryClient.invalidateQueries({ queryKey: ['stats'] });
    };
    // The stream sends today's totals at once; only the frames after it mean something changed.
    let first = true;
    const source = new EventSource(`/v1/stats/stream?${new URLSearchParams({ tz })}`, { withCredentials: true });
    source.addEventListener('stats', () => {
      if (first) {
        first = false;
        return;
      }
      if (timer) return;
      timer = setTimeout(refetch, Math.max(0, lastAt + MIN_INTERVAL_MS - Date.now()));
    });
    // A reconnect after a dropped stream may have missed changes: its first frame counts.
    source.addEventListener('error', () => {
      first = false;
    });
    return () => {
      source.close();
      clearTimeout(timer);
    };
  }, [queryClient, tz]);
}
