// Owns turning what happened into an audit row: who, the action, its target, the outcome, where from,
// and the details its action allows (audit-details.ts). Call it with the transaction of the change.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import type { AuditAction, AuditOutcome } from './audit-actions.ts';
import { auditDetails, shortText } from './audit-details.ts';
import { insertAuditRows, type AuditRow } from './audit.repository.ts';

export type AuditActor =
  | { type: 'user'; id: string | null; label?: string }
  | { type: 'api_key'; id: string; label?: string }
  | { type: 'system'; label?: string };

export type AuditEntry = {
  actor: AuditActor;
  action: AuditAction;
  target?: { type: string; id: string };
  outcome?: AuditOutcome;
  /** An error code when the outcome is not success. */
  reason?: string;
  projectId?: string;
  ip?: string;
  userAgent?: string;
  details?: Record<string, unknown>;
};

const MAX_USER_AGENT = 300;

export async function recordAudit(db: Kysely<Database>, ...entries: AuditEntry[]): Promise<AuditRow[]> {
  return insertAuditRows(db, entries.map((e) => ({
    actor_type: e.actor.type,
    actor_id: 'id' in e.actor && e.actor.id ? shortText(e.actor.id) : null,
    actor_label: e.actor.label ? shortText(e.actor.label) : null,
    action: e.action,
    target_type: e.target ? shortText(e.target.type) : null,
    target_id: e.target ? shortText(e.target.id) : null,
    outcome: e.outcome ?? 'success',
    reason: e.reason ? shortText(e.reason) : null,
    project_id: e.projectId ?? null,
    ip: e.ip ? shortText(e.ip, 64) : null,
    user_agent: e.userAgent ? shortText(e.userAgent, MAX_USER_AGENT) : null,
    details: auditDetails(e.action, e.details),
  })));
}
