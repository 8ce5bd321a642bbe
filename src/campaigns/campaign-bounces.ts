// Use case: GET /v1/campaigns/:id/bounces: why the campaign's emails bounced, by type and reason,
// with one server reply as an example of each.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { AppError } from '../shared/app-error.ts';
import { findCampaign } from './campaigns.repository.ts';
import { readBounceReasons } from './campaign-bounces.repository.ts';

/** Bounced emails read at most: enough for every reason that matters, at a cost that does not grow. */
export const MAX_BOUNCES_READ = 10_000;

export type CampaignBounces = {
  campaign_id: string;
  data: Array<{ bounce_type: string | null; reason: string | null; emails: number; example: string | null }>;
  /** Bounced emails read; when it equals `limit`, older bounces are not in `data`. */
  emails_read: number;
  limit: number;
};

export async function campaignBounces(db: Kysely<Database>, projectId: string, id: string, limit = MAX_BOUNCES_READ): Promise<CampaignBounces> {
  if (!(await findCampaign(db, projectId, id))) throw new AppError('not_found', 'No such campaign');
  const { rows, emailsRead } = await readBounceReasons(db, projectId, id, limit);
  return { campaign_id: id, data: rows, emails_read: emailsRead, limit };
}
