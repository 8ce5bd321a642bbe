// Durable, group-committed recording of tracking hits. Each batch of hits is
// appended to the disk spool and fsync'd before any of their responses goes out (hits arriving
// meanwhile form the next batch): a write-ahead log, so no response waits on the database, up or
// down. A second loop commits the spool to the database in order, in batches,
// classifying each hit; while the database is down the spool grows, and it is committed once the
// database answers again, or at the next start.
import { mkdir } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import type { ClassifyHit } from './hit.ts';
import type { RecordedHit } from './recorded-hit.ts';
import { commitHits } from './commit-hits.ts';
import { openHitSpool, type SpoolBatch } from './hit-spool.ts';
import { createHistoryCache } from './history-cache.ts';
import { lockDirectory } from '../shared/dir-lock.ts';

/**
 * Classifies and stores one batch of hits, in one transaction: in this thread (from `hits`) or in
 * the commit thread (handed `lines`, the spool's JSON text: one string copies faster than objects clone).
 */
export type CommitBatch = (batch: Pick<SpoolBatch, 'hits' | 'lines'>) => Promise<unknown>;

export type HitRecorderOptions = (
  | {
    db: Kysely<Database>;
    classify: ClassifyHit;
    /**
     * How long a cached email history is trusted. Only other processes' hits make it stale: with
     * one tracking process (always so on PGlite) it can be Infinity.
     */
    historyTtlMs?: number;
  }
  /** Commits elsewhere (the commit thread, see commit-thread-client.ts). */
  | { commit: CommitBatch }
) & {
  /** Where the spool lives (the data dir): local disk that outlives the process. One recorder at a time may use it (a lock file). */
  spoolDir: string;
  /** Extra wait before an idle recorder writes, to gather a bigger batch; 0 (default): none. */
  batchMs?: number;
  /** How long hits gather in the spool before a commit that would not fill a batch; 0: none. */
  commitLingerMs?: number;
  /** Most hits committed in one transaction (PGlite blocks the event loop for the whole of it). */
  maxCommitBatch?: number;
  /** A commit slower than this counts as failed and is retried (the database is unreachable). */
  commitTimeoutMs?: number;
  /** How long to wait before retrying the database after a failure. */
  retryMs?: number;
  log?: { warn(obj: unknown, msg?: string): void };
};

export type HitRecorder = {
  /** Resolves once the hit is in the fsync'd spool: an acknowledged hit is never lost. */
  record(hit: RecordedHit): Promise<void>;
  /** True while acknowledged hits wait for the database. */
  isSpooling(): boolean;
  /** Resolves once every hit recorded so far is committed (never while the database is down). */
  settled(): Promise<void>;
  /** Writes what is pending and commits what the database takes now; the rest waits for the next start. */
  close(): Promise<void>;
};

type Pending = { hit: RecordedHit; resolve: () => void; reject: (err: unknown) => void };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Batches fsync'd at once. With two, a batch that forms while another syncs starts its own
// fdatasync instead of waiting for that one to end: two overlapping syncs of one file complete
// 1.2-1.7 times as many batches a second as one at a time (`npm run bench:spool-fsync`); each
// more costs CPU and pool threads for little.
const MAX_SYNCS = 2;

export async function startHitRecorder(options: HitRecorderOptions): Promise<HitRecorder> {
  const batchMs = options.batchMs ?? 0;
  const maxCommit = options.maxCommitBatch ?? 500;
  const timeoutMs = options.commitTimeoutMs ?? 2000;
  const retryMs = options.retryMs ?? 1000;
  const lingerMs = options.commitLingerMs ?? 0;
  // One process per spool: two would number segments alike, share the spare segment and delete
  // each other's segments, writing acknowledged hits over one another or into deleted files.
  await mkdir(options.spoolDir, { recursive: true });
  const unlock = await lockDirectory(
    options.spoolDir,
    'tracking-spool',
    `The tracking spool in ${options.spoolDir} is in use by another Sendtrail process: ` +
      'each process with the tracking role needs a data directory of its own (SENDTRAIL_DATA_DIR).',
  );
  const spool = await openHitSpool(options.spoolDir).catch(async (err: unknown) => {
    await unlock();
    throw err;
  });
  const commit = 'commit' in options ? options.commit : inThisThread(options.db, options.classify, options.historyTtlMs);
  const pending: Pending[] = [];
  const writing = new Set<Promise<void>>();
  let writeTimer: { cancel(): void } | undefined;
  let committing: Promise<void> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;

  // Group commit: the hits of one turn of the event loop (or of batchMs) are written together and
  // fsync'd while the next turn's gather; up to MAX_SYNCS batches sync at once (see hit-spool.ts).
  function scheduleWrite(): void {
    if (writeTimer || pending.length === 0 || writing.size >= MAX_SYNCS) return;
    const run = () => {
      writeTimer = undefined;
      const done = write().finally(() => {
        writing.delete(done);
        scheduleWrite();
      });
      writing.add(done);
    };
    if (batchMs > 0) {
      const t = setTimeout(run, batchMs);
      writeTimer = { cancel: () => clearTimeout(t) };
    } else {
      const i = setImmediate(run);
      writeTimer = { cancel: () => clearImmediate(i) };
    }
  }

  async function write(): Promise<void> {
    const batch = pending.splice(0, pending.length);
    const appended = spool.append(batch.map((p) => p.hit));
    // Written already (only its fsync runs): the commit loop may take these hits now.
    startCommitting();
    try {
      await appended;
      for (const p of batch) p.resolve();
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  function startCommitting(): void {
    if (committing || retryTimer || !spool.hasPending()) return;
    committing = commitLoop().finally(() => (committing = undefined));
  }

  async function commitLoop(): Promise<void> {
    let full = false;
    while (spool.hasPending()) {
      // Unless the last batch was full (more are waiting), let hits gather first: per batch the
      // database pays a transaction and a WAL flush, which with small batches under load cost more
      // than the rows (and its flushes slow the spool's own, on the same disk).
      if (!full && lingerMs > 0 && !closed) await sleep(lingerMs);
      const batch = await spool.readNext(maxCommit);
      full = batch.hits.length >= maxCommit;
      try {
        if (batch.hits.length > 0) await withTimeout(commit(batch), timeoutMs);
        await spool.consume(batch.bytes);
        // PGlite runs queries on this thread: let waiting requests in between two commits.
        await new Promise((resolve) => setImmediate(resolve));
      } catch (err) {
        options.log?.warn({ err }, 'tracking hits could not be committed; they wait in the spool');
        if (!closed) retryTimer = setTimeout(() => ((retryTimer = undefined), startCommitting()), retryMs);
        return;
      }
    }
  }

  // close() runs this once, however often it is called (the lock is released once).
  async function closeOnce(): Promise<void> {
    closed = true;
    writeTimer?.cancel();
    writeTimer = undefined;
    await Promise.all([...writing]);
    if (pending.length > 0) await write();
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = undefined;
    // One pass: commits what the database takes now; on failure the rest waits for the next start.
    await committing;
    startCommitting();
    await committing;
    await spool.close();
    await unlock();
  }

  startCommitting();
  return {
    record(hit) {
      if (closed) return Promise.reject(new Error('the hit recorder is closed'));
      return new Promise<void>((resolve, reject) => {
        pending.push({ hit, resolve, reject });
        scheduleWrite();
      });
    },
    isSpooling: () => spool.hasPending() || pending.length > 0,
    async settled() {
      while (pending.length > 0 || writing.size > 0 || writeTimer || spool.hasPending() || committing) {
        await (committing ?? [...writing][0] ?? sleep(5));
      }
    },
    close() {
      closing ??= closeOnce();
      return closing;
    },
  };
}

function inThisThread(db: Kysely<Database>, classify: ClassifyHit, historyTtlMs?: number): CommitBatch {
  const cache = createHistoryCache({ ttlMs: historyTtlMs });
  return ({ hits }) => commitHits(db, classify, hits, cache);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${ms} ms`)), ms);
  });
  // The slow commit may still land later; the retry skips its hits by hit id.
  promise.catch(() => {});
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
