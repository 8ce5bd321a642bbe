// The email log (GET /v1/emails): a page of a project's emails, newest first, filtered by status,
// campaign and recipient, at a cost that does not grow with the project (store/bounded-walk.ts).
//
// Each filter set is read along one index that yields its emails in id order (ids sort by time):
//   to        emails_project_to (project_id, to_address, id)
//   campaign  emails_campaign_status_id (campaign_id, status, id): one run per status, merged
//   status    emails_project_rare_status (project_id, status, id), for the statuses it holds
//   (none)    emails_project (project_id, id)
// The filters that path does not cover (a status or campaign with `to`; queued, sent and
// delivered, which no index holds by status; a tag; the search) are checked on at most WALK_LIMIT
// emails a page. A date range costs nothing more: ids are UUIDv7, so it bounds the id range read.
//
// The search matches a part of the recipient or of the subject, case-insensitively. No index
// serves a substring (a trigram index would cost every insert, and PGlite has no pg_trgm): it is
// checked on the rows a page reads, which keeps a page's cost bounded, at the price of pages that
// come back short (even empty, with a next cursor) when matches are rare.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/database.ts';
import { pinned, pinnedOrder, walkPage, walkStatement, WALK_LIMIT, type WalkPath } from '../store/bounded-walk.ts';
import { EMAIL_STATUSES, isEmailStatus, type EmailStatus } from '../events/index.ts';
import { selectEmails, type EmailRow } from './emails.repository.ts';

export type EmailFilter = {
  status?: string;
  campaignId?: string;
  to?: string;
  tag?: string;
  /** A part of the recipient or the subject. */
  search?: string;
  /** Emails created at or after this instant. */
  createdAfter?: Date;
  /** Emails created before this instant. */
  createdBefore?: Date;
  /** The cursor: the id the page starts below. */
  before?: string;
  limit: number;
};
/** `next`: the id the following page starts below, or null at the end of the log. */
export type EmailPage = { rows: EmailRow[]; next: string | null };

// Statuses every email passes through: migration 009 keeps them out of emails_project_rare_status.
const UNINDEXED_STATUSES: ReadonlySet<EmailStatus> = new Set(['queued', 'sent', 'delivered']);

export async function listEmails(db: Kysely<Database>, projectId: string, f: EmailFilter, walkLimit = WALK_LIMIT): Promise<EmailPage> {
  if (f.campaignId && !f.to && !(await campaignInProject(db, projectId, f.campaignId))) return { rows: [], next: null };
  const page = await walkPage(db, emailsPath(projectId, f), f.limit, walkLimit);
  const rows = page.keys.length === 0 ? [] : await selectEmails(db).where('emails.id', 'in', page.keys).orderBy('emails.id', 'desc').execute();
  return { rows, next: page.next };
}

/** A page's statement, for the test that counts the rows it reads. */
export const pageStatement = (projectId: string, f: EmailFilter) => walkStatement(emailsPath(projectId, f), f.limit);

function emailsPath(projectId: string, f: EmailFilter): WalkPath {
  const status = f.status === undefined ? undefined : knownStatus(f.status);
  const cols = sql`id AS key, status, campaign_id, to_address AS recipient, subject, tags`;
  const before = idRange(f);
  const extra = extraChecks(f);
  if (f.to) {
    const checks = [status && sql`status = ${status}`, f.campaignId && sql`campaign_id = ${f.campaignId}`].filter((c) => !!c);
    return {
      read: (walk) => sql`
        SELECT ${cols}, to_address AS k FROM emails WHERE project_id = ${projectId} AND ${pinned('to_address', f.to!)} ${before}
        ORDER BY to_address, id DESC LIMIT ${walk}`,
      order: pinnedOrder,
      residual: allOf([...checks, ...extra]),
    };
  }
  if (f.campaignId) {
    // No index holds a campaign's emails in id order alone: one run of the index per status, each
    // of at most `walk` (limit + 1 here), sorted together.
    const run = (s: EmailStatus, walk: number) => sql`
      (SELECT ${cols} FROM emails WHERE campaign_id = ${f.campaignId} AND ${pinned('status', sql.lit(s))} ${before}
       ORDER BY status, id DESC LIMIT ${walk})`;
    const statuses = status ? [status] : EMAIL_STATUSES;
    return {
      read: (walk) => sql`SELECT * FROM (${sql.join(statuses.map((s) => run(s, walk)), sql` UNION ALL `)}) AS runs ORDER BY key DESC LIMIT ${walk}`,
      order: sql`key DESC`,
      residual: allOf(extra),
    };
  }
  if (status && !UNINDEXED_STATUSES.has(status)) {
    // A literal, not a parameter: only then can the planner prove the status to be inside the
    // predicate of emails_project_rare_status and read that index.
    return {
      read: (walk) => sql`
        SELECT ${cols}, status AS k FROM emails WHERE project_id = ${projectId} AND ${pinned('status', sql.lit(status))} ${before}
        ORDER BY status, id DESC LIMIT ${walk}`,
      order: pinnedOrder,
      residual: allOf(extra),
    };
  }
  return {
    read: (walk) => sql`SELECT ${cols}, project_id AS k FROM emails WHERE ${pinned('project_id', projectId)} ${before} ORDER BY project_id, id DESC LIMIT ${walk}`,
    order: pinnedOrder,
    residual: allOf([...(status ? [sql`status = ${status}`] : []), ...extra]),
  };
}

/** The cursor and the date range as bounds on the id, which every path reads in order. */
function idRange(f: EmailFilter): RawBuilder<unknown> {
  const upper = [f.before, f.createdBefore && firstIdAt(f.createdBefore)].filter((b): b is string => !!b).sort()[0];
  const lower = f.createdAfter ? sql`AND id >= ${firstIdAt(f.createdAfter)}` : sql``;
  return upper ? sql`AND id < ${upper} ${lower}` : lower;
}

/** The smallest UUIDv7 of an instant: its first 48 bits are the Unix time in milliseconds. */
export function firstIdAt(at: Date): string {
  const hex = Math.max(0, Math.min(at.getTime(), 2 ** 48 - 1)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8)}-0000-0000-000000000000`;
}

/** Checks no path's index covers, on the walked rows' columns. */
function extraChecks(f: EmailFilter): RawBuilder<unknown>[] {
  const checks: RawBuilder<unknown>[] = [];
  if (f.tag) checks.push(sql`tags @> ${JSON.stringify([f.tag])}::jsonb`);
  if (f.search) {
    const pattern = `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // Campaign emails carry no subject of their own: the campaign's (template) subject stands in.
    const subject = sql`coalesce(subject, (SELECT c.subject FROM campaigns c WHERE c.id = campaign_id))`;
    checks.push(sql`(recipient ILIKE ${pattern} OR ${subject} ILIKE ${pattern})`);
  }
  return checks;
}

const allOf = (checks: RawBuilder<unknown>[]) => (checks.length > 0 ? sql.join(checks, sql` AND `) : undefined);

async function campaignInProject(db: Kysely<Database>, projectId: string, campaignId: string): Promise<boolean> {
  const row = await db.selectFrom('campaigns').select('id').where('id', '=', campaignId).where('project_id', '=', projectId).executeTakeFirst();
  return row !== undefined;
}

function knownStatus(status: string): EmailStatus {
  if (!isEmailStatus(status)) throw new Error(`unknown email status ${JSON.stringify(status)}`);
  return status;
}
