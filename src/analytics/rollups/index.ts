// The rollups of the event log: folded by the scheduler role, exactly once, behind a cursor.
export { rollUpBatch, STATS_CURSOR, type RollupDeps } from './roll-up.ts';
export { catchUpRollups } from './catch-up.ts';
export { startRollups } from './start-rollups.ts';
export { createEmailLogCache, type EmailLogCache } from './email-log-cache.ts';
export { NO_CAMPAIGN, ALL_TAGS, domainOf } from './fold-batch.ts';
export { STATS_HOURLY_COUNTERS } from './write-deltas.repository.ts';
