// What other domains may use of the suppression list.
export {
  addSuppressions,
  listSuppressions,
  removeSuppression,
  suppressRecipientsOf,
  SUPPRESSION_REASONS,
  type NewSuppression,
  type SuppressionReason,
  type SuppressionRow,
} from './suppressions.repository.ts';
export { importSuppressions, MAX_REPORTED_LINES, type ImportedSuppressions } from './import-suppressions.ts';
export { exportSuppressions, csvCell } from './export-suppressions.ts';
export { suppressAfterSoftBounces } from './suppress-after-soft-bounces.ts';
export { recordUnsubscribe, type Unsubscribe } from './record-unsubscribe.ts';
