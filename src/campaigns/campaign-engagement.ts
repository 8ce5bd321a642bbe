// A campaign's engagement and its rates (delivery, open, click, reply, bounce ...), from status counts and engagement counts.
import type { EngagementRow } from './campaign-counters.repository.ts';

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

export type CampaignRates = Record<
  'delivery' | 'open' | 'click_to_open' | 'click_through' | 'reply' | 'bounce' | 'bounce_hard' | 'bounce_soft' | 'complaint' | 'unsubscribe',
  number | null
>;

export const OPEN_RATE_NOTE =
  'Open counts are a lower bound: privacy proxies (Apple Mail Privacy Protection, image caches) hide some real opens, and machine fetches are not counted.';

export function engagementOf(row: EngagementRow, uncounted: Array<{ kind: 'open' | 'click'; why: string; n: number }>): CampaignEngagement {
  const machine: CampaignEngagement['machine'] = { opens: {}, clicks: {} };
  const coalesced = { opens: 0, clicks: 0 };
  for (const u of uncounted) {
    const plural = u.kind === 'open' ? 'opens' : 'clicks';
    if (u.why === 'coalesced') coalesced[plural] += u.n;
    else machine[plural][u.why] = (machine[plural][u.why] ?? 0) + u.n;
  }
  return {
    opens: { unique: row.openers, total: row.opens, backfilled: row.backfilled_opens },
    clicks: { unique: row.clickers, total: row.clicks },
    machine,
    coalesced,
    replies: { human: row.replies, repliers: row.repliers, auto: row.auto_replies },
    complaints: row.complainers,
    unsubscribes: row.unsubscribers,
    bounces: { total: row.bounced, hard: row.hard_bounced, soft: row.bounced - row.hard_bounced },
  };
}

const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null);

/**
 * Delivery and bounce rates are over sent, click-to-open over openers, the others over delivered.
 * `sent` is every email handed to the next hop, whatever happened after:
 * status sent, delivered or bounced (a bounce is a sent email that failed). Rates are fractions
 * (0.2531 = 25.31 %), null when their denominator is zero.
 */
export function ratesOf(e: CampaignEngagement, status: { sent: number; delivered: number; bounced: number }): CampaignRates {
  const sent = status.sent + status.delivered + status.bounced;
  const delivered = status.delivered;
  return {
    delivery: ratio(delivered, sent),
    open: ratio(e.opens.unique, delivered),
    click_to_open: ratio(e.clicks.unique, e.opens.unique),
    click_through: ratio(e.clicks.unique, delivered),
    reply: ratio(e.replies.repliers, delivered),
    bounce: ratio(e.bounces.total, sent),
    bounce_hard: ratio(e.bounces.hard, sent),
    bounce_soft: ratio(e.bounces.soft, sent),
    complaint: ratio(e.complaints, delivered),
    unsubscribe: ratio(e.unsubscribes, delivered),
  };
}
