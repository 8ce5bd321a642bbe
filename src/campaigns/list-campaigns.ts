// Use cases: read one campaign, or a page of the project's campaigns, newest first.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { AppError } from '../shared/app-error.ts';
import { findCampaign, listCampaigns } from './campaigns.repository.ts';
import { campaignJson, campaignSummaryJson, type CampaignJson, type CampaignSummaryJson } from './campaign-view.ts';

export async function getCampaign(db: Kysely<Database>, projectId: string, id: string): Promise<CampaignJson> {
  const c = await findCampaign(db, projectId, id);
  if (!c) throw new AppError('not_found', 'No such campaign');
  return campaignJson(c);
}

/** `before` is the id of the last campaign of the previous page; `next` is set when more follow. */
export async function listCampaignPage(
  db: Kysely<Database>,
  projectId: string,
  page: { before?: string; limit: number },
): Promise<{ data: CampaignSummaryJson[]; next: string | null }> {
  const rows = await listCampaigns(db, projectId, { before: page.before, limit: page.limit + 1 });
  const shown = rows.slice(0, page.limit);
  return { data: shown.map(campaignSummaryJson), next: rows.length > page.limit ? shown[shown.length - 1]!.id : null };
}
