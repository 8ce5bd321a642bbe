// The tracking role's recorder on either store: the live classifier, group commits, the spool in
// the data dir. On PostgreSQL, classifying and storing hits runs in a thread of its own with its
// own connections; PGlite's database lives on the main thread, so its hits are committed there,
// in smaller batches.
import type { Store } from '../store/open-store.ts';
import { createClassifier, loadSignatures } from './classify/index.ts';
import { startCommitThread } from './commit-thread-client.ts';
import { startHitRecorder, type HitRecorder } from './hit-recorder.ts';

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

// A commit on PGlite blocks the requests meanwhile: smaller batches keep that wait short (bench:track
// on PGlite: p99 26 ms with 150, 36-42 ms with the default 500).
const PGLITE_COMMIT_BATCH = 150;

export async function startTrackingRecorder(options: TrackingRecorderOptions): Promise<HitRecorder> {
  const { store, commitThreadDatabaseUrl, signaturesDir, ...spooling } = options;
  if (store.kind === 'postgres' && commitThreadDatabaseUrl) {
    const thread = await startCommitThread({ databaseUrl: commitThreadDatabaseUrl, signaturesDir });
    const recorder = await startHitRecorder({ ...spooling, commit: ({ lines }) => thread.commit(lines) }).catch(async (err: unknown) => {
      await thread.close();
      throw err;
    });
    return { ...recorder, close: () => recorder.close().finally(() => thread.close()) };
  }
  const pglite = store.kind === 'pglite';
  return startHitRecorder({
    ...spooling,
    db: store.db,
    classify: createClassifier({ signatures: loadSignatures(signaturesDir) }),
    // With one tracking process (always so on PGlite), no other process makes a cached history stale.
    historyTtlMs: pglite ? Infinity : undefined,
    maxCommitBatch: pglite ? PGLITE_COMMIT_BATCH : undefined,
  });
}
