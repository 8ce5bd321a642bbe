// What other domains may use of the suppression list.
export { addSuppressions, type NewSuppression, type SuppressionReason } from './suppressions.repository.ts';
