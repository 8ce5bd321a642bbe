// The tracking role: the pixel, click and unsubscribe endpoints on the process's HTTP server, and
// the hit recorder behind them (its spool in SENDTRAIL_DATA_DIR, its commits on this thread or,
// on PostgreSQL, on a thread of their own).
import type { Config } from '../config/schema.ts';
import { startTrackingRecorder, trackingKeys, type Spooling } from '../tracking/index.ts';
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

export const trackingRole: Role = {
  name: 'tracking',
  async start({ config, store, secret, log }, parts) {
    const recorder = await startTrackingRecorder({
      ...spoolingOf(config, log),
      store,
      commitThreadDatabaseUrl: config.TRACKING_COMMIT_THREAD ? config.DATABASE_URL || undefined : undefined,
      signaturesDir: config.TRACKING_SIGNATURES_DIR || undefined,
    });
    parts.add('hit recorder', () => recorder.close());
    return {
      http: { tracking: { keys: trackingKeys(config.TRACKING_KEYS, secret), recorder, log } },
    };
  },
};
