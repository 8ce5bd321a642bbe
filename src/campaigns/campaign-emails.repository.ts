// Bulk SQL for a campaign's recipients: emails and their events by the thousand, the draft list,
// status counts and cancellation. Raw SQL throughout: Kysely has no `unnest` batch insert.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { PRIORITY } from '../sending/index.ts';
import { newIds } from './bulk-ids.ts';

/** Recipients in column form, the shape `unnest` takes; `data` is JSON text or null. */
export type RecipientBatch = { emails: string[]; data: (string | null)[] };

/** What every email of one campaign insert shares. */
export type EmailTarget = {
  projectId: string;
  campaignId: string;
  fromAddress: string;
  messageIdDomain: string;
  tags: string | null;
  trackOpens: boolean;
  trackClicks: boolean;
  status: 'queued' | 'scheduled';
  scheduledAt: Date | null;
};

/**
 * Inserts one email per recipient and its queued/scheduled event in one statement; returns how
 * many were inserted. Campaign emails keep no subject or body: the worker renders the campaign's.
 * Recipients come deduplicated from the staged list (stageRecipients).
 */
export async function insertCampaignEmails(trx: Kysely<Database>, t: EmailTarget, batch: RecipientBatch): Promise<number> {
  if (batch.emails.length === 0) return 0;
  const ids = newIds(batch.emails.length);
  const result = await sql`
    WITH inserted AS (
      INSERT INTO emails (id, project_id, campaign_id, from_address, to_address, tags, data, track_opens, track_clicks,
                          status, priority, scheduled_at, next_attempt_at, message_id)
      SELECT r.id, ${t.projectId}, ${t.campaignId}, ${t.fromAddress}, r.to_address, ${t.tags}::jsonb, r.data,
             ${t.trackOpens}, ${t.trackClicks}, ${t.status}, ${PRIORITY.campaign}, ${t.scheduledAt}::timestamptz,
             coalesce(${t.scheduledAt}::timestamptz, now()), '<' || r.id || ${`@${t.messageIdDomain}>`}
      FROM unnest(${ids}::uuid[], ${batch.emails}::text[], ${batch.data}::jsonb[]) AS r(id, to_address, data)
      RETURNING id
    )
    INSERT INTO events (project_id, email_id, event_type) SELECT ${t.projectId}, id, ${t.status} FROM inserted
  `.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * Adds to a campaign's list of recipients waiting to become emails; an address already on it is
 * skipped, and with `projectId` also one the campaign already has an email for (the caller holds
 * the campaign lock, as the expander does, so nothing slips in between). Returns how many were added.
 */
export async function stageRecipients(
  trx: Kysely<Database>,
  campaignId: string,
  batch: RecipientBatch,
  skipEmailsOfProject?: string,
): Promise<number> {
  if (batch.emails.length === 0) return 0;
  const skipExisting = skipEmailsOfProject
    ? sql`WHERE NOT EXISTS (SELECT 1 FROM emails e WHERE e.project_id = ${skipEmailsOfProject} AND e.to_address = r.email AND e.campaign_id = ${campaignId})`
    : sql``;
  const result = await sql`
    INSERT INTO campaign_recipients (campaign_id, email, data)
    SELECT ${campaignId}, r.email, r.data FROM unnest(${batch.emails}::text[], ${batch.data}::jsonb[]) AS r(email, data)
    ${skipExisting}
    ON CONFLICT DO NOTHING
  `.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

/** Drops the list still waiting (a cancelled campaign sends nothing more); returns how many. */
export async function dropStagedRecipients(trx: Kysely<Database>, campaignId: string): Promise<number> {
  const result = await trx.deleteFrom('campaign_recipients').where('campaign_id', '=', campaignId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Removes and returns the next `limit` recipients of a draft after `after` in address order, and
 * the last address taken (compared in SQL, so the database's collation decides the order). The
 * keyset walk on the primary key never revisits the rows this transaction already deleted.
 */
export async function takeStagedRecipients(
  trx: Kysely<Database>,
  campaignId: string,
  after: string,
  limit: number,
): Promise<RecipientBatch & { last: string | undefined }> {
  const { rows } = await sql<{ email: string; data: string | null; last: string }>`
    WITH chunk AS (
      SELECT email FROM campaign_recipients WHERE campaign_id = ${campaignId} AND email > ${after} ORDER BY email LIMIT ${limit}
    ), taken AS (
      DELETE FROM campaign_recipients r USING chunk WHERE r.campaign_id = ${campaignId} AND r.email = chunk.email
      RETURNING r.email, r.data
    )
    SELECT email, data::text AS data, (SELECT max(email) FROM chunk) AS last FROM taken
  `.execute(trx);
  return { emails: rows.map((r) => r.email), data: rows.map((r) => r.data), last: rows[0]?.last };
}

/** Recipients of a campaign staged and not yet emails. */
export async function countStagedRecipients(db: Kysely<Database>, campaignId: string): Promise<number> {
  const row = await db
    .selectFrom('campaign_recipients')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Ids of the campaign's emails a cancel may still stop (queued or scheduled, no live lease). */
export async function findCancellableEmailIds(trx: Kysely<Database>, campaignId: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM emails
    WHERE campaign_id = ${campaignId} AND status IN ('queued', 'scheduled') AND (locked_until IS NULL OR locked_until < now())
  `.execute(trx);
  return rows.map((r) => r.id);
}

/**
 * Cancels the given emails that are still queued or scheduled and unleased, with one `cancelled`
 * event each; the conditions are checked again on the row, so a worker's claim since the lookup
 * wins and that email is sent rather than both sent and cancelled.
 */
export async function cancelEmailsById(trx: Kysely<Database>, projectId: string, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await sql`
    WITH cancelled AS (
      UPDATE emails SET status = 'cancelled', next_attempt_at = NULL, updated_at = now()
      WHERE id = ANY(${ids}::uuid[]) AND status IN ('queued', 'scheduled') AND (locked_until IS NULL OR locked_until < now())
      RETURNING id
    )
    INSERT INTO events (project_id, email_id, event_type, metadata)
    SELECT ${projectId}, id, 'cancelled', ${JSON.stringify({ by: 'api', campaign: true })}::jsonb FROM cancelled
  `.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

/** Emails per status: one GROUP BY over the emails_campaign (campaign_id, status) index. */
export async function countEmailsByStatus(db: Kysely<Database>, campaignId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('emails')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('campaign_id', '=', campaignId)
    .groupBy('status')
    .execute();
  return new Map(rows.map((r) => [r.status, Number(r.n)]));
}
