// The rates, counted in one place: a campaign's stats, each point of a series and each group of
// /v1/stats all divide with ratesOf.

export const RATE_NAMES = [
  'delivery', 'open', 'click_to_open', 'click_through', 'reply', 'bounce', 'bounce_hard', 'bounce_soft', 'complaint', 'unsubscribe',
] as const;
export type RateName = (typeof RATE_NAMES)[number];
export type Rates = Record<RateName, number | null>;

/** What the rates divide: emails (sent, delivered, bounced by type) and people (emails with a counted open ...). */
export type RateCounts = {
  sent: number;
  delivered: number;
  hard_bounced: number;
  soft_bounced: number;
  openers: number;
  clickers: number;
  repliers: number;
  complainers: number;
  unsubscribers: number;
};

export const OPEN_RATE_NOTE =
  'Open counts are a lower bound: privacy proxies (Apple Mail Privacy Protection, image caches) hide some real opens, and machine fetches are not counted.';

/** A fraction rounded to 4 places (0.2531 = 25.31 %); null when there is nothing to divide by. */
export const ratio = (n: number, d: number): number | null => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null);

/**
 * Delivery and bounce rates are over sent (every email handed to a mail server, a bounce at the
 * SMTP transaction included), click-to-open over openers, the others over delivered.
 */
export function ratesOf(c: RateCounts): Rates {
  return {
    delivery: ratio(c.delivered, c.sent),
    open: ratio(c.openers, c.delivered),
    click_to_open: ratio(c.clickers, c.openers),
    click_through: ratio(c.clickers, c.delivered),
    reply: ratio(c.repliers, c.delivered),
    bounce: ratio(c.hard_bounced + c.soft_bounced, c.sent),
    bounce_hard: ratio(c.hard_bounced, c.sent),
    bounce_soft: ratio(c.soft_bounced, c.sent),
    complaint: ratio(c.complainers, c.delivered),
    unsubscribe: ratio(c.unsubscribers, c.delivered),
  };
}
