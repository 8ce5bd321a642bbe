// Body of the tracking commit thread (PostgreSQL only): classifies batches of spooled hits against
// their emails' histories and stores them, on its own connections, so the thread that answers the
// pixel and click requests only verifies, spools and responds (bench:track: classifying and
// storing cost that thread more than all of its HTTP work). PGlite cannot be reached from here:
// its database lives on the main thread, and so does its commit loop.
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/open-store.ts';
import { createClassifier, loadSignatures } from './classify/index.ts';
import { commitHits, type CommitResult } from './commit-hits.ts';
import { createHistoryCache } from './history-cache.ts';
import { hitFromJson, type RecordedHit } from './recorded-hit.ts';

export type CommitThreadData = { databaseUrl: string; signaturesDir?: string; historyTtlMs?: number };
/** `text`: a batch's spool lines joined by newlines (see commit-thread-client.ts). */
export type ToCommitThread = { op: 'commit'; seq: number; text: string } | { op: 'close' };
export type FromCommitThread =
  | { op: 'ready' }
  | { op: 'committed'; seq: number; result: CommitResult }
  | { op: 'failed'; seq: number; message: string }
  | { op: 'closed' };

const port = parentPort;
if (!port) throw new Error('commit-thread.ts runs as a worker thread (see commit-thread-client.ts)');
const data = workerData as CommitThreadData;

// Loaded here, not passed in: a classifier is code, which no message can carry.
const classify = createClassifier({ signatures: loadSignatures(data.signaturesDir) });
const cache = createHistoryCache({ ttlMs: data.historyTtlMs });
// Two connections: a commit that timed out may still hold one while its retry runs.
const store = await openStore({ databaseUrl: data.databaseUrl, poolSize: 2, migrate: false });
// One batch at a time, in the order they were sent: each is classified against the histories the
// previous ones left.
let queue = Promise.resolve();

port.on('message', (message: ToCommitThread) => {
  if (message.op === 'close') {
    queue = queue.then(async () => {
      await store.close();
      port.postMessage({ op: 'closed' } satisfies FromCommitThread);
    });
    return;
  }
  const { seq, text } = message;
  const hits = text.split('\n').map(hitFromJson).filter((h): h is RecordedHit => h !== undefined);
  queue = queue.then(() =>
    commitHits(store.db, classify, hits, cache).then(
      (result) => port.postMessage({ op: 'committed', seq, result } satisfies FromCommitThread),
      (err: unknown) => port.postMessage({ op: 'failed', seq, message: err instanceof Error ? err.message : String(err) } satisfies FromCommitThread),
    ));
});
port.postMessage({ op: 'ready' } satisfies FromCommitThread);
