// Reading the event log in the order events became visible, for readers that follow it (the live
// stream; rollups later). A cursor is the (txid, id) of the last event read: rows are read only
// once their transaction is older than every transaction still running, so none can later appear
// behind a cursor (migration 013).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import type { EventType } from './event-types.ts';

export type LogCursor = { txid: string; id: number };

export type LoggedEvent = {
  id: number;
  txid: string;
  project_id: string;
  email_id: string;
  campaign_id: string | null;
  event_type: EventType;
  metadata: Record<string, unknown>;
  created_at: Date;
};

export type LogFilter = { projectId?: string; campaignId?: string; emailId?: string; eventTypes?: readonly EventType[] };

const START: LogCursor = { txid: '0', id: 0 };
const visibleToAll = sql`e.txid < pg_snapshot_xmin(pg_current_snapshot())`;

/** Up to `limit` events after `after` (and up to `upTo`, when given) that every reader can see, in log order. */
export function readLog(
  db: Kysely<Database>,
  options: { after: LogCursor; upTo?: LogCursor; limit: number; filter?: LogFilter },
): Promise<LoggedEvent[]> {
  return readEvents<LoggedEvent>(db, options, 'campaign_id');
}

/** An event with its email's sender, recipient and tags: what a webhook's payload tells of it. */
export type LoggedEventWithEmail = LoggedEvent & { from_address: string; to_address: string; tags: unknown };

/** readLog, each event with its email's sender, recipient and tags as well. */
export function readLogWithEmails(db: Kysely<Database>, options: { after: LogCursor; limit: number }): Promise<LoggedEventWithEmail[]> {
  return readEvents<LoggedEventWithEmail>(db, options, 'campaign_id, from_address, to_address, tags');
}

/** An event of the log as it is stored, without its email's columns. */
export type LogEvent = Omit<LoggedEvent, 'campaign_id'>;

/**
 * readLog without a look at the emails: for a reader that knows most of the emails already (the
 * rollups keep them), reading each one's row again would cost more than the events themselves.
 */
export async function readLogEvents(db: Kysely<Database>, options: { after: LogCursor; limit: number }): Promise<LogEvent[]> {
  const { rows } = await sql<LogEvent>`
    SELECT e.id, e.txid::text AS txid, e.project_id, e.email_id, e.event_type, e.metadata, e.created_at
    FROM events e
    WHERE (e.txid, e.id) > (${options.after.txid}::xid8, ${options.after.id}) AND ${visibleToAll}
    ORDER BY e.txid, e.id
    LIMIT ${options.limit}
  `.execute(db);
  return rows.map((r) => ({ ...r, id: Number(r.id), created_at: new Date(r.created_at) }));
}

async function readEvents<T extends LoggedEvent>(
  db: Kysely<Database>,
  options: { after: LogCursor; upTo?: LogCursor; limit: number; filter?: LogFilter },
  emailColumns: 'campaign_id' | 'campaign_id, from_address, to_address, tags',
): Promise<T[]> {
  const columns = sql.raw(emailColumns);
  const f = options.filter ?? {};
  const upTo = options.upTo ? sql`AND (e.txid, e.id) <= (${options.upTo.txid}::xid8, ${options.upTo.id})` : sql``;
  // Raw SQL: a row comparison over xid8, which walks events_commit_order from the cursor. Without a
  // campaign filter the events are taken first and each is then looked up in emails by key: the
  // planner cannot estimate the row comparison, and guessing a third of the log, it would hash the
  // whole emails table to join a page of events (seen in EXPLAIN on PGlite without statistics).
  const { rows } = f.campaignId
    ? await sql<T>`
      SELECT e.id, e.txid::text AS txid, e.project_id, e.email_id, e.event_type, e.metadata, e.created_at, em.*
      FROM events e CROSS JOIN LATERAL (SELECT ${columns} FROM emails WHERE id = e.email_id) em
      WHERE (e.txid, e.id) > (${options.after.txid}::xid8, ${options.after.id}) ${upTo} AND ${visibleToAll}
        ${f.projectId ? sql`AND e.project_id = ${f.projectId}` : sql``}
        ${f.emailId ? sql`AND e.email_id = ${f.emailId}` : sql``}
        AND em.campaign_id = ${f.campaignId}
        ${f.eventTypes?.length ? sql`AND e.event_type = ANY(${f.eventTypes}::text[])` : sql``}
      ORDER BY e.txid, e.id
      LIMIT ${options.limit}
    `.execute(db)
    : await sql<T>`
      SELECT e.id, e.txid::text AS txid, e.project_id, e.email_id, e.event_type, e.metadata, e.created_at, em.*
      FROM (
        SELECT * FROM events e
        WHERE (e.txid, e.id) > (${options.after.txid}::xid8, ${options.after.id}) ${upTo} AND ${visibleToAll}
          ${f.projectId ? sql`AND e.project_id = ${f.projectId}` : sql``}
          ${f.emailId ? sql`AND e.email_id = ${f.emailId}` : sql``}
          ${f.eventTypes?.length ? sql`AND e.event_type = ANY(${f.eventTypes}::text[])` : sql``}
        ORDER BY e.txid, e.id
        LIMIT ${options.limit}
      ) e
      -- OFFSET 0 keeps the lateral a lookup per event rather than a join the planner may reorder.
      CROSS JOIN LATERAL (SELECT ${columns} FROM emails WHERE id = e.email_id OFFSET 0) em
      ORDER BY e.txid, e.id
    `.execute(db);
  return rows.map((r) => ({ ...r, created_at: new Date(r.created_at) }));
}

/** The cursor just past the last event every reader can see (the start of the log when empty). */
export async function endOfLog(db: Kysely<Database>): Promise<LogCursor> {
  const { rows } = await sql<LogCursor>`
    SELECT e.txid::text AS txid, e.id FROM events e WHERE ${visibleToAll} ORDER BY e.txid DESC, e.id DESC LIMIT 1
  `.execute(db);
  return rows[0] ?? START;
}

/**
 * The cursor of a client that last saw event `id` (an SSE Last-Event-ID); an id not stored (any
 * more, or yet) resumes after the nearest earlier event.
 */
export async function cursorAfterEvent(db: Kysely<Database>, id: number): Promise<LogCursor> {
  const { rows } = await sql<LogCursor>`
    SELECT txid::text AS txid, id FROM events WHERE id <= ${id} ORDER BY id DESC LIMIT 1
  `.execute(db);
  return rows[0] ?? START;
}

/** Whether cursor `a` lies before `b` in log order. */
export function isBefore(a: LogCursor, b: LogCursor): boolean {
  const ta = BigInt(a.txid);
  const tb = BigInt(b.txid);
  return ta < tb || (ta === tb && a.id < b.id);
}
