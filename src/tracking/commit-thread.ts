// Body of the tracking commit thread (PostgreSQL only): classifies batches of spooled hits against
// their emails' histories and stores them, on its own connections, so the thread that answers the
// pixel and click requests only verifies, spools and responds (bench:track: classifying and
// storing cost that thread more than all of its HTTP work). PGlite cannot be reached from here:
// its database lives on the main thread, and so does its commit loop.
import { workerData } from 'node:worker_threads';
import { serveThreadRpc } from '../shared/serve-thread-rpc.ts';
import { openStore } from '../store/open-store.ts';
import { createClassifier, loadSignatures } from './classify/index.ts';
import { commitHits, type CommitResult } from './commit-hits.ts';
import { createHistoryCache } from './history-cache.ts';
import { hitFromJson, type RecordedHit } from './recorded-hit.ts';

export type CommitThreadData = { databaseUrl: string; signaturesDir?: string; historyTtlMs?: number };

const data = workerData as CommitThreadData;

// Loaded here, not passed in: a classifier is code, which no message can carry.
const classify = createClassifier({ signatures: loadSignatures(data.signaturesDir) });
const cache = createHistoryCache({ ttlMs: data.historyTtlMs });
// Two connections: a commit that timed out may still hold one while its retry runs.
const store = await openStore({ databaseUrl: data.databaseUrl, poolSize: 2, migrate: false });

/** A batch's spool lines joined by newlines: one string crosses threads far cheaper than hundreds of objects. */
serveThreadRpc<string, CommitResult>({
  // One batch at a time, in the order they were sent: each is classified against the histories the
  // previous ones left.
  inOrder: true,
  handle(text) {
    const hits = text.split('\n').map(hitFromJson).filter((h): h is RecordedHit => h !== undefined);
    return commitHits(store.db, classify, hits, cache);
  },
  close: () => store.close(),
});
