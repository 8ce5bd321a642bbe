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
 * What each rate divides: the sum of its numerator's counts over its denominator. Delivery and
 * bounce rates are over sent (every email handed to a mail server, a bounce at the SMTP transaction
 * included), click-to-open over openers, the others over delivered.
 */
const RATE_PARTS: Record<RateName, readonly [numerator: readonly (keyof RateCounts)[], denominator: keyof RateCounts]> = {
  delivery: [['delivered'], 'sent'],
  open: [['openers'], 'delivered'],
  click_to_open: [['clickers'], 'openers'],
  click_through: [['clickers'], 'delivered'],
  reply: [['repliers'], 'delivered'],
  bounce: [['hard_bounced', 'soft_bounced'], 'sent'],
  bounce_hard: [['hard_bounced'], 'sent'],
  bounce_soft: [['soft_bounced'], 'sent'],
  complaint: [['complainers'], 'delivered'],
  unsubscribe: [['unsubscribers'], 'delivered'],
};

export function ratesOf(c: RateCounts): Rates {
  const rates = {} as Rates;
  for (const name of RATE_NAMES) {
    const [numerator, denominator] = RATE_PARTS[name];
    let n = 0;
    for (const part of numerator) n += c[part];
    rates[name] = ratio(n, c[denominator]);
  }
  return rates;
}

/** The rates of each bucket of a series, from its counts as columns (a value per bucket). */
export function rateColumns(c: Readonly<Record<keyof RateCounts, readonly number[]>>, length: number): Record<RateName, Array<number | null>> {
  const columns = {} as Record<RateName, Array<number | null>>;
  for (const name of RATE_NAMES) {
    const [numerator, denominator] = RATE_PARTS[name];
    const parts = numerator.map((part) => c[part]);
    const d = c[denominator];
    const column = new Array<number | null>(length);
    for (let i = 0; i < length; i++) {
      let n = 0;
      for (const part of parts) n += part[i]!;
      column[i] = ratio(n, d[i]!);
    }
    columns[name] = column;
  }
  return columns;
}
