// Starts the tracking commit thread (commit-thread.ts) and hands it batches: `commit` resolves with
// the thread's result or rejects with its error, exactly like an in-process commit. A batch goes as
// its spool lines joined into one string: copying one string costs this thread far less than
// structured-cloning hundreds of objects.
import type { Worker } from 'node:worker_threads';
import { moduleBeside, startModuleWorker } from '../shared/module-worker.ts';
import type { CommitResult } from './commit-hits.ts';
import type { CommitThreadData, FromCommitThread, ToCommitThread } from './commit-thread.ts';

export type CommitThread = {
  /** `lines`: the hits as spool lines (hitToJson), in order. */
  commit(lines: readonly string[]): Promise<CommitResult>;
  close(): Promise<void>;
};

const THREAD_URL = moduleBeside(import.meta.url, './commit-thread');

export async function startCommitThread(data: CommitThreadData): Promise<CommitThread> {
  const pending = new Map<number, { resolve(r: CommitResult): void; reject(err: Error): void }>();
  let seq = 0;
  let worker: Worker | undefined;
  let starting: Promise<Worker> | undefined;
  let closed = false;

  // Started again on the next batch after it died (a bug, out of memory): its batches failed, so
  // they are still in the spool and are retried like any failed commit.
  const spawn = (): Promise<Worker> => new Promise((resolve, reject) => {
    const w = startModuleWorker(THREAD_URL, { workerData: data, resourceLimits: { maxOldGenerationSizeMb: 128 } });
    w.unref();
    const onEnd = (why: string) => {
      if (worker === w) worker = undefined;
      starting = undefined;
      const lost = [...pending.values()];
      pending.clear();
      for (const p of lost) p.reject(new Error(`the tracking commit thread ended: ${why}`));
      reject(new Error(`the tracking commit thread did not start: ${why}`));
    };
    w.on('message', (m: FromCommitThread) => {
      if (m.op === 'ready') {
        worker = w;
        resolve(w);
      } else if (m.op === 'committed' || m.op === 'failed') {
        const p = pending.get(m.seq);
        pending.delete(m.seq);
        if (m.op === 'committed') p?.resolve(m.result);
        else p?.reject(new Error(m.message));
      }
    });
    w.on('error', (err) => onEnd(err.message));
    w.on('exit', (code) => onEnd(`exit code ${code}`));
  });

  const thread = async (): Promise<Worker> => worker ?? (starting ??= spawn());
  await thread();

  return {
    async commit(lines) {
      if (closed) throw new Error('the tracking commit thread is closed');
      const w = await thread();
      const id = ++seq;
      return new Promise<CommitResult>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.postMessage({ op: 'commit', seq: id, text: lines.join('\n') } satisfies ToCommitThread);
      });
    },
    async close() {
      closed = true;
      const w = worker;
      worker = undefined;
      if (!w) return;
      // Batches already sent finish first (the thread works in order), then its connections close.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5000);
        w.on('message', (m: FromCommitThread) => m.op === 'closed' && (clearTimeout(timer), resolve()));
        w.postMessage({ op: 'close' } satisfies ToCommitThread);
      });
      await w.terminate();
    },
  };
}
