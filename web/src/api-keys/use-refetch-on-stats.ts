// Refetches a list when mail moves: the stats stream says so at most once a second, and sending is
// what uses API keys, so their "last used" follows without a reload (throttled to every few seconds).
import { useEffect } from 'react';
import { useQueryClient, type QueryKey } from '@tanstack/react-query';

const MIN_INTERVAL_MS = 5000;

export function useRefetchOnStats(queryKey: QueryKey) {
  const queryClient = useQueryClient();
  const key = JSON.stringify(queryKey);
  useEffect(() => {
    let lastAt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refetch = () => {
      timer = undefined;
      lastAt = Date.now();
      void queryClient.invalidateQueries({ queryKey: JSON.parse(key) as QueryKey });
    };
    const source = new EventSource('/v1/stats/stream', { withCredentials: true });
    source.addEventListener('stats', () => {
      if (!timer) timer = setTimeout(refetch, Math.max(0, lastAt + MIN_INTERVAL_MS - Date.now()));
    });
    return () => {
      source.close();
      clearTimeout(timer);
    };
  }, [queryClient, key]);
}
