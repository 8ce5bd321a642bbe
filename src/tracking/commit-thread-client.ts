// Starts the tracking commit thread (commit-thread.ts) and hands it batches through the shared
// thread RPC: `commit` resolves with the thread's result or rejects with its error, exactly like an
// in-process commit. A batch goes as its spool lines joined into one string: copying one string
// costs this thread far less than structured-cloning hundreds of objects.
import { moduleBeside } from '../shared/module-worker.ts';
import { startThreadRpc } from '../shared/thread-rpc.ts';
import type { CommitResult } from './commit-hits.ts';
import type { CommitThreadData } from './commit-thread.ts';

export type CommitThread = {
  /** `lines`: the hits as spool lines (hitToJson), in order. */
  commit(lines: readonly string[]): Promise<CommitResult>;
  close(): Promise<void>;
};

export async function startCommitThread(data: CommitThreadData): Promise<CommitThread> {
  // A thread that died (a bug, out of memory) failed its batches, which are still in the spool and
  // are retried like any failed commit, on a thread started afresh.
  const rpc = startThreadRpc<string, CommitResult>({
    name: 'the tracking commit thread',
    module: moduleBeside(import.meta.url, './commit-thread'),
    workerData: data,
    resourceLimits: { maxOldGenerationSizeMb: 128 },
    // Batches already sent finish first (the thread works in order), then its connections close.
    closeTimeoutMs: 5000,
  });
  await rpc.ready();
  return {
    commit: (lines) => rpc.call(lines.join('\n')),
    close: () => rpc.close(),
  };
}
