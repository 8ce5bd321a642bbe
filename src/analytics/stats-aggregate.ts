// Rollup counters summed over a period, a bucket or a group, and what the API shows of them:
// emails, events and people apart, machine traffic and a person's coalesced repeats beside them,
// and the rates. A series (stats-series.ts) has machine traffic as two columns; totals add its
// breakdown by the classifier's `why` (a breakdown per hour would multiply what a long series reads).
import { COALESCED } from './counting-policy.ts';
import { ratesOf, type Rates } from './rates.ts';

/** Emails, each counted once, in the hour of the event that made it so. */
export const EMAIL_COUNTERS = ['accepted', 'sent', 'delivered', 'hard_bounced', 'soft_bounced', 'rejected', 'failed', 'cancelled'] as const;
/** Events, every one. */
export const EVENT_COUNTERS = ['deferrals', 'opens', 'backfilled_opens', 'clicks', 'replies', 'auto_replies'] as const;
/** Emails, each counted once, in the hour of its first counted open, click, human reply ... */
export const PEOPLE_COUNTERS = ['openers', 'clickers', 'repliers', 'complainers', 'unsubscribers'] as const;
/** Opens and clicks not counted: machines', and a person's repeats within the coalescing window. */
export const UNCOUNTED_COUNTERS = ['machine_opens', 'machine_clicks', 'coalesced_opens', 'coalesced_clicks'] as const;
/** The stats_hourly columns the API reads. */
export const SUMMED_COUNTERS = [...EMAIL_COUNTERS, ...EVENT_COUNTERS, ...PEOPLE_COUNTERS, ...UNCOUNTED_COUNTERS] as const;
export type SummedCounter = (typeof SUMMED_COUNTERS)[number];

export { COALESCED };

export type ByWhy = { opens: Record<string, number>; clicks: Record<string, number> };

export type Tally = {
  counters: Record<SummedCounter, number>;
  /** Machine traffic by why: filled for totals only (from stats_machine_hourly). */
  byWhy: ByWhy;
};

export type StatsAggregate = {
  emails: Record<(typeof EMAIL_COUNTERS)[number], number>;
  events: Record<(typeof EVENT_COUNTERS)[number], number>;
  people: Record<(typeof PEOPLE_COUNTERS)[number], number>;
  machine: { opens: number; clicks: number };
  coalesced: { opens: number; clicks: number };
  rates: Rates;
};

/** Totals (of a period, a group, a provider): an aggregate with its machine traffic by why. */
export type StatsTotals = StatsAggregate & { machine_by_why: ByWhy };

const ZEROS = Object.fromEntries(SUMMED_COUNTERS.map((c) => [c, 0])) as Tally['counters'];

export const emptyTally = (): Tally => ({ counters: { ...ZEROS }, byWhy: { opens: {}, clicks: {} } });

export function addCounters(t: Tally, counters: Readonly<Record<SummedCounter, number>>): void {
  for (const c of SUMMED_COUNTERS) t.counters[c] += counters[c];
}

/** Adds [counter index, sum] pairs (indexes into SUMMED_COUNTERS), as the rollups' sums come. */
export function addSums(t: Tally, sums: readonly number[]): void {
  for (let i = 0; i < sums.length; i += 2) t.counters[SUMMED_COUNTERS[sums[i]!]!] += sums[i + 1]!;
}

export function addMachine(t: { byWhy: ByWhy }, kind: string, why: string, n: number): void {
  if (n === 0 || (kind !== 'open' && kind !== 'click')) return;
  const plural = kind === 'open' ? 'opens' : 'clicks';
  t.byWhy[plural][why] = (t.byWhy[plural][why] ?? 0) + n;
}

/** Adds machine traffic by why from `from` into `into`. */
export function addByWhy(into: { byWhy: ByWhy }, from: { byWhy: ByWhy }): void {
  for (const kind of ['open', 'click'] as const) {
    for (const [why, n] of Object.entries(from.byWhy[kind === 'open' ? 'opens' : 'clicks'])) addMachine(into, kind, why, n);
  }
}

export function addTally(into: Tally, t: Tally): void {
  addCounters(into, t.counters);
  addByWhy(into, t);
}

export function aggregateOf(t: Tally): StatsAggregate {
  const c = t.counters;
  return {
    emails: {
      accepted: c.accepted, sent: c.sent, delivered: c.delivered, hard_bounced: c.hard_bounced, soft_bounced: c.soft_bounced,
      rejected: c.rejected, failed: c.failed, cancelled: c.cancelled,
    },
    events: { deferrals: c.deferrals, opens: c.opens, backfilled_opens: c.backfilled_opens, clicks: c.clicks, replies: c.replies, auto_replies: c.auto_replies },
    people: { openers: c.openers, clickers: c.clickers, repliers: c.repliers, complainers: c.complainers, unsubscribers: c.unsubscribers },
    machine: { opens: c.machine_opens, clicks: c.machine_clicks },
    coalesced: { opens: c.coalesced_opens, clicks: c.coalesced_clicks },
    rates: ratesOf(c),
  };
}

export function totalsOf(t: Tally): StatsTotals {
  return { ...aggregateOf(t), machine_by_why: t.byWhy };
}
