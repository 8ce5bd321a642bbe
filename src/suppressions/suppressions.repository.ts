// The per-project suppression list: addresses Sendtrail refuses to send to (hard bounces,
// complaints, unsubscribes, manual entries). The delivery worker reads it before every send.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';

export type SuppressionReason = 'hard_bounce' | 'soft_bounces' | 'complaint' | 'unsubscribe' | 'manual' | 'simulator';

export type NewSuppression = { projectId: string; email: string; reason: SuppressionReason; sourceEmailId?: string };

/** Adds addresses to the list; an address already on it keeps its first reason. */
export async function addSuppressions(db: Kysely<Database>, entries: NewSuppression[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('suppressions')
    .values(entries.map((e) => ({ project_id: e.projectId, email: e.email, reason: e.reason, source_email_id: e.sourceEmailId ?? null })))
    .onConflict((oc) => oc.columns(['project_id', 'email']).doNothing())
    .execute();
}
