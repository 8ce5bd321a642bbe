// The per-project suppression list: addresses Sendtrail refuses to send to (hard bounces,
// complaints, unsubscribes, manual entries). The delivery worker reads it before every send.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, SuppressionsTable } from '../store/database.ts';
import { pinned, walkPage, WALK_LIMIT, type WalkPath } from '../store/bounded-walk.ts';

export const SUPPRESSION_REASONS = ['hard_bounce', 'soft_bounces', 'complaint', 'unsubscribe', 'manual', 'simulator'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export type NewSuppression = { projectId: string; email: string; reason: SuppressionReason; sourceEmailId?: string };
export type SuppressionRow = Selectable<SuppressionsTable>;

/**
 * Adds addresses to the list; an address already on it keeps its first reason. Addresses are kept
 * lower-case: mailbox providers treat local parts case-insensitively in practice, so Bob@ and bob@
 * are one person to suppress, though RFC 5321 section 2.4 lets a server tell them apart.
 * Returns the addresses that were newly added.
 */
export async function addSuppressions(db: Kysely<Database>, entries: NewSuppression[]): Promise<string[]> {
  if (entries.length === 0) return [];
  const rows = await db
    .insertInto('suppressions')
    .values(entries.map((e) => ({ project_id: e.projectId, email: e.email.toLowerCase(), reason: e.reason, source_email_id: e.sourceEmailId ?? null })))
    .onConflict((oc) => oc.columns(['project_id', 'email']).doNothing())
    .returning('email')
    .execute();
  return rows.map((r) => r.email);
}

/** Suppresses the recipients of these emails (read from the emails table, so callers need no address). */
export async function suppressRecipientsOf(db: Kysely<Database>, emailIds: readonly string[], reason: SuppressionReason): Promise<void> {
  if (emailIds.length === 0) return;
  // Raw SQL: INSERT ... SELECT with ON CONFLICT in one statement for a whole batch.
  await sql`
    INSERT INTO suppressions (project_id, email, reason, source_email_id)
    SELECT project_id, lower(to_address), ${reason}, id FROM emails WHERE id = ANY(${[...emailIds]}::uuid[])
    ON CONFLICT (project_id, email) DO NOTHING
  `.execute(db);
}

/**
 * In address order. A `reason` is checked on at most walkLimit addresses a page
 * (store/bounded-walk.ts), so a page may be short and still have a `next` (the last address read).
 */
export async function listSuppressions(
  db: Kysely<Database>,
  projectId: string,
  filter: { reason?: SuppressionReason; email?: string; after?: string; limit: number },
  walkLimit = WALK_LIMIT,
): Promise<{ rows: SuppressionRow[]; next: string | null }> {
  const email = filter.email?.toLowerCase();
  const after = filter.after !== undefined ? sql`AND email > ${filter.after}` : sql``;
  // Along the primary key (project_id, email), in address order; one address is one key of it.
  const where = email === undefined ? pinned('project_id', projectId) : sql`project_id = ${projectId} AND email = ${email}`;
  const path: WalkPath = {
    read: (walk) => sql`SELECT email AS key, reason, project_id AS k FROM suppressions WHERE ${where} ${after} ORDER BY project_id, email LIMIT ${walk}`,
    order: sql`k, key`,
    residual: filter.reason ? sql`reason = ${filter.reason}` : undefined,
  };
  const page = await walkPage(db, path, filter.limit, walkLimit);
  const rows = page.keys.length === 0 ? [] : await db.selectFrom('suppressions').selectAll().where('project_id', '=', projectId).where('email', 'in', page.keys).orderBy('email').execute();
  return { rows, next: page.next };
}

/**
 * The next `limit` entries after an address, in address order (the export's pages). With a
 * reason, the walk still follows the primary key and skips the other entries.
 */
export async function suppressionsAfter(
  db: Kysely<Database>,
  projectId: string,
  page: { after?: string; reason?: SuppressionReason; limit: number },
): Promise<SuppressionRow[]> {
  let q = db.selectFrom('suppressions').selectAll().where('project_id', '=', projectId);
  if (page.after !== undefined) q = q.where('email', '>', page.after);
  if (page.reason) q = q.where('reason', '=', page.reason);
  return q.orderBy('email').limit(page.limit).execute();
}

/** Removes one address; false when it was not on the list. */
export async function removeSuppression(db: Kysely<Database>, projectId: string, email: string): Promise<boolean> {
  const result = await db
    .deleteFrom('suppressions')
    .where('project_id', '=', projectId)
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
