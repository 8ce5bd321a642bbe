// A Server-Sent Events client for tests: reads frames from a real HTTP stream, as a browser's
// EventSource or a script would.
export type SseFrame = { id?: string; event?: string; data?: string; comment?: string };

export type SseStream = {
  status: number;
  /** Resolves with the next `count` event frames (comments skipped), or rejects after `timeoutMs`. */
  events(count: number, timeoutMs?: number): Promise<SseFrame[]>;
  /** Events that arrive within `ms` (for asserting that nothing more comes). */
  eventsWithin(ms: number): Promise<SseFrame[]>;
  comments(): string[];
  /** Resolves when the server ends the stream. */
  ended(): Promise<void>;
  close(): void;
};

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const frames: SseFrame[] = [];
  const comments: string[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  let endedResolve!: () => void;
  const ended = new Promise<void>((resolve) => (endedResolve = resolve));

  const pump = async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const frame: SseFrame = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else {
              const i = line.indexOf(':');
              const field = line.slice(0, i) as 'id' | 'event' | 'data';
              frame[field] = line.slice(i + 1).replace(/^ /, '');
            }
          }
          if (frame.event || frame.data) frames.push(frame);
          wake?.();
        }
      }
    } catch {
      // aborted
    } finally {
      done = true;
      wake?.();
      endedResolve();
    }
  };
  void pump();

  const waitFor = async (check: () => boolean, timeoutMs: number) => {
    const until = Date.now() + timeoutMs;
    while (!check()) {
      if (done || Date.now() > until) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 50);
      });
    }
  };

  return {
    status: res.status,
    async events(count, timeoutMs = 10_000) {
      await waitFor(() => frames.length >= count, timeoutMs);
      if (frames.length < count) throw new Error(`expected ${count} events, got ${frames.length}: ${JSON.stringify(frames)}`);
      return frames.splice(0, count);
    },
    async eventsWithin(ms) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return frames.splice(0);
    },
    comments: () => comments,
    ended: () => ended,
    close: () => abort.abort(),
  };
}
