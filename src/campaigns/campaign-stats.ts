// Use case: GET /v1/campaigns/:id/stats: emails per status, counted engagement next to machine traffic, and the rates.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { EMAIL_STATUSES, type EmailStatus } from '../events/index.ts';
import { AppError } from '../shared/app-error.ts';
import { findCampaign } from './campaigns.repository.ts';
import { countStagedRecipients } from './campaign-emails.repository.ts';
import { campaignStatus, type CampaignStatus } from './campaign-status.ts';
import { readCampaignCounters } from './campaign-counters.repository.ts';
import { engagementOf, OPEN_RATE_NOTE, ratesOf, type CampaignEngagement, type CampaignRates } from './campaign-engagement.ts';

export type CampaignStats = {
  campaign_id: string;
  status: CampaignStatus;
  /** Recipients on the list; for a draft they are not emails yet, so `counts` stays at zero. */
  recipient_count: number;
  /** Recipients accepted and not yet turned into emails; counted as `queued` once sending. */
  preparing: number;
  counts: Record<EmailStatus, number> & { total: number };
  engagement: CampaignEngagement;
  rates: CampaignRates;
  notes: string[];
};

export async function campaignStats(db: Kysely<Database>, projectId: string, id: string): Promise<CampaignStats> {
  const c = await findCampaign(db, projectId, id);
  if (!c) throw new AppError('not_found', 'No such campaign');
  const { byStatus, engagement: engaged, uncounted } = await readCampaignCounters(db, id);
  const staged = c.status === 'draft' ? 0 : await countStagedRecipients(db, id);
  const counts = Object.fromEntries(EMAIL_STATUSES.map((s) => [s, byStatus.get(s) ?? 0])) as Record<EmailStatus, number>;
  // Staged recipients of a sending campaign are queued in all but name: accepted, to be sent.
  if (staged > 0) counts[c.status === 'scheduled' ? 'scheduled' : 'queued'] += staged;
  const total = [...byStatus.values()].reduce((a, b) => a + b, 0) + staged;
  const engagement = engagementOf(engaged, uncounted);
  return {
    campaign_id: id,
    status: campaignStatus(c.status, c.scheduled_at, c.has_pending),
    recipient_count: c.recipient_count,
    preparing: staged,
    counts: { ...counts, total },
    engagement,
    rates: ratesOf(engagement, counts),
    notes: [OPEN_RATE_NOTE],
  };
}
