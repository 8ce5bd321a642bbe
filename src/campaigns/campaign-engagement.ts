// A campaign's engagement as its stats have always shown it, from the rollups' totals.
import type { Tally } from '../analytics/index.ts';

export type CampaignEngagement = {
  /** Counted by people: unique = emails with at least one counted open (a back-filled one included). */
  opens: { unique: number; total: number; backfilled: number };
  /** unique = clickers (emails with a counted click); total = counted clicks. */
  clicks: { unique: number; total: number };
  /** Machine traffic, not counted, by the classifier's reason (apple_mpp, proxy_prefetch, scanner, network ...). */
  machine: { opens: Record<string, number>; clicks: Record<string, number> };
  /** A person's repeats within the coalescing window: theirs, but not counted again. */
  coalesced: { opens: number; clicks: number };
  replies: { human: number; repliers: number; auto: number };
  complaints: number;
  unsubscribes: number;
  bounces: { total: number; hard: number; soft: number };
};

export function engagementOf(t: Tally): CampaignEngagement {
  const c = t.counters;
  return {
    opens: { unique: c.openers, total: c.opens, backfilled: c.backfilled_opens },
    clicks: { unique: c.clickers, total: c.clicks },
    machine: t.byWhy,
    coalesced: { opens: c.coalesced_opens, clicks: c.coalesced_clicks },
    replies: { human: c.replies, repliers: c.repliers, auto: c.auto_replies },
    complaints: c.complainers,
    unsubscribes: c.unsubscribers,
    bounces: { total: c.hard_bounced + c.soft_bounced, hard: c.hard_bounced, soft: c.soft_bounced },
  };
}
