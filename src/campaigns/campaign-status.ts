// The status a campaign shows: stored for what the API decided, derived for what the queue did.

/** What the campaigns table stores; "completed" is never stored because new recipients may follow. */
export type StoredCampaignStatus = 'draft' | 'scheduled' | 'sending' | 'paused' | 'cancelled';
export type CampaignStatus = StoredCampaignStatus | 'completed';

/** Email statuses that mean the campaign still has work in the queue. */
export const PENDING_EMAIL_STATUSES = ['queued', 'scheduled', 'delivery_delayed'] as const;

/**
 * draft, paused (by an alert, until resumed) and cancelled are as stored; scheduled holds until scheduled_at; after that the campaign
 * is sending while any email is queued, scheduled or delivery_delayed, and completed once none is.
 */
export function campaignStatus(
  stored: string,
  scheduledAt: Date | null,
  hasPendingEmails: boolean,
  now: number = Date.now(),
): CampaignStatus {
  if (stored === 'draft' || stored === 'paused' || stored === 'cancelled') return stored;
  if (stored === 'scheduled' && scheduledAt && scheduledAt.getTime() > now) return 'scheduled';
  return hasPendingEmails ? 'sending' : 'completed';
}
