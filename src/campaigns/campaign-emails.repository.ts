// Bulk SQL for a campaign's recipients: emails and their events by the thousand, the draft list,
// status counts and cancellation. Raw SQL throughout: Kysely has no `unnest` batch insert.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { appendEvents, isCancellableSql, type NewEvent } from '../events/index.ts';
import { missingDataFields, PRIORITY } from '../sending/index.ts';
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
  /** The data placeholders of the campaign's templates (templateDataFields). */
  dataFields: string[];
  /** What an email whose data lacks one of them becomes: sent with it empty, or rejected. */
  onMissingField: 'send' | 'reject';
};

/**
 * Inserts one email per recipient and its queued/scheduled event in one statement; returns how
 * many were inserted. Campaign emails keep no subject or body: the worker renders the campaign's.
 * Recipients come deduplicated from the staged list (stageRecipients). One whose data lacks a
 * templated field gets `missing_fields` in that event's metadata, or, when the campaign rejects
 * such recipients, is `rejected` at once with one rejected event saying why.
 */
export async function insertCampaignEmails(trx: Kysely<Database>, t: EmailTarget, batch: RecipientBatch): Promise<number> {
  if (batch.emails.length === 0) return 0;
  const ids = newIds(batch.emails.length);
  const outcomes = missingFieldOutcomes(t, batch);
  const values = sql`
    ${t.projectId}, ${t.campaignId}, ${t.fromAddress}, r.to_address, ${t.tags}::jsonb, r.data, ${t.trackOpens}, ${t.trackClicks}
  `;
  const messageId = sql`'<' || r.id || ${`@${t.messageIdDomain}>`}`;
  const status = (i: number) => (outcomes?.statuses[i] ?? t.status) as 'queued' | 'scheduled' | 'rejected';
  const events = ids.map((id, i): NewEvent => ({ projectId: t.projectId, emailId: id, type: status(i), metadata: outcomes?.metadata[i] ?? undefined }));
  // Recipients that all have their fields share one status: the plain statement; otherwise each
  // row carries its own.
  const insert = !outcomes
    ? sql`
      INSERT INTO emails (id, project_id, campaign_id, from_address, to_address, tags, data, track_opens, track_clicks,
                          status, priority, scheduled_at, next_attempt_at, message_id)
      SELECT r.id, ${values}, ${t.status}, ${PRIORITY.campaign}, ${t.scheduledAt}::timestamptz,
             coalesce(${t.scheduledAt}::timestamptz, now()), ${messageId}
      FROM unnest(${ids}::uuid[], ${batch.emails}::text[], ${batch.data}::jsonb[]) AS r(id, to_address, data)
    `
    : sql`
      INSERT INTO emails (id, project_id, campaign_id, from_address, to_address, tags, data, track_opens, track_clicks,
                          status, priority, scheduled_at, next_attempt_at, message_id)
      SELECT r.id, ${values}, r.status, ${PRIORITY.campaign}, ${t.scheduledAt}::timestamptz,
             CASE WHEN r.status <> 'rejected' THEN coalesce(${t.scheduledAt}::timestamptz, now()) END, ${messageId}
      FROM unnest(${ids}::uuid[], ${batch.emails}::text[], ${batch.data}::jsonb[], ${outcomes.statuses}::text[])
        AS r(id, to_address, data, status)
    `;
  await appendEvents(trx, events, insert);
  return ids.length;
}

/**
 * Each recipient's status and first event's metadata (null: none) as far as missing template data
 * goes; undefined when no recipient of the batch misses a field.
 */
type MissingFieldOutcomes = { statuses: string[]; metadata: Array<Record<string, unknown> | null> };

function missingFieldOutcomes(t: EmailTarget, batch: RecipientBatch): MissingFieldOutcomes | undefined {
  if (t.dataFields.length === 0) return undefined;
  let outcomes: MissingFieldOutcomes | undefined;
  batch.data.forEach((json, i) => {
    const missing = missingDataFields(t.dataFields, json === null ? null : (JSON.parse(json) as Record<string, unknown> | null));
    if (missing.length === 0) return;
    outcomes ??= { statuses: new Array<string>(batch.emails.length).fill(t.status), metadata: new Array<Record<string, unknown> | null>(batch.emails.length).fill(null) };
    if (t.onMissingField === 'reject') {
      outcomes.statuses[i] = 'rejected';
      outcomes.metadata[i] = { reason: 'missing_fields', missing_fields: missing };
    } else {
      outcomes.metadata[i] = { missing_fields: missing };
    }
  });
  return outcomes;
}

/**
 * Appends recipients to the campaign's waiting list, one chunk row per batch; the caller has
 * deduplicated them against the list and the campaign's emails, under the campaign lock.
 */
export async function stageRecipients(trx: Kysely<Database>, campaignId: string, batch: RecipientBatch): Promise<number> {
  if (batch.emails.length === 0) return 0;
  await trx.insertInto('campaign_recipient_chunks').values({ campaign_id: campaignId, emails: batch.emails, data: batch.data }).execute();
  return batch.emails.length;
}

/** Removes and returns the oldest waiting chunk of the campaign (undefined: none left). */
export async function takeStagedChunk(trx: Kysely<Database>, campaignId: string): Promise<RecipientBatch | undefined> {
  const { rows } = await sql<{ emails: string[]; data: (string | null)[] }>`
    DELETE FROM campaign_recipient_chunks
    WHERE id = (SELECT id FROM campaign_recipient_chunks WHERE campaign_id = ${campaignId} ORDER BY id LIMIT 1)
    RETURNING emails, data
  `.execute(trx);
  return rows[0];
}

/** Every address waiting on the campaign's list, to deduplicate an upload against. */
export async function stagedAddresses(trx: Kysely<Database>, campaignId: string): Promise<Set<string>> {
  const { rows } = await sql<{ email: string }>`
    SELECT unnest(emails) AS email FROM campaign_recipient_chunks WHERE campaign_id = ${campaignId}
  `.execute(trx);
  return new Set(rows.map((r) => r.email));
}

/**
 * Which of `emails` the campaign already has an email for: each address looked up on its own in
 * emails_project_to, then narrowed to the campaign. Asked for the campaign's emails among those
 * addresses in one condition, a planner without statistics read all of the project's emails for
 * every chunk of an upload instead (list-campaigns.test.ts); OFFSET 0 keeps the campaign's
 * condition out of the lookup, so the only cheap plan left is the index.
 */
export async function addressesWithEmails(trx: Kysely<Database>, projectId: string, campaignId: string, emails: string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const { rows } = await addressesWithEmailsStatement(projectId, campaignId, emails).execute(trx);
  return new Set(rows.map((r) => r.to_address));
}

/** The statement of addressesWithEmails, for the test that counts the rows it reads. */
export function addressesWithEmailsStatement(projectId: string, campaignId: string, emails: string[]) {
  return sql<{ to_address: string }>`
    SELECT DISTINCT e.to_address
    FROM unnest(${emails}::text[]) AS a(address)
    CROSS JOIN LATERAL (
      SELECT to_address, campaign_id FROM emails WHERE project_id = ${projectId} AND to_address = a.address OFFSET 0
    ) AS e
    WHERE e.campaign_id = ${campaignId}
  `;
}

/** Recipients of a campaign staged and not yet emails. */
export async function countStagedRecipients(db: Kysely<Database>, campaignId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT coalesce(sum(cardinality(emails)), 0)::int AS n FROM campaign_recipient_chunks WHERE campaign_id = ${campaignId}
  `.execute(db);
  return rows[0]?.n ?? 0;
}

/** Drops the list still waiting (a cancelled campaign sends nothing more); returns how many. */
export async function dropStagedRecipients(trx: Kysely<Database>, campaignId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    WITH dropped AS (DELETE FROM campaign_recipient_chunks WHERE campaign_id = ${campaignId} RETURNING cardinality(emails) AS n)
    SELECT coalesce(sum(n), 0)::int AS n FROM dropped
  `.execute(trx);
  return rows[0]?.n ?? 0;
}

/** Ids of the campaign's emails a cancel may still stop (queued or scheduled, no live lease). */
export async function findCancellableEmailIds(trx: Kysely<Database>, campaignId: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM emails
    WHERE campaign_id = ${campaignId} AND ${isCancellableSql(sql.ref('status'))} AND (locked_until IS NULL OR locked_until < now())
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
  const { rows } = await sql<{ id: string }>`
    UPDATE emails SET status = 'cancelled', next_attempt_at = NULL, updated_at = now()
    WHERE id = ANY(${ids}::uuid[]) AND ${isCancellableSql(sql.ref('status'))} AND (locked_until IS NULL OR locked_until < now())
    RETURNING id
  `.execute(trx);
  await appendEvents(trx, rows.map((r) => ({ projectId, emailId: r.id, type: 'cancelled', metadata: { by: 'api', campaign: true } })));
  return rows.length;
}
