// The JSON shapes the API returns for a campaign: a summary for lists, the whole for one.
import type { CampaignWithProgress } from './campaigns.repository.ts';
import { campaignStatus } from './campaign-status.ts';

export function campaignSummaryJson(c: CampaignWithProgress) {
  return {
    id: c.id,
    object: 'campaign' as const,
    name: c.name,
    from: c.from_address,
    reply_to: c.reply_to,
    subject: c.subject,
    status: campaignStatus(c.status, c.scheduled_at, c.has_pending),
    paused_at: c.paused_at?.toISOString() ?? null,
    paused_reason: c.paused_reason,
    scheduled_at: c.scheduled_at?.toISOString() ?? null,
    recipient_count: c.recipient_count,
    tags: c.tags ?? [],
    track_opens: c.track_opens,
    track_clicks: c.track_clicks,
    created_at: c.created_at.toISOString(),
    updated_at: c.updated_at.toISOString(),
  };
}

export function campaignJson(c: CampaignWithProgress) {
  return { ...campaignSummaryJson(c), html: c.html, text: c.text, headers: c.headers ?? {}, on_missing_field: c.on_missing_field };
}

export type CampaignSummaryJson = ReturnType<typeof campaignSummaryJson>;
export type CampaignJson = ReturnType<typeof campaignJson>;
