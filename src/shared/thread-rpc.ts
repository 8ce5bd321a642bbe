// Calls into a worker thread running one of our modules (its body serves them with
// serveThreadRpc): requests batched into one message per turn of the event loop, answers matched
// back by sequence number, a thread that dies failing its pending calls and restarted by the next
// call, and a close that lets the thread finish its work before it goes. The SMTP sending thread
// and the tracking commit thread are both reached this way.
import type { ResourceLimits, Worker } from 'node:worker_threads';
import { startModuleWorker } from './module-worker.ts';
import type { FromThread, ToThread } from './thread-rpc-protocol.ts';

export type ThreadRpc<Req, Res> = {
  /** Resolves with the thread's answer; rejects with its error, or when the thread ends first. */
  call(request: Req): Promise<Res>;
  /** A request every thread gets before any call (state the thread keeps, e.g. a pool to open), now and after each restart. */
  setup(request: Req): void;
  /** Resolves once the current thread (started if none runs) has finished loading and said so. */
  ready(): Promise<void>;
  /** Whether a thread runs now (for figures such as its heap). */
  isRunning(): boolean;
  close(): Promise<void>;
};

export type ThreadRpcOptions = {
  /** Names the thread in errors: "the SMTP thread". */
  name: string;
  module: URL;
  workerData?: unknown;
  resourceLimits?: ResourceLimits;
  /** How long close() waits for the thread's own close before terminating it. */
  closeTimeoutMs: number;
};

type Pending<Res> = { resolve(value: Res): void; reject(err: Error): void };

export function startThreadRpc<Req, Res>(options: ThreadRpcOptions): ThreadRpc<Req, Res> {
  const pending = new Map<number, Pending<Res>>();
  const setups: Req[] = [];
  let outbox: Array<[number, Req]> = [];
  let seq = 0;
  let current: { worker: Worker; ready: Promise<void> } | undefined;
  let closed = false;

  // Started at once, not at the first call: loading a thread's modules takes about half a second.
  const spawn = () => {
    const worker = startModuleWorker(options.module, { workerData: options.workerData, resourceLimits: options.resourceLimits });
    worker.unref();
    let markReady!: () => void;
    let failReady!: (err: Error) => void;
    const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (failReady = reject)));
    ready.catch(() => {}); // reported to whoever awaits ready() or calls
    const thread = { worker, ready };
    worker.on('message', (message: FromThread<Res>) => {
      if (message.op === 'ready') markReady();
      else if (message.op === 'replies') {
        for (const [id, ok, value] of message.replies) {
          const p = pending.get(id);
          pending.delete(id);
          if (ok) p?.resolve(value as Res);
          else p?.reject(new Error(value as string));
        }
      }
    });
    // A thread that dies (a bug, out of memory) fails what it had not answered; the next call starts a fresh one.
    const onEnd = (why: string) => {
      if (current !== thread) return;
      current = undefined;
      const err = new Error(`${options.name} ended: ${why}`);
      failReady(err);
      const lost = [...pending.values()];
      pending.clear();
      for (const p of lost) p.reject(err);
    };
    worker.on('error', (err) => onEnd(err.message));
    worker.on('exit', (code) => onEnd(`exit code ${code}`));
    if (setups.length > 0) worker.postMessage({ op: 'calls', calls: setups.map((r) => [seq++, r]) } satisfies ToThread<Req>);
    return thread;
  };
  const thread = () => (current ??= spawn());

  try {
    thread();
  } catch {
    // Reported by the first call or ready(), which try again.
  }

  const flush = () => {
    const calls = outbox;
    outbox = [];
    if (calls.length === 0) return;
    try {
      thread().worker.postMessage({ op: 'calls', calls } satisfies ToThread<Req>);
    } catch (err) {
      for (const [id] of calls) {
        pending.get(id)?.reject(new Error(`${options.name} did not start: ${(err as Error).message}`));
        pending.delete(id);
      }
    }
  };

  return {
    call(request) {
      if (closed) return Promise.reject(new Error(`${options.name} is closed`));
      return new Promise<Res>((resolve, reject) => {
        const id = seq++;
        pending.set(id, { resolve, reject });
        // One message per turn of the event loop: a postMessage per call costs more than most calls.
        if (outbox.length === 0) setImmediate(flush);
        outbox.push([id, request]);
      });
    },
    setup(request) {
      setups.push(request);
      current?.worker.postMessage({ op: 'calls', calls: [[seq++, request]] } satisfies ToThread<Req>);
    },
    async ready() {
      if (closed) throw new Error(`${options.name} is closed`);
      let started;
      try {
        started = thread();
      } catch (err) {
        throw new Error(`${options.name} did not start: ${(err as Error).message}`);
      }
      await started.ready;
    },
    isRunning: () => current !== undefined,
    async close() {
      closed = true;
      flush();
      const running = current;
      current = undefined;
      if (!running) return;
      // The thread finishes what it was given, then closes what it holds (sessions, connections).
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.closeTimeoutMs);
        running.worker.on('message', (m: FromThread<Res>) => m.op === 'closed' && (clearTimeout(timer), resolve()));
        running.worker.on('exit', () => (clearTimeout(timer), resolve()));
        running.worker.postMessage({ op: 'close' } satisfies ToThread<Req>);
      });
      await running.worker.terminate();
      const lost = [...pending.values()];
      pending.clear();
      for (const p of lost) p.reject(new Error(`${options.name} is closed`));
    },
  };
}
