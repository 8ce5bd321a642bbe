// A Server-Sent Events response, as the live routes (events, stats, inbound) share it: the headers
// that keep proxies from buffering, a comment every 15 s so that they do not close an idle stream,
// and a limit on what a client that stops reading may leave unsent before it is cut off rather
// than let the server's memory grow.
import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';

export const SSE_KEEPALIVE_MS = 15_000;
/** Frames are small: a client this far behind does not read. */
export const SSE_MAX_UNSENT_BYTES = 1024 * 1024;

export type SseOptions = { greeting: string; keepaliveMs?: number; maxUnsentBytes?: number };

export type SseStream = {
  /** Writes a frame unless the stream has closed; cuts a client off that has too much unsent. */
  write(frame: string): void;
  /** Ends the stream (the client sees it close). */
  cutOff(): void;
  readonly closed: boolean;
  /** Runs `cleanup` when the stream closes, at once if it already has. */
  onClose(cleanup: () => void): void;
  /** For writers that page through a backlog and wait for 'drain'. */
  readonly res: ServerResponse;
};

/** Takes the response over from Fastify and starts the stream. */
export function openSse(reply: FastifyReply, options: SseOptions): SseStream {
  const maxUnsent = options.maxUnsentBytes ?? SSE_MAX_UNSENT_BYTES;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(`: ${options.greeting}\n\n`);
  let closed = false;
  const cleanups: Array<() => void> = [];
  const keepalive = setInterval(() => !closed && res.write(': keep-alive\n\n'), options.keepaliveMs ?? SSE_KEEPALIVE_MS);
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(keepalive);
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
  res.on('close', close);
  // A write racing the client's disconnect fails quietly; 'close' ends the stream.
  res.on('error', () => {});
  if (res.destroyed) close();
  return {
    write(frame) {
      if (closed) return;
      res.write(frame);
      if (res.writableLength > maxUnsent) res.destroy();
    },
    cutOff: () => res.destroy(),
    get closed() {
      return closed;
    },
    onClose(cleanup) {
      if (closed) cleanup();
      else cleanups.push(cleanup);
    },
    res,
  };
}
