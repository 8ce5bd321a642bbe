// The thread side of thread-rpc.ts: answers each call with its handler's result or error, replies
// batched into one message per turn of the event loop, and closes on request once every call it
// was given has been answered.
import { parentPort } from 'node:worker_threads';
import type { FromThread, Reply, ToThread } from './thread-rpc-protocol.ts';

export type ThreadService<Req, Res> = {
  handle(request: Req): Promise<Res>;
  /** Releases what the thread holds (sessions, connections) before it is terminated. */
  close?(): Promise<void>;
  /** One call at a time, in the order they were sent (default: all at once). */
  inOrder?: boolean;
};

/** Serves calls on this thread's parent port, then tells the client it is ready. */
export function serveThreadRpc<Req, Res>(service: ThreadService<Req, Res>): void {
  const port = parentPort;
  if (!port) throw new Error('this module runs as a worker thread (see shared/thread-rpc.ts)');
  let replies: Array<Reply<Res>> = [];
  let inOrder = Promise.resolve();
  const unanswered = new Set<Promise<void>>();

  const reply = (r: Reply<Res>) => {
    replies.push(r);
    if (replies.length > 1) return;
    setImmediate(() => {
      const batch = replies;
      replies = [];
      port.postMessage({ op: 'replies', replies: batch } satisfies FromThread<Res>);
    });
  };

  const answer = (seq: number, request: Req) =>
    service.handle(request).then(
      (value) => reply([seq, true, value]),
      (err: unknown) => reply([seq, false, err instanceof Error ? err.message : String(err)]),
    );

  port.on('message', (message: ToThread<Req>) => {
    if (message.op === 'close') {
      void Promise.all([inOrder, ...unanswered]).then(async () => {
        await service.close?.();
        port.postMessage({ op: 'closed' } satisfies FromThread<Res>);
      });
      return;
    }
    for (const [seq, request] of message.calls) {
      if (service.inOrder) {
        inOrder = inOrder.then(() => answer(seq, request));
        continue;
      }
      const p = answer(seq, request);
      unanswered.add(p);
      void p.finally(() => unanswered.delete(p));
    }
  });
  port.postMessage({ op: 'ready' } satisfies FromThread<Res>);
}
