// What counts, decided once: an email's events (its own log, in id order) folded into what it adds to
// the rollups. Everything a stat shows goes through here: a counted open or click (the verdict in
// force, a reclassification included), a back-filled open, a unique person (an email counts once,
// in the hour of its first counted open, click, human reply ...), an auto-reply that is not a reply,
// a bounce (final by construction: a soft bounce is written only when retries run out, deferrals
// are `delivery_delayed`), machine traffic by `why`, and a person's coalesced repeats apart.
//
// Pure and per email: rollups take the difference between an email's tally before and after the
// events of a batch, so a late event, a reclassification or a re-run of the same batch after a
// crash all come out right (see rollups/fold-batch.ts).
import { verdictsInForce } from '../events/index.ts';
import type { StatsHourlyCounter } from '../store/database.ts';

export type PolicyEvent = { id: number; event_type: string; metadata: Record<string, unknown>; created_at: Date };

/**
 * What one email adds to the rollups, as counts by key: `h|<hour ms>|<counter>` (stats_hourly),
 * `m|<hour ms>|<kind>|<why>` (machine traffic), `c|<day>|<kind>|<user agent>` (clients, a counted hit's
 * UA: the reader names its client), `l|<link index>|clicks|clickers` (links). `urls` gives each link
 * index the first URL clicked through it.
 */
export type EmailTally = { counts: Map<string, number>; urls: Map<number, string> };

const HOUR_MS = 3_600_000;
/** The classifier's `why` for a person's repeat within the coalescing window. */
export const COALESCED = 'coalesced';
/** The classifier's `why` for a back-filled open once the person's real open arrived. */
export const BACKFILL_REPLACED = 'backfill_replaced';
export const hourOf = (at: Date): number => Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
const dayOf = (at: Date): string => at.toISOString().slice(0, 10);

/** The counter an email's first event of a type makes it count in, once. */
const EMAIL_MILESTONES: Readonly<Record<string, StatsHourlyCounter>> = {
  queued: 'accepted',
  scheduled: 'accepted',
  sent: 'sent',
  // Refused at the SMTP transaction: an attempt, so it counts as sent (the bounce rate's denominator).
  bounced: 'sent',
  delivered: 'delivered',
  rejected: 'rejected',
  failed: 'failed',
  cancelled: 'cancelled',
  complaint: 'complainers',
  unsubscribe: 'unsubscribers',
};

export function tallyEmail(events: readonly PolicyEvent[]): EmailTally {
  const counts = new Map<string, number>();
  const urls = new Map<number, string>();
  const add = (key: string, n = 1) => counts.set(key, (counts.get(key) ?? 0) + n);
  // Earliest time per once-per-email counter: the hour it counts in.
  const firsts = new Map<StatsHourlyCounter, Date>();
  const first = (counter: StatsHourlyCounter, at: Date) => {
    const seen = firsts.get(counter);
    if (!seen || at < seen) firsts.set(counter, at);
  };
  let bouncedHard = false;
  let bounceAt: Date | undefined;
  const firstClickByLink = new Map<number, Date>();
  const verdicts = verdictsInForce(events);

  for (const e of events) {
    const m = e.metadata;
    const milestone = EMAIL_MILESTONES[e.event_type];
    if (milestone) first(milestone, e.created_at);
    switch (e.event_type) {
      case 'bounced':
        if (m.bounce_type === 'hard') bouncedHard = true;
        if (!bounceAt || e.created_at < bounceAt) bounceAt = e.created_at;
        break;
      case 'delivery_delayed':
        add(`h|${hourOf(e.created_at)}|deferrals`);
        break;
      case 'reply':
        if (m.auto === true) add(`h|${hourOf(e.created_at)}|auto_replies`);
        else {
          add(`h|${hourOf(e.created_at)}|replies`);
          first('repliers', e.created_at);
        }
        break;
      case 'open':
      case 'click': {
        const kind = e.event_type;
        const hour = hourOf(e.created_at);
        const verdict = verdicts.get(e.id)!;
        // A back-filled open is inferred, not fetched: withdrawn, it is nothing, not machine traffic.
        // Replaced by the person's real open, that open is the one open; the person still opened
        // the email when they clicked in it, so the opener dates from here.
        if (!verdict.counted && m.backfilled === true) {
          if (verdict.why === BACKFILL_REPLACED) first('openers', e.created_at);
          break;
        }
        // A person's repeat within the coalescing window is theirs, not a machine's: counted apart.
        if (!verdict.counted && verdict.why === COALESCED) {
          add(`h|${hour}|coalesced_${kind}s`);
          break;
        }
        if (!verdict.counted) {
          add(`h|${hour}|machine_${kind}s`);
          add(`m|${hour}|${kind}|${verdict.why ?? 'unknown'}`);
          break;
        }
        add(`h|${hour}|${kind}s`);
        first(kind === 'open' ? 'openers' : 'clickers', e.created_at);
        if (kind === 'open' && m.backfilled === true) add(`h|${hour}|backfilled_opens`);
        // A back-filled open was inferred from a click, not made by a mail app: no client of its own.
        if (m.backfilled !== true) add(`c|${dayOf(e.created_at)}|${kind}|${typeof m.ua === 'string' ? m.ua : ''}`);
        const link = m.link_index;
        if (kind === 'click' && typeof link === 'number' && Number.isSafeInteger(link) && link >= 0) {
          add(`l|${link}|clicks`);
          const seen = firstClickByLink.get(link);
          if (!seen || e.created_at < seen) firstClickByLink.set(link, e.created_at);
          if (!urls.has(link) && typeof m.url === 'string') urls.set(link, m.url);
        }
        break;
      }
    }
  }
  if (bounceAt) first(bouncedHard ? 'hard_bounced' : 'soft_bounced', bounceAt);
  for (const [counter, at] of firsts) add(`h|${hourOf(at)}|${counter}`);
  for (const link of firstClickByLink.keys()) add(`l|${link}|clickers`);
  return { counts, urls };
}
