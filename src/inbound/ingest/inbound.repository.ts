// All SQL of inbound mail: the kept messages, the emails they are about, forward-only status moves.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, InboundMessagesTable } from '../../store/database.ts';
import { pinned, pinnedOrder, walkPage, WALK_LIMIT, type WalkPath } from '../../store/bounded-walk.ts';
import { movesForwardSql, type EmailStatus } from '../../events/index.ts';

export type CorrelatedEmail = { id: string; project_id: string; to_address: string; message_id: string };
export type InboundRow = Selectable<InboundMessagesTable>;
export type NewInboundRow = Omit<InboundRow, 'received_at' | 'event_count' | 'forward_attempts' | 'forward_error' | 'forward_locked_by' | 'forward_locked_until' | 'raw_removed_at'> & { event_count: number };

export async function findEmailsByIds(db: Kysely<Database>, ids: readonly string[]): Promise<CorrelatedEmail[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('emails').select(['id', 'project_id', 'to_address', 'message_id']).where('id', 'in', [...ids]).execute();
}

/** Stores a received message; undefined when the same message (content hash) was stored before. */
export async function insertInboundMessage(db: Kysely<Database>, row: NewInboundRow): Promise<string | undefined> {
  const inserted = await db
    .insertInto('inbound_messages')
    .values(row)
    .onConflict((oc) => oc.column('content_hash').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

/** Moves the email to `status` only if that is forward: a DSN never undoes what the worker wrote meanwhile. */
export async function advanceEmailStatus(db: Kysely<Database>, emailId: string, status: EmailStatus): Promise<void> {
  await db
    .updateTable('emails')
    .set({ status, updated_at: sql`now()` })
    .where('id', '=', emailId)
    .where(movesForwardSql(sql.ref('status'), status))
    .execute();
}

export type InboundFilter = { matched?: boolean; kind?: string; emailId?: string; before?: string; limit: number };

const LISTED_COLUMNS = [
  'id', 'email_id', 'kind', 'mail_from', 'rcpt_to', 'from_header', 'subject', 'size_bytes', 'event_count', 'error', 'received_at',
  'forward_state', 'forward_attempts', 'forward_error',
] as const;

/**
 * Newest first. Read along inbound_messages_email for one email's mail (a handful of messages),
 * else along the project's index; `matched` and `kind` are checked on at most walkLimit messages
 * a page (store/bounded-walk.ts), so a page may be short and still have a `next`.
 */
export async function listInboundMessages(db: Kysely<Database>, projectId: string, f: InboundFilter, walkLimit = WALK_LIMIT) {
  const before = f.before ? sql`AND id < ${f.before}` : sql``;
  const checks = [
    f.matched !== undefined && (f.matched ? sql`email_id IS NOT NULL` : sql`email_id IS NULL`),
    f.kind && sql`kind = ${f.kind}`,
  ].filter((c) => !!c);
  const residual = checks.length > 0 ? sql.join(checks, sql` AND `) : undefined;
  const path: WalkPath = f.emailId
    ? {
        read: (walk) => sql`
          SELECT id AS key, email_id, kind FROM inbound_messages WHERE email_id = ${f.emailId} AND project_id = ${projectId} ${before}
          ORDER BY id DESC LIMIT ${walk}`,
        order: sql`key DESC`,
        residual,
      }
    : {
        read: (walk) => sql`
          SELECT id AS key, email_id, kind, project_id AS k FROM inbound_messages WHERE ${pinned('project_id', projectId)} ${before}
          ORDER BY project_id, id DESC LIMIT ${walk}`,
        order: pinnedOrder,
        residual,
      };
  const page = await walkPage(db, path, f.limit, walkLimit);
  const rows = page.keys.length === 0 ? [] : await db.selectFrom('inbound_messages').select(LISTED_COLUMNS).where('id', 'in', page.keys).orderBy('id', 'desc').execute();
  return { rows, next: page.next };
}

export async function findInboundMessage(db: Kysely<Database>, projectId: string, id: string): Promise<InboundRow | undefined> {
  return db.selectFrom('inbound_messages').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
}

export async function countInboundMessages(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('inbound_messages').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
