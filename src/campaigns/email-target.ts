// What a campaign's emails share, derived from the campaign row.
import { domainOf, parseMailbox, templateDataFields } from '../sending/index.ts';
import type { CampaignRow } from './campaigns.repository.ts';
import type { EmailTarget } from './campaign-emails.repository.ts';

/** Emails are `scheduled` until `scheduledAt` when it is given, `queued` (due now) otherwise. */
export function emailTargetOf(c: CampaignRow, scheduledAt: Date | null): EmailTarget {
  return {
    projectId: c.project_id,
    campaignId: c.id,
    fromAddress: c.from_address,
    // Stored formatted ("Name" <a@b.c>): parse to get the domain for <id@domain> message ids.
    messageIdDomain: domainOf(parseMailbox(c.from_address, 'from').address),
    tags: c.tags ? JSON.stringify(c.tags) : null,
    trackOpens: c.track_opens,
    trackClicks: c.track_clicks,
    status: scheduledAt ? 'scheduled' : 'queued',
    scheduledAt,
    dataFields: templateDataFields(c.subject, c.html, c.text),
    onMissingField: c.on_missing_field,
  };
}

/** A campaign's scheduled_at when it is still ahead, null when its emails are due now. */
export const futureScheduleOf = (c: CampaignRow, now = Date.now()): Date | null =>
  c.scheduled_at && c.scheduled_at.getTime() > now ? c.scheduled_at : null;
