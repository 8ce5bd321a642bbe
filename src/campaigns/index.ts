// TEMPORARY shim (replaced by the campaigns domain): what delivery reads of a campaign.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';

export async function loadCampaignContent(db: Kysely<Database>, campaignId: string) {
  return db
    .selectFrom('campaigns')
    .select(['id', 'from_address', 'reply_to', 'subject', 'html', 'text', 'headers', 'tags', 'track_opens', 'track_clicks'])
    .where('id', '=', campaignId)
    .executeTakeFirst();
}
