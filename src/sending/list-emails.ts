// The email log (GET /v1/emails): a page of a project's emails, newest first, filtered by status,
// campaign and recipient. It runs in a request, and on PGlite every statement holds the one
// thread the queue also needs, so a page must cost the same however many emails the project has.
//
// Each filter set is read along one index that yields its emails in id order (ids sort by time),
// with the plan pinned to it (see `pinned` and runPageStatement):
//   to        emails_project_to (project_id, to_address, id)
//   campaign  emails_campaign_status_id (campaign_id, status, id): one run per status, merged
//   status    emails_project_rare_status (project_id, status, id), for the statuses it holds
//   (none)    emails_project (project_id, id)
// The filters that path does not cover (a status with `to`, or queued, sent and delivered, which
// no index holds by status) are checked on the emails read. That read stops after WALK_LIMIT emails:
// the page may then hold fewer than `limit` emails, and `next` says where the next page goes on.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/database.ts';
import { EMAIL_STATUSES, isEmailStatus, type EmailStatus } from '../events/index.ts';
import { selectEmails, type EmailRow } from './emails.repository.ts';

export type EmailFilter = { status?: string; campaignId?: string; to?: string; before?: string; limit: number };
/** `next`: the id the following page starts below, or null at the end of the log. */
export type EmailPage = { rows: EmailRow[]; next: string | null };

/** Emails a page reads at most to check filters no index covers (a few milliseconds on PGlite). */
export const WALK_LIMIT = 5_000;

// Statuses every email passes through: migration 009 keeps them out of emails_project_rare_status.
const UNINDEXED_STATUSES: ReadonlySet<EmailStatus> = new Set(['queued', 'sent', 'delivered']);

export async function listEmails(db: Kysely<Database>, projectId: string, f: EmailFilter, walkLimit = WALK_LIMIT): Promise<EmailPage> {
  if (f.campaignId && !f.to && !(await campaignInProject(db, projectId, f.campaignId))) return { rows: [], next: null };
  const { statement, walk } = pageStatement(projectId, f, walkLimit);
  const found = await runPageStatement(db, statement);
  const hits = found.filter((r) => r.hit).map((r) => r.id);
  const pageIds = hits.slice(0, f.limit);
  const rows = pageIds.length === 0 ? [] : await selectEmails(db).where('emails.id', 'in', pageIds).orderBy('emails.id', 'desc').execute();
  if (hits.length > f.limit) return { rows, next: pageIds[pageIds.length - 1]! };
  // The read stopped before the end of the path: the next page goes on below the last email read.
  const lastRead = found.find((r) => Number(r.n) === walk);
  return { rows, next: lastRead ? lastRead.id : null };
}

type PageRow = { id: string; hit: boolean; n: string };

/**
 * The ids of a page (`hit`), in id order, read along the filter's access path. `n` numbers the
 * emails read: the row numbered `walk` is the last the read may take, where a short page stops.
 * Exported for the test that checks how many emails a page reads.
 */
export function pageStatement(projectId: string, f: EmailFilter, walkLimit = WALK_LIMIT): { statement: RawBuilder<PageRow>; walk: number } {
  const path = accessPath(projectId, { ...f, status: f.status === undefined ? undefined : knownStatus(f.status) });
  // Without checks left, the first limit + 1 emails of the path are the page and tell whether more follow.
  const walk = path.residual ? walkLimit : f.limit + 1;
  const before = f.before ? sql`AND id < ${f.before}` : sql``;
  // The path yields rows in its order (newest first), and the window and the outer LIMIT keep
  // that order, so nothing sorts and the read stops as soon as the page is full.
  const statement = sql<PageRow>`
    SELECT id, hit, n FROM (
      SELECT *, (${path.residual ?? sql`true`}) IS TRUE AS hit, row_number() OVER (ORDER BY ${path.order}) AS n
      FROM (${path.read(before, walk)}) AS walked
    ) AS marked
    WHERE hit OR n = ${walk}
    ORDER BY ${path.order} LIMIT ${f.limit + 1}
  `;
  return { statement, walk };
}

/** Runs a page's statement (or an EXPLAIN of it) with the planner settings it is written for. */
export async function runPageStatement<R>(db: Kysely<Database>, statement: RawBuilder<R>): Promise<R[]> {
  return db.transaction().execute(async (trx) => {
    // Without statistics (PGlite until its first vacuum, any table just filled) the planner
    // guesses a few hundred emails per project and reads all of a project's emails through a
    // bitmap, then sorts them, rather than reading the index in id order: the one plan whose cost
    // does not grow with the project. A sequential scan stays possible, so no plan is ever left
    // with only disabled nodes; and no JIT, which would cost more than such a statement.
    await sql`SELECT set_config('enable_bitmapscan', 'off', true), set_config('jit', 'off', true)`.execute(trx);
    return (await statement.execute(trx)).rows;
  });
}

type AccessPath = {
  /** The path's emails below a cursor, newest first, at most `walk` of them: id, status, campaign_id, and k if pinned. */
  read(before: RawBuilder<unknown>, walk: number): RawBuilder<unknown>;
  /** The order `read` yields: id descending, after the pinned column `k` (one value) if any. */
  order: RawBuilder<unknown>;
  /** What is left to check on each email read, if anything. */
  residual?: RawBuilder<unknown>;
};

/**
 * `column = value`, spelt as a range of one value. Told `=`, the planner takes the column for a
 * constant, sees that the primary key also yields the page's order, and, when statistics say the
 * value is common, reads the whole table backwards by primary key hoping to meet it soon (seen on
 * both stores after an ANALYZE, list-emails.test.ts). Told a range, it must deliver the rows in
 * the order of that column too (the ORDER BY names it), which only the path's own index can do
 * without sorting them all.
 */
const pinned = (column: string, value: RawBuilder<unknown> | string) => sql`${sql.ref(column)} >= ${value} AND ${sql.ref(column)} <= ${value}`;

const pinnedOrder = sql`k, id DESC`;

function accessPath(projectId: string, f: Omit<EmailFilter, 'status'> & { status?: EmailStatus }): AccessPath {
  const cols = sql`id, status, campaign_id`;
  if (f.to) {
    const checks = [f.status && sql`status = ${f.status}`, f.campaignId && sql`campaign_id = ${f.campaignId}`].filter((c) => !!c);
    return {
      read: (before, walk) =>
        sql`SELECT ${cols}, to_address AS k FROM emails WHERE project_id = ${projectId} AND ${pinned('to_address', f.to!)} ${before} ORDER BY to_address, id DESC LIMIT ${walk}`,
      order: pinnedOrder,
      residual: checks.length > 0 ? sql.join(checks, sql` AND `) : undefined,
    };
  }
  if (f.campaignId) {
    // No index holds a campaign's emails in id order alone: one run of the index per status, each
    // of at most `walk` (limit + 1 here), sorted together.
    const statuses = f.status ? [f.status] : EMAIL_STATUSES;
    const run = (status: EmailStatus, before: RawBuilder<unknown>, walk: number) =>
      sql`(SELECT ${cols} FROM emails WHERE campaign_id = ${f.campaignId} AND ${pinned('status', sql.lit(status))} ${before} ORDER BY status, id DESC LIMIT ${walk})`;
    return {
      read: (before, walk) => sql`SELECT ${cols} FROM (${sql.join(statuses.map((s) => run(s, before, walk)), sql` UNION ALL `)}) AS runs ORDER BY id DESC LIMIT ${walk}`,
      order: sql`id DESC`,
    };
  }
  if (f.status && !UNINDEXED_STATUSES.has(f.status)) {
    // A literal, not a parameter: only then can the planner prove the status to be inside the
    // predicate of emails_project_rare_status and read that index.
    return {
      read: (before, walk) =>
        sql`SELECT ${cols}, status AS k FROM emails WHERE project_id = ${projectId} AND ${pinned('status', sql.lit(f.status))} ${before} ORDER BY status, id DESC LIMIT ${walk}`,
      order: pinnedOrder,
    };
  }
  return {
    read: (before, walk) => sql`SELECT ${cols}, project_id AS k FROM emails WHERE ${pinned('project_id', projectId)} ${before} ORDER BY project_id, id DESC LIMIT ${walk}`,
    order: pinnedOrder,
    residual: f.status ? sql`status = ${f.status}` : undefined,
  };
}

async function campaignInProject(db: Kysely<Database>, projectId: string, campaignId: string): Promise<boolean> {
  const row = await db.selectFrom('campaigns').select('id').where('id', '=', campaignId).where('project_id', '=', projectId).executeTakeFirst();
  return row !== undefined;
}

function knownStatus(status: string): EmailStatus {
  if (!isEmailStatus(status)) throw new Error(`unknown email status ${JSON.stringify(status)}`);
  return status;
}
