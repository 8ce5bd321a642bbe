// The audit log: who did what to what, with what outcome, when and from where, hash-chained.
export { AUDIT_ACTIONS, AUDIT_ACTOR_TYPES, AUDIT_OUTCOMES, isAuditAction, type AuditAction, type AuditOutcome } from './audit-actions.ts';
export { recordAudit, type AuditActor, type AuditEntry } from './record-audit.ts';
export { selectAuditPage, type AuditFilter, type AuditRow } from './audit.repository.ts';
export { verifyAuditChain, type ChainVerdict } from './verify-audit-chain.ts';
