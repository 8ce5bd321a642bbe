// Durable, group-committed recording of tracking hits (DESIGN.md section 4): hits wait a few ms
// and are committed in one transaction per batch; when the database fails or is too slow they are
// fsync'd to the disk spool, and replayed from it in order once the database answers again.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import type { ClassifyHit } from './hit.ts';
import type { RecordedHit } from './recorded-hit.ts';
import { commitHits } from './commit-hits.ts';
import { openHitSpool } from './hit-spool.ts';
import { createHistoryCache } from './history-cache.ts';

export type HitRecorderOptions = {
  db: Kysely<Database>;
  classify: ClassifyHit;
  /** Where the spool file lives (the data dir): local disk that outlives the process. */
  spoolDir: string;
  batchMs?: number;
  maxBatch?: number;
  /** A commit slower than this counts as a failure: the batch is spooled instead. */
  commitTimeoutMs?: number;
  /** How long to wait before retrying the database after a failure. */
  retryMs?: number;
  log?: { warn(obj: unknown, msg?: string): void };
};

export type HitRecorder = {
  /** Resolves once the hit is committed or spooled: an acknowledged hit is never lost. */
  record(hit: RecordedHit): Promise<void>;
  /** True while hits wait in the spool for the database. */
  isSpooling(): boolean;
  /** Commits or spools everything pending; the spool stays for the next start. */
  close(): Promise<void>;
};

type Pending = { hit: RecordedHit; resolve: () => void; reject: (err: unknown) => void };

export async function startHitRecorder(options: HitRecorderOptions): Promise<HitRecorder> {
  const batchMs = options.batchMs ?? 2;
  const maxBatch = options.maxBatch ?? 1000;
  const timeoutMs = options.commitTimeoutMs ?? 2000;
  const retryMs = options.retryMs ?? 1000;
  const spool = await openHitSpool(options.spoolDir);
  let pending: Pending[] = [];
  let busy: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let retryAt = 0;
  let closed = false;

  const cache = createHistoryCache();
  const commit = (hits: readonly RecordedHit[]) => withTimeout(commitHits(options.db, options.classify, hits, cache), timeoutMs);

  function schedule(): void {
    if (busy || timer) return;
    if (pending.length >= maxBatch) return void (busy = run());
    if (pending.length > 0) return void (timer = setTimeout(startRun, batchMs));
    if (spool.hasPending() && !closed) timer = setTimeout(startRun, Math.max(0, retryAt - Date.now()));
  }

  function startRun(): void {
    timer = undefined;
    if (!busy) busy = run();
  }

  async function run(): Promise<void> {
    try {
      const batch = pending.splice(0, maxBatch);
      if (batch.length > 0) await flush(batch);
      if (spool.hasPending() && Date.now() >= retryAt && !closed) await drainStep();
    } finally {
      busy = undefined;
      schedule();
    }
  }

  async function flush(batch: Pending[]): Promise<void> {
    const hits = batch.map((p) => p.hit);
    // While the spool holds hits, new ones queue behind them: replay keeps the order they came in.
    if (!spool.hasPending()) {
      try {
        await commit(hits);
        for (const p of batch) p.resolve();
        return;
      } catch (err) {
        options.log?.warn({ err }, 'tracking hits could not be committed; spooling them to disk');
        retryAt = Date.now() + retryMs;
      }
    }
    try {
      await spool.append(hits);
      for (const p of batch) p.resolve();
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  async function drainStep(): Promise<void> {
    const { hits, bytes } = await spool.readNext(maxBatch);
    try {
      if (hits.length > 0) await commit(hits);
      await spool.consume(bytes);
    } catch (err) {
      options.log?.warn({ err }, 'replaying the tracking spool failed; retrying');
      retryAt = Date.now() + retryMs;
    }
  }

  schedule();
  return {
    record(hit) {
      if (closed) return Promise.reject(new Error('the hit recorder is closed'));
      return new Promise<void>((resolve, reject) => {
        pending.push({ hit, resolve, reject });
        schedule();
      });
    },
    isSpooling: () => spool.hasPending(),
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      while (busy || pending.length > 0) {
        if (busy) await busy;
        else busy = run();
      }
      await spool.close();
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${ms} ms`)), ms);
  });
  // The slow commit may still land later: its hits are also spooled, and replay skips them by hit id.
  promise.catch(() => {});
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
