// The tracking role: the pixel, click and unsubscribe endpoints on the process's HTTP server, and
// the hit recorder behind them (its spool in SENDTRAIL_DATA_DIR). With the front thread
// (TRACKING_FRONT_THREAD; by default on PGlite), pixel and click requests are answered, and their
// hits spooled, in a thread that owns the HTTP port, and committed from this thread; else both
// happen here. Commits run on this thread or, on PostgreSQL, on a commit thread of their own.
import type { Config } from '../config/schema.ts';
import { startTrackingFront } from '../http/tracking-front/start-tracking-front.ts';
import { startHitCommitter, startTrackingRecorder, trackingKeys, type Spooling } from '../tracking/index.ts';
import type { Role } from './role.ts';

/** The recorder's spool and commit timing from the configuration, whatever commits its batches. */
export function spoolingOf(config: Config, log?: Spooling['log']): Spooling {
  return {
    spoolDir: config.SENDTRAIL_DATA_DIR,
    batchMs: config.TRACKING_BATCH_MS,
    commitLingerMs: config.TRACKING_COMMIT_LINGER_MS,
    commitTimeoutMs: config.TRACKING_COMMIT_TIMEOUT_MS,
    log,
  };
}

/** `auto`: on PGlite only, whose database holds the main thread for a whole commit. */
export function frontThreadOn(config: Config, storeKind: 'pglite' | 'postgres'): boolean {
  return config.TRACKING_FRONT_THREAD === 'auto' ? storeKind === 'pglite' : config.TRACKING_FRONT_THREAD === 'true';
}

export const trackingRole: Role = {
  name: 'tracking',
  async start({ config, store, secret, log }, parts) {
    const keys = trackingKeys(config.TRACKING_KEYS, secret);
    const committing = {
      store,
      commitThreadDatabaseUrl: config.TRACKING_COMMIT_THREAD ? config.DATABASE_URL || undefined : undefined,
      signaturesDir: config.TRACKING_SIGNATURES_DIR || undefined,
    };
    if (!frontThreadOn(config, store.kind)) {
      const recorder = await startTrackingRecorder({ ...spoolingOf(config, log), ...committing });
      parts.add('hit recorder', () => recorder.close());
      return { http: { tracking: { keys, recorder, log } } };
    }
    const committer = await startHitCommitter(committing);
    parts.add('hit committer', () => committer.close());
    const { log: _, ...spooling } = spoolingOf(config);
    const front = await startTrackingFront({ data: { keys, spooling }, commit: committer.commit, log });
    parts.add('tracking front thread', () => front.close());
    return { http: { tracking: { keys, recorder: front.recorder, log, front } } };
  },
};
