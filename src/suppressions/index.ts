// What other domains may use of the suppression list.
export {
  addSuppressions,
  listSuppressions,
  removeSuppression,
  countSoftBounces,
  suppressRecipientsOf,
  suppressAfterSoftBounces,
  SUPPRESSION_REASONS,
  type NewSuppression,
  type SuppressionReason,
  type SuppressionRow,
} from './suppressions.repository.ts';
