// SQL for re-classifying stored tracking hits: page through emails with hits, load them, rewrite verdicts.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { appendEvents } from '../../events/index.ts';

export type StoredEvent = {
  id: string;
  project_id: string;
  email_id: string;
  event_type: string;
  metadata: Record<string, unknown>;
  created_at: Date;
};

/** The next `limit` emails (by id) that have opens or clicks, after `after`; walks events_email (email_id, id). */
export async function nextEmailsWithHits(db: Kysely<Database>, after: string | undefined, limit: number): Promise<string[]> {
  let q = db.selectFrom('events').select('email_id').distinct().where('event_type', 'in', ['open', 'click']);
  if (after !== undefined) q = q.where('email_id', '>', after);
  const rows = await q.orderBy('email_id').limit(limit).execute();
  return rows.map((r) => r.email_id);
}

/** Opens, clicks and the sent/delivered events of these emails, oldest first per email. */
export async function loadHitEvents(db: Kysely<Database>, emailIds: string[]): Promise<StoredEvent[]> {
  if (emailIds.length === 0) return [];
  const rows = await db
    .selectFrom('events')
    .select(['id', 'project_id', 'email_id', 'event_type', 'metadata', 'created_at'])
    .where('email_id', 'in', emailIds)
    .where('event_type', 'in', ['open', 'click', 'sent', 'delivered'])
    .orderBy('email_id').orderBy('created_at').orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, id: String(r.id), created_at: new Date(r.created_at) }));
}

export type HitRewrite = {
  updates: Array<{ id: string; metadata: Record<string, unknown>; createdAt: Date }>;
  deletes: string[];
  inserts: Array<{ projectId: string; emailId: string; metadata: Record<string, unknown>; createdAt: Date }>;
};

/** Applies one batch's verdicts in one transaction: three statements whatever the batch size. */
export async function rewriteHitEvents(db: Kysely<Database>, w: HitRewrite): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Raw SQL: Kysely has no UPDATE ... FROM unnest or unnest INSERT.
    if (w.updates.length > 0) {
      await sql`
        UPDATE events SET metadata = u.metadata, created_at = u.created_at
        FROM unnest(${w.updates.map((u) => u.id)}::bigint[], ${w.updates.map((u) => JSON.stringify(u.metadata))}::jsonb[],
                    ${w.updates.map((u) => u.createdAt.toISOString())}::timestamptz[]) AS u(id, metadata, created_at)
        WHERE events.id = u.id
      `.execute(trx);
    }
    if (w.deletes.length > 0) {
      await sql`DELETE FROM events WHERE id = ANY(${w.deletes}::bigint[]) AND event_type = 'open'`.execute(trx);
    }
    await appendEvents(trx, w.inserts.map((i) => ({ projectId: i.projectId, emailId: i.emailId, type: 'open', metadata: i.metadata, at: i.createdAt })));
  });
}
