// A server-sent stream whose frames mean "what you show may have moved": `onChange` runs at most
// once a second however busy the stream, and again after a reconnect (frames may have been missed).
import { useEffect, useRef } from 'react';

const MIN_INTERVAL_MS = 1000;

export function useStreamNudges(url: string, eventTypes: readonly string[], onChange: () => void) {
  // The latest callback, without reopening the stream each render.
  const latest = useRef(onChange);
  latest.current = onChange;
  const types = eventTypes.join(',');
  useEffect(() => {
    let lastAt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      timer = undefined;
      lastAt = Date.now();
      latest.current();
    };
    const changed = () => {
      if (!timer) timer = setTimeout(run, Math.max(0, lastAt + MIN_INTERVAL_MS - Date.now()));
    };
    const source = new EventSource(url, { withCredentials: true });
    for (const type of types.split(',')) source.addEventListener(type, changed);
    source.addEventListener('open', changed);
    return () => {
      source.close();
      clearTimeout(timer);
    };
  }, [url, types]);
}
