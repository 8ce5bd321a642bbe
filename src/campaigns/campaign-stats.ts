// Use cases: GET /v1/campaigns/:id/stats (emails per status, counted engagement next to machine
// traffic, the rates, a time series, mailbox providers and mail apps) and GET /v1/campaigns/:id/links.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { EMAIL_STATUSES, type EmailStatus } from '../events/index.ts';
import { AppError } from '../shared/app-error.ts';
import {
  OPEN_RATE_NOTE, ratesOf, readCampaignRollups, readLinks,
  type CampaignRollups, type PeriodInput, type PeriodJson, type ProviderStats, type Rates, type StatsSeries,
} from '../analytics/index.ts';
import { findCampaign } from './campaigns.repository.ts';
import { countStagedRecipients } from './campaign-emails.repository.ts';
import { campaignStatus, type CampaignStatus } from './campaign-status.ts';
import { readStatusCounts } from './campaign-counters.repository.ts';
import { engagementOf, type CampaignEngagement } from './campaign-engagement.ts';

export type CampaignStats = {
  campaign_id: string;
  status: CampaignStatus;
  /** Recipients on the list; for a draft they are not emails yet, so `counts` stays at zero. */
  recipient_count: number;
  /** Recipients accepted and not yet turned into emails; counted as `queued` once sending. */
  preparing: number;
  counts: Record<EmailStatus, number> & { total: number };
  engagement: CampaignEngagement;
  rates: Rates;
  period: PeriodJson;
  series: StatsSeries;
  providers: ProviderStats[];
  clients: CampaignRollups['clients'];
  notes: string[];
};

export const ROLLUP_NOTE =
  'Engagement, series, providers and clients are read from rollups of the event log, which the scheduler role folds in as events arrive (within a second or so); counts per status are exact at once.';

export async function campaignStats(db: Kysely<Database>, projectId: string, id: string, period: PeriodInput = {}, now = new Date()): Promise<CampaignStats> {
  const c = await findCampaign(db, projectId, id);
  if (!c) throw new AppError('not_found', 'No such campaign');
  const [byStatus, staged, rollups] = await Promise.all([
    readStatusCounts(db, id),
    c.status === 'draft' ? 0 : countStagedRecipients(db, id),
    readCampaignRollups(db, projectId, id, period, { from: new Date(c.created_at), to: now }),
  ]);
  const counts = Object.fromEntries(EMAIL_STATUSES.map((s) => [s, byStatus.get(s) ?? 0])) as Record<EmailStatus, number>;
  // Staged recipients of a sending campaign are queued in all but name: accepted, to be sent.
  if (staged > 0) counts[c.status === 'scheduled' ? 'scheduled' : 'queued'] += staged;
  const total = [...byStatus.values()].reduce((a, b) => a + b, 0) + staged;

  const engagement = engagementOf(rollups.totals);
  return {
    campaign_id: id,
    status: campaignStatus(c.status, c.scheduled_at, c.has_pending),
    recipient_count: c.recipient_count,
    preparing: staged,
    counts: { ...counts, total },
    engagement,
    rates: campaignRates(counts, engagement),
    period: rollups.period,
    series: rollups.series,
    providers: rollups.providers,
    clients: rollups.clients,
    notes: [OPEN_RATE_NOTE, ROLLUP_NOTE, ...rollups.notes],
  };
}

/**
 * The campaign's rates divide by its exact counts per status: sent is every email handed to a mail
 * server, whatever happened next (status sent, delivered or bounced), delivered those whose status
 * is delivered. The series and providers divide by the rollups' own sent and delivered.
 */
function campaignRates(counts: Record<EmailStatus, number>, e: CampaignEngagement): Rates {
  return ratesOf({
    sent: counts.sent + counts.delivered + counts.bounced,
    delivered: counts.delivered,
    hard_bounced: e.bounces.hard,
    soft_bounced: e.bounces.soft,
    openers: e.opens.unique,
    clickers: e.clicks.unique,
    repliers: e.replies.repliers,
    complainers: e.complaints,
    unsubscribers: e.unsubscribes,
  });
}

export type CampaignLink = { index: number; url: string; unique: number; total: number };

/** The campaign's tracked links with counted clicks: unique = emails that clicked, most clicked first. */
export async function campaignLinks(db: Kysely<Database>, projectId: string, id: string): Promise<{ campaign_id: string; data: CampaignLink[] }> {
  const c = await findCampaign(db, projectId, id);
  if (!c) throw new AppError('not_found', 'No such campaign');
  const rows = await readLinks(db, projectId, id);
  return { campaign_id: id, data: rows.map((r) => ({ index: r.link_index, url: r.url, unique: r.clickers, total: r.clicks })) };
}
