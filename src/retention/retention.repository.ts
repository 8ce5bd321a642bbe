// The SQL of retention: walking a project's emails and inbound mail in id order (UUIDv7, so
// creation order) from where the last run stopped, and removing what is past its time in batches.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';

export type Walk = 'bodies' | 'events' | 'raw_inbound';
/** A row of a walk: `ready` when its time has come; one not ready yet (still in the queue) holds the walk's start. */
export type WalkRow = { id: string; ready: boolean };
/** A position in the log (txid, id), as rollup_cursors keeps it. */
export type LogPosition = { txid: string; id: number };

const NIL = '00000000-0000-0000-0000-000000000000';

export async function readProgress(db: Kysely<Database>, projectId: string, walk: Walk): Promise<string> {
  const row = await db.selectFrom('retention_progress').select('after_id').where('project_id', '=', projectId).where('walk', '=', walk).executeTakeFirst();
  return row?.after_id ?? NIL;
}

export async function saveProgress(db: Kysely<Database>, projectId: string, walk: Walk, afterId: string): Promise<void> {
  await db
    .insertInto('retention_progress')
    .values({ project_id: projectId, walk, after_id: afterId })
    .onConflict((oc) => oc.columns(['project_id', 'walk']).doUpdateSet({ after_id: afterId, updated_at: new Date() }))
    .execute();
}

/**
 * Where every reader of the log (rollups, webhook outbox, any later one) has got to: the least of
 * their cursors. Events past it are not deleted, so no reader loses one it has not read. None yet:
 * undefined, and no event is deleted.
 */
export async function slowestLogReader(db: Kysely<Database>): Promise<LogPosition | undefined> {
  // Ordered by the column (xid8), not by the text alias: as text, '999' sorts after '1000'.
  const { rows } = await sql<{ txid: string; event_id: string | number }>`
    SELECT txid::text AS txid, event_id FROM rollup_cursors ORDER BY rollup_cursors.txid, event_id LIMIT 1
  `.execute(db);
  return rows[0] && { txid: rows[0].txid, id: Number(rows[0].event_id) };
}

/**
 * The project's next emails after `after` created before `cutoff` (`bound`: the smallest UUIDv7 of
 * that instant, so the walk reads one range of emails_project). Ready: out of the queue, and for
 * the events walk, every event of it read by every reader of the log (`readTo`).
 */
export async function nextEmails(
  db: Kysely<Database>,
  q: { projectId: string; after: string; bound: string; cutoff: Date; limit: number; readTo?: LogPosition },
): Promise<WalkRow[]> {
  const allRead = q.readTo
    ? sql`AND NOT EXISTS (SELECT 1 FROM events ev WHERE ev.email_id = e.id AND (ev.txid, ev.id) > (${q.readTo.txid}::xid8, ${q.readTo.id}))`
    : sql``;
  // Raw SQL: the row comparison over xid8 (the builder has none).
  const { rows } = await sql<WalkRow>`
    SELECT e.id, (e.next_attempt_at IS NULL AND e.locked_by IS NULL AND e.created_at < ${q.cutoff} ${allRead}) AS ready
    FROM emails e
    WHERE e.project_id = ${q.projectId} AND e.id > ${q.after} AND e.id < ${q.bound}
    ORDER BY e.id
    LIMIT ${q.limit}
  `.execute(db);
  return rows;
}

/** Empties the bodies of these emails (html, text, template data) and drops their captured copies. */
export async function removeBodies(db: Kysely<Database>, projectId: string, ids: readonly string[]): Promise<{ bodies: number; captured: number }> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('emails')
      .set({ html: null, text: null, data: null, content_removed_at: new Date() })
      .where('project_id', '=', projectId)
      .where('id', 'in', ids)
      .where('content_removed_at', 'is', null)
      .where('next_attempt_at', 'is', null)
      .executeTakeFirst();
    const captured = await trx.deleteFrom('captured_messages').where('project_id', '=', projectId).where('email_id', 'in', ids).executeTakeFirst();
    return { bodies: Number(updated.numUpdatedRows), captured: Number(captured.numDeletedRows) };
  });
}

/**
 * Deletes these emails whole: their events (the one sanctioned DELETE of the log, under the
 * transaction-local setting the append-only trigger checks), their captured copies and their rows.
 */
export async function deleteEmails(db: Kysely<Database>, projectId: string, ids: readonly string[]): Promise<{ emails: number; events: number; captured: number }> {
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL sendtrail.retention = 'on'`.execute(trx);
    // Locks the rows first, and only those still out of the queue: what it returns is what goes.
    const gone = await trx
      .deleteFrom('emails')
      .where('project_id', '=', projectId)
      .where('id', 'in', ids)
      .where('next_attempt_at', 'is', null)
      .returning('id')
      .execute();
    const goneIds = gone.map((r) => r.id);
    if (goneIds.length === 0) return { emails: 0, events: 0, captured: 0 };
    const events = await trx.deleteFrom('events').where('email_id', 'in', goneIds).executeTakeFirst();
    const captured = await trx.deleteFrom('captured_messages').where('email_id', 'in', goneIds).executeTakeFirst();
    return { emails: goneIds.length, events: Number(events.numDeletedRows), captured: Number(captured.numDeletedRows) };
  });
}

/** The project's next inbound messages after `after` received before `cutoff`; a reply still to forward is not ready. */
export async function nextInbound(db: Kysely<Database>, q: { projectId: string; after: string; bound: string; cutoff: Date; limit: number }): Promise<WalkRow[]> {
  const { rows } = await sql<WalkRow>`
    SELECT m.id, (m.received_at < ${q.cutoff} AND m.forward_state IS DISTINCT FROM 'pending') AS ready
    FROM inbound_messages m
    WHERE m.project_id = ${q.projectId} AND m.id > ${q.after} AND m.id < ${q.bound}
    ORDER BY m.id
    LIMIT ${q.limit}
  `.execute(db);
  return rows;
}

/** Empties the raw messages; what was read from them (kind, sender, subject, the email matched) stays. */
export async function removeRawInbound(db: Kysely<Database>, projectId: string, ids: readonly string[]): Promise<number> {
  const r = await db
    .updateTable('inbound_messages')
    .set({ raw: Buffer.alloc(0), raw_removed_at: new Date() })
    .where('project_id', '=', projectId)
    .where('id', 'in', ids)
    .where('raw_removed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function listProjectIds(db: Kysely<Database>): Promise<string[]> {
  return (await db.selectFrom('projects').select('id').orderBy('id').execute()).map((r) => r.id);
}
