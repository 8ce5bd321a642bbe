// What the rollups read about the emails a batch touched: each one's whole log up to the batch's
// end (the counting policy folds it), and what it is broken down by.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import type { LogCursor } from '../../events/index.ts';
import type { PolicyEvent } from '../counting-policy.ts';

export type LoggedEmailEvent = PolicyEvent & { txid: string };

export type EmailDimensions = {
  projectId: string;
  campaignId: string | null;
  tags: string[];
  fromAddress: string;
  toAddress: string;
};

/** Each email's events up to `upTo` (log order), in id order. */
export async function loadEmailLogs(db: Kysely<Database>, emailIds: readonly string[], upTo: LogCursor): Promise<Map<string, LoggedEmailEvent[]>> {
  // Raw SQL: a row comparison over xid8. Every row at or before `upTo` is visible to all (the
  // cursor only ever passes events older than every running transaction). Each email's events by
  // its index (a lateral join): given the row comparison as a condition too, the planner, unable
  // to estimate it, could walk the commit-order index over the whole log instead (seen in EXPLAIN
  // on PGlite without statistics).
  const { rows } = await sql<LoggedEmailEvent & { email_id: string }>`
    SELECT e.email_id, e.id, e.txid::text AS txid, e.event_type, e.metadata, e.created_at
    FROM unnest(${emailIds}::uuid[]) AS x(id)
    CROSS JOIN LATERAL (
      SELECT * FROM events WHERE email_id = x.id OFFSET 0
    ) e
    WHERE (e.txid, e.id) <= (${upTo.txid}::xid8, ${upTo.id})
    ORDER BY e.email_id, e.id
  `.execute(db);
  const logs = new Map<string, LoggedEmailEvent[]>();
  for (const r of rows) {
    let log = logs.get(r.email_id);
    if (!log) logs.set(r.email_id, (log = []));
    log.push({ id: Number(r.id), txid: r.txid, event_type: r.event_type, metadata: r.metadata ?? {}, created_at: new Date(r.created_at) });
  }
  return logs;
}

export async function loadEmailDimensions(db: Kysely<Database>, emailIds: readonly string[]): Promise<Map<string, EmailDimensions>> {
  const rows = await db
    .selectFrom('emails')
    .select(['id', 'project_id', 'campaign_id', 'tags', 'from_address', 'to_address'])
    .where('id', '=', sql<string>`ANY(${emailIds}::uuid[])`)
    .execute();
  return new Map(rows.map((r) => [r.id, dimensionsOf(r)]));
}

/** What an email is broken down by, from its row. */
function dimensionsOf(r: { project_id: string; campaign_id: string | null; tags: unknown; from_address: string; to_address: string }): EmailDimensions {
  return {
    projectId: r.project_id,
    campaignId: r.campaign_id,
    tags: Array.isArray(r.tags) ? [...new Set((r.tags as unknown[]).filter((t): t is string => typeof t === 'string' && t !== ''))] : [],
    fromAddress: r.from_address,
    toAddress: r.to_address,
  };
}
