// Starts the tracking front thread (front-thread.ts) and serves it from the main thread: the
// batches it spooled are committed here (by the store's committer), and the hits the main thread's
// own server takes are handed to it to spool. The thread opens the spool at once (its lock admits
// one process), and the public port when listen() is called, once the main server is ready behind it.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Worker } from 'node:worker_threads';
import { moduleBeside, startModuleWorker } from '../../shared/module-worker.ts';
import { hitFromJson, hitToJson, type CommitBatch, type HitRecorder, type RecordedHit } from '../../tracking/index.ts';
import { assumeAddress, readProxyLine } from './proxy-line.ts';
import type { FrontData, FromFront, ToFront } from './front-protocol.ts';

export type TrackingFront = {
  /** For the main thread's own tracking handler: the hit is spooled by the thread. */
  recorder: Pick<HitRecorder, 'record'>;
  /** Opens the public port; the rest of the traffic goes on to `backend`, where the main server listens. Resolves with the port. */
  listen(options: { host: string; port: number; backend: string; trustProxy: string[] }): Promise<number>;
  /** Stops accepting, answers what is in flight, commits what the database takes now, and ends the thread. */
  close(): Promise<void>;
};

export type TrackingFrontOptions = {
  data: FrontData;
  /** Classifies and stores one spooled batch (see startHitCommitter). */
  commit: CommitBatch;
  log?: { warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };
};

// A thread holds little: a spool's memory tail and the sockets in flight.
const THREAD_HEAP_MB = 96;
const CLOSE_TIMEOUT_MS = 10_000;

export async function startTrackingFront(options: TrackingFrontOptions): Promise<TrackingFront> {
  const worker: Worker = startModuleWorker(moduleBeside(import.meta.url, './front-thread'), {
    workerData: options.data,
    resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB },
  });
  const send = (message: ToFront) => worker.postMessage(message);
  const waiting = new Map<string, (message: FromFront) => void>();
  const recorded = new Map<number, { resolve(): void; reject(err: Error): void }>();
  let nextRecord = 0;
  let closed = false;
  let ended: Error | undefined;

  // Once at a time, in order: the thread sends the next batch only when this one is answered.
  const commit = async (id: number, text: string) => {
    const lines = text.split('\n');
    let hits: RecordedHit[] | undefined;
    const batch = {
      lines,
      // Parsed only when this thread classifies them (not when a commit thread is handed the lines).
      get hits() {
        return (hits ??= lines.map(hitFromJson).filter((h): h is RecordedHit => h !== undefined));
      },
    };
    try {
      await options.commit(batch);
      send({ op: 'committed', id });
    } catch (err) {
      send({ op: 'committed', id, error: err instanceof Error ? err.message : String(err) });
    }
  };

  worker.on('message', (message: FromFront) => {
    switch (message.op) {
      case 'commit':
        void commit(message.id, message.text);
        return;
      case 'recorded': {
        const r = recorded.get(message.id);
        recorded.delete(message.id);
        if (message.error === undefined) r?.resolve();
        else r?.reject(new Error(message.error));
        return;
      }
      case 'warn':
        options.log?.warn({ thread: 'tracking front' }, message.message);
        return;
      default:
        waiting.get(message.op)?.(message);
    }
  });
  const ending = new Promise<void>((resolve) => {
    const end = (why: string) => {
      ended ??= new Error(`the tracking front thread ended: ${why}`);
      for (const r of recorded.values()) r.reject(ended);
      recorded.clear();
      // A thread that dies while serving (a bug, out of memory) takes the public port with it.
      if (!closed) options.log?.error({ err: ended }, 'the tracking front thread ended: the HTTP port is closed until the process restarts');
      for (const w of waiting.values()) w({ op: 'failed', message: ended.message });
      resolve();
    };
    worker.on('error', (err) => end(err.message));
    worker.on('exit', (code) => end(`exit code ${code}`));
  });
  const next = (ops: Array<FromFront['op']>) => new Promise<FromFront>((resolve) => {
    const done = (m: FromFront) => {
      for (const op of ops) waiting.delete(op);
      resolve(m);
    };
    for (const op of ops) waiting.set(op, done);
  });

  const started = await next(['ready', 'failed']);
  if (started.op === 'failed') {
    closed = true;
    await worker.terminate();
    throw new Error(started.message);
  }

  return {
    recorder: {
      record(hit) {
        if (ended || closed) return Promise.reject(ended ?? new Error('the tracking front thread is closed'));
        return new Promise<void>((resolve, reject) => {
          const id = nextRecord++;
          recorded.set(id, { resolve, reject });
          send({ op: 'record', id, line: hitToJson(hit) });
        });
      },
    },
    async listen(settings) {
      const answer = next(['listening', 'failed']);
      send({ op: 'listen', ...settings });
      const m = await answer;
      if (m.op !== 'listening') throw new Error(m.op === 'failed' ? m.message : 'the tracking front thread did not listen');
      return m.port;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (!ended) {
        const done = next(['closed', 'failed']);
        send({ op: 'close' });
        await Promise.race([done, ending, new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref())]);
      }
      await worker.terminate();
    },
  };
}

/**
 * Makes `server` (listening on the Unix socket the front thread forwards to) read each
 * connection's PROXY line first, so that its requests carry the client's address.
 */
export function acceptFromFront(server: Server): void {
  const listeners = server.listeners('connection') as Array<(socket: Socket) => void>;
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    readProxyLine(socket, (address) => {
      assumeAddress(socket, address);
      for (const listener of listeners) listener.call(server, socket);
      socket.resume();
    });
  });
}
