// The tracking role's recorder on either store: the live classifier, group commits, the spool in
// the data dir. On PostgreSQL, classifying and storing hits runs in a thread of its own with its
// own connections; PGlite's database lives on the main thread, so its hits are committed there,
// in smaller batches.
import type { Store } from '../store/open-store.ts';
import { createClassifier, loadSignatures } from './classify/index.ts';
import { startCommitThread } from './commit-thread-client.ts';
import { startHitRecorder, type CommitBatch, type HitRecorder } from './hit-recorder.ts';
import { commitHits } from './commit-hits.ts';
import { createHistoryCache } from './history-cache.ts';

/** How hits are spooled and committed, whatever commits them. */
export type Spooling = {
  spoolDir: string;
  batchMs?: number;
  commitLingerMs?: number;
  commitTimeoutMs?: number;
  log?: { warn(obj: unknown, msg?: string): void };
};

export type TrackingRecorderOptions = Spooling & {
  store: Store;
  /** PostgreSQL only: the database the commit thread connects to; absent, hits commit on this thread. */
  commitThreadDatabaseUrl?: string;
  /** Extra scanner signature lists, beside the built-in ones. */
  signaturesDir?: string;
};

// Without the front thread, a commit on PGlite blocks the tracking requests meanwhile: smaller batches
// keep that wait short (bench:track on PGlite: p99 26 ms with 150, 36-42 ms with the default 500).
// With it, only the main thread's other work waits, and the default (cheaper per hit) applies.
const PGLITE_COMMIT_BATCH = 150;

/** What classifies and stores the spooled batches, wherever the spool itself lives. */
export type HitCommitter = { commit: CommitBatch; close(): Promise<void> };

export type HitCommitterOptions = Pick<TrackingRecorderOptions, 'store' | 'commitThreadDatabaseUrl' | 'signaturesDir'>;

/** On PostgreSQL with a commit thread, batches go there (as spool lines); else they commit on this thread. */
export async function startHitCommitter({ store, commitThreadDatabaseUrl, signaturesDir }: HitCommitterOptions): Promise<HitCommitter> {
  if (store.kind === 'postgres' && commitThreadDatabaseUrl) {
    const thread = await startCommitThread({ databaseUrl: commitThreadDatabaseUrl, signaturesDir });
    return { commit: ({ lines }) => thread.commit(lines), close: () => thread.close() };
  }
  const classify = createClassifier({ signatures: loadSignatures(signaturesDir) });
  // With one tracking process (always so on PGlite), no other process makes a cached history stale.
  const cache = createHistoryCache({ ttlMs: store.kind === 'pglite' ? Infinity : undefined });
  return { commit: ({ hits }) => commitHits(store.db, classify, hits, cache), close: async () => {} };
}

/** The largest batch one commit takes on this store. */
export const maxCommitBatchOf = (store: Store) => (store.kind === 'pglite' ? PGLITE_COMMIT_BATCH : undefined);

export async function startTrackingRecorder(options: TrackingRecorderOptions): Promise<HitRecorder> {
  const { store, commitThreadDatabaseUrl, signaturesDir, ...spooling } = options;
  const committer = await startHitCommitter({ store, commitThreadDatabaseUrl, signaturesDir });
  const recorder = await startHitRecorder({ ...spooling, commit: committer.commit, maxCommitBatch: maxCommitBatchOf(store) }).catch(async (err: unknown) => {
    await committer.close();
    throw err;
  });
  return { ...recorder, close: () => recorder.close().finally(() => committer.close()) };
}
