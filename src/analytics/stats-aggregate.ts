// Rollup counters summed over a period, a bucket or a group, and what the API shows of them:
// emails, events and people apart, machine traffic beside people's, and the rates.
import { ratesOf, type Rates } from './rates.ts';

/** Emails, each counted once, in the hour of the event that made it so. */
export const EMAIL_COUNTERS = ['accepted', 'sent', 'delivered', 'hard_bounced', 'soft_bounced', 'rejected', 'failed', 'cancelled'] as const;
/** Events, every one. */
export const EVENT_COUNTERS = ['deferrals', 'opens', 'backfilled_opens', 'clicks', 'replies', 'auto_replies'] as const;
/** Emails, each counted once, in the hour of its first counted open, click, human reply ... */
export const PEOPLE_COUNTERS = ['openers', 'clickers', 'repliers', 'complainers', 'unsubscribers'] as const;
/** The stats_hourly columns the API reads; machine_opens and machine_clicks come by `why` from stats_machine_hourly. */
export const SUMMED_COUNTERS = [...EMAIL_COUNTERS, ...EVENT_COUNTERS, ...PEOPLE_COUNTERS] as const;
export type SummedCounter = (typeof SUMMED_COUNTERS)[number];

/** The classifier's `why` for a person's repeat within the coalescing window: theirs, not a machine's. */
export const COALESCED = 'coalesced';

export type Tally = {
  counters: Record<SummedCounter, number>;
  machine: { opens: Record<string, number>; clicks: Record<string, number> };
  coalesced: { opens: number; clicks: number };
};

export type StatsAggregate = {
  emails: Record<(typeof EMAIL_COUNTERS)[number], number>;
  events: Record<(typeof EVENT_COUNTERS)[number], number>;
  people: Record<(typeof PEOPLE_COUNTERS)[number], number>;
  machine: Tally['machine'];
  coalesced: Tally['coalesced'];
  rates: Rates;
};

const ZEROS = Object.fromEntries(SUMMED_COUNTERS.map((c) => [c, 0])) as Tally['counters'];

export const emptyTally = (): Tally => ({ counters: { ...ZEROS }, machine: { opens: {}, clicks: {} }, coalesced: { opens: 0, clicks: 0 } });

export function addCounters(t: Tally, row: Readonly<Record<SummedCounter, number>>): void {
  for (const c of SUMMED_COUNTERS) t.counters[c] += row[c];
}

export function addMachine(t: Tally, kind: string, why: string, n: number): void {
  if (n === 0 || (kind !== 'open' && kind !== 'click')) return;
  const plural = kind === 'open' ? 'opens' : 'clicks';
  if (why === COALESCED) t.coalesced[plural] += n;
  else t.machine[plural][why] = (t.machine[plural][why] ?? 0) + n;
}

export function addTally(into: Tally, t: Tally): void {
  addCounters(into, t.counters);
  for (const kind of ['open', 'click'] as const) {
    for (const [why, n] of Object.entries(t.machine[kind === 'open' ? 'opens' : 'clicks'])) addMachine(into, kind, why, n);
  }
  into.coalesced.opens += t.coalesced.opens;
  into.coalesced.clicks += t.coalesced.clicks;
}

export function aggregateOf(t: Tally): StatsAggregate {
  const c = t.counters;
  // Spelled out rather than picked by name lists: a long series makes thousands of these.
  return {
    emails: {
      accepted: c.accepted, sent: c.sent, delivered: c.delivered, hard_bounced: c.hard_bounced, soft_bounced: c.soft_bounced,
      rejected: c.rejected, failed: c.failed, cancelled: c.cancelled,
    },
    events: { deferrals: c.deferrals, opens: c.opens, backfilled_opens: c.backfilled_opens, clicks: c.clicks, replies: c.replies, auto_replies: c.auto_replies },
    people: { openers: c.openers, clickers: c.clickers, repliers: c.repliers, complainers: c.complainers, unsubscribers: c.unsubscribers },
    machine: t.machine,
    coalesced: t.coalesced,
    rates: ratesOf(c),
  };
}
