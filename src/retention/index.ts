// Retention (issue 21, part 4): per project, how long bodies, events and raw inbound mail are kept,
// and the task that removes what is past its time.
export { DEFAULT_RETENTION, MIN_RETENTION_DAYS, MAX_RETENTION_DAYS, checkRetention, readRetention, saveRetention, type Retention } from './retention-settings.ts';
export { runRetention, firstIdAt, type RetentionRun, type RunOptions } from './run-retention.ts';
export { startRetention, RETENTION_INTERVAL_MS } from './start-retention.ts';
