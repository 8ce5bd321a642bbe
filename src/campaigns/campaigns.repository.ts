// SQL on the campaigns table: insert, read with the derived status, list, lock, update, content.
import { sql, type Insertable, type Kysely, type RawBuilder, type Selectable, type Updateable } from 'kysely';
import type { CampaignsTable, Database } from '../store/database.ts';
import { PENDING_EMAIL_STATUSES } from './campaign-status.ts';

export type CampaignRow = Selectable<CampaignsTable>;
export type CampaignWithProgress = CampaignRow & { has_pending: boolean };

export async function insertCampaign(db: Kysely<Database>, row: CampaignRow): Promise<void> {
  const values: Insertable<CampaignsTable> = {
    ...row,
    headers: row.headers ? JSON.stringify(row.headers) : null,
    tags: row.tags ? JSON.stringify(row.tags) : null,
  };
  await db.insertInto('campaigns').values(values).execute();
}

// has_pending: recipients still staged, or an email still in the queue. The second is read from
// the campaign's status counters (migration 008), a few rows, not from its emails: an EXISTS over
// emails was planned as a sequential scan of the whole table whenever statistics said pending
// emails were common, and a finished campaign has none to stop it early (list-campaigns.test.ts).
const PENDING_COUNTERS = PENDING_EMAIL_STATUSES.map((s) => `status:${s}`);

// One expression for a campaign row of a list and for a single campaign (hasPendingEmails).
const hasPending = (campaignId: RawBuilder<unknown>) => sql<boolean>`(
  EXISTS (SELECT 1 FROM campaign_recipient_chunks WHERE campaign_id = ${campaignId})
  OR EXISTS (SELECT 1 FROM campaign_counters WHERE campaign_id = ${campaignId} AND counter IN (${sql.join(PENDING_COUNTERS)}) AND n > 0)
)`;

const selectWithProgress = (db: Kysely<Database>) =>
  db
    .selectFrom('campaigns')
    .selectAll('campaigns')
    .select(hasPending(sql.ref('campaigns.id')).as('has_pending'));

export async function findCampaign(db: Kysely<Database>, projectId: string, id: string): Promise<CampaignWithProgress | undefined> {
  return selectWithProgress(db).where('campaigns.project_id', '=', projectId).where('campaigns.id', '=', id).executeTakeFirst();
}

/** Newest first; `before` is the id of the last campaign of the previous page (ids sort by time). */
export async function listCampaigns(
  db: Kysely<Database>,
  projectId: string,
  page: { before?: string; limit: number },
): Promise<CampaignWithProgress[]> {
  return listCampaignsQuery(db, projectId, page).execute();
}

/** The statement of listCampaigns, for the test that reads its plan. */
export function listCampaignsQuery(db: Kysely<Database>, projectId: string, page: { before?: string; limit: number }) {
  let q = selectWithProgress(db).where('campaigns.project_id', '=', projectId);
  if (page.before) q = q.where('campaigns.id', '<', page.before);
  return q.orderBy('campaigns.id', 'desc').limit(page.limit);
}

/**
 * Locks the campaign row for the rest of the transaction: adding recipients, sending and
 * cancelling take this lock, so they never interleave on one campaign (dedupe relies on it).
 */
export async function lockCampaign(trx: Kysely<Database>, projectId: string, id: string): Promise<CampaignWithProgress | undefined> {
  const row = await trx.selectFrom('campaigns').selectAll().where('project_id', '=', projectId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) return undefined;
  return { ...row, has_pending: await hasPendingEmails(trx, id) };
}

export async function hasPendingEmails(db: Kysely<Database>, campaignId: string): Promise<boolean> {
  const row = await db.selectNoFrom(hasPending(sql`${campaignId}::uuid`).as('has_pending')).executeTakeFirstOrThrow();
  return row.has_pending;
}

export async function updateCampaign(trx: Kysely<Database>, id: string, patch: Updateable<CampaignsTable>): Promise<void> {
  await trx.updateTable('campaigns').set({ ...patch, updated_at: sql`now()` }).where('id', '=', id).execute();
}

export async function addToRecipientCount(trx: Kysely<Database>, id: string, added: number): Promise<void> {
  if (added === 0) return;
  await trx
    .updateTable('campaigns')
    .set((eb) => ({ recipient_count: eb('recipient_count', '+', added), updated_at: sql`now()` }))
    .where('id', '=', id)
    .execute();
}

export type CampaignContent = Pick<
  CampaignRow,
  'id' | 'from_address' | 'reply_to' | 'subject' | 'html' | 'text' | 'headers' | 'tags' | 'track_opens' | 'track_clicks'
>;

/** What the delivery worker needs to render a campaign email (the email row holds only `data`). */
export async function loadCampaignContent(db: Kysely<Database>, campaignId: string): Promise<CampaignContent | undefined> {
  return db
    .selectFrom('campaigns')
    .select(['id', 'from_address', 'reply_to', 'subject', 'html', 'text', 'headers', 'tags', 'track_opens', 'track_clicks'])
    .where('id', '=', campaignId)
    .executeTakeFirst();
}
