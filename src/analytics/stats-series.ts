// Time series of the rollups: one point per bucket, empty buckets included (as zeros), per group
// when the sums are grouped; a series sums to its totals.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { addCounters, addMachine, aggregateOf, emptyTally, type StatsAggregate, type Tally } from './stats-aggregate.ts';
import { listBuckets, startLabel, type Buckets } from './stats-buckets.repository.ts';
import { sumCounters, sumMachine, type CounterRow, type MachineRow, type StatsScope, type SumOptions } from './stats.repository.ts';
import type { Granularity, Period } from './stats-period.ts';

export type StatsPoint = { start: string } & StatsAggregate;
/** The period as answered: widened to whole buckets, bounds at the time zone's offset. */
export type PeriodJson = { from: string; to: string; granularity: Granularity; tz: string };
/** A series' totals, and its points by bucket position (absent: an empty bucket). */
export type KeyedSeries = { totals: Tally; points: Array<Tally | undefined> };

/** The buckets of a period, and the scope narrowed to the rollup hours they cover. */
export async function bucketScope(db: Kysely<Database>, scope: StatsScope, period: Period, maxBuckets: number) {
  const buckets = await listBuckets(db, period, maxBuckets);
  const hours = { start: new Date(buckets.starts[0]!), end: new Date(buckets.end) };
  return { buckets, scope: { ...scope, hours } };
}

/** Sums per bucket (and per key with `o.by`), read and laid out on the buckets. */
export async function readKeyedSeries(
  db: Kysely<Database>,
  scope: StatsScope,
  period: Period,
  buckets: Buckets,
  o: Omit<SumOptions, 'buckets'> = {},
): Promise<Map<string | null, KeyedSeries>> {
  const options = { ...o, buckets: { granularity: period.granularity, tz: period.tz } };
  // Two statements at once (on PostgreSQL each takes a connection of its own): the counters per
  // bucket, and machine traffic by why over the whole period, for the totals.
  const [counters, machine] = await Promise.all([sumCounters(db, scope, options), sumMachine(db, scope, o)]);
  return layOut(buckets, counters, machine);
}

/** Counters go to their bucket and the totals; machine rows (summed over the period) to the totals. */
export function layOut(buckets: Buckets, counters: readonly CounterRow[], machine: readonly MachineRow[]): Map<string | null, KeyedSeries> {
  const position = new Map(buckets.starts.map((start, i) => [start, i]));
  const byKey = new Map<string | null, KeyedSeries>();
  const tallies = (key: string | null, bucket: number | null): [Tally, Tally] | undefined => {
    const i = position.get(Number(bucket));
    if (i === undefined) return undefined;
    let s = byKey.get(key);
    if (!s) byKey.set(key, (s = emptySeries(buckets)));
    return [s.totals, (s.points[i] ??= emptyTally())];
  };
  for (const row of counters) {
    for (const t of tallies(row.key, row.bucket) ?? []) addCounters(t, row);
  }
  for (const row of machine) {
    let s = byKey.get(row.key);
    if (!s) byKey.set(row.key, (s = emptySeries(buckets)));
    addMachine(s.totals, row.kind, row.why, row.n);
  }
  return byKey;
}

export const emptySeries = (buckets: Buckets): KeyedSeries => ({ totals: emptyTally(), points: new Array(buckets.starts.length) });

export function pointsOf(buckets: Buckets, points: KeyedSeries['points']): StatsPoint[] {
  const labels = labelsOf(buckets);
  let empty: StatsAggregate | undefined;
  const out: StatsPoint[] = new Array(labels.length);
  for (let i = 0; i < out.length; i++) {
    const t = points[i];
    // Empty buckets share one aggregate of zeros (never changed once made).
    const aggregate = t ? aggregateOf(t) : (empty ??= aggregateOf(emptyTally()));
    out[i] = { start: labels[i]!, ...aggregate };
  }
  return out;
}

// The labels of a period's buckets, made once for all the series of an answer.
const labelCache = new WeakMap<Buckets, string[]>();
function labelsOf(buckets: Buckets): string[] {
  let labels = labelCache.get(buckets);
  if (!labels) labelCache.set(buckets, (labels = buckets.starts.map((start, i) => startLabel(start, buckets.offsets[i]!))));
  return labels;
}

export function periodJson(period: Period, buckets: Buckets): PeriodJson {
  return {
    from: startLabel(buckets.starts[0]!, buckets.offsets[0]!),
    to: startLabel(buckets.end, buckets.endOffset),
    granularity: period.granularity,
    tz: period.tz,
  };
}

/** What a reader of the period should know: where a local day cannot start at midnight. */
export function periodNotes(period: Period, buckets: Buckets): string[] {
  const odd = buckets.offsets.find((m) => m % 60 !== 0);
  if (odd === undefined || period.granularity !== 'day') return [];
  // Rollups are UTC hours: at an offset of +05:30 every hour starts at half past, local time.
  const minute = String(((odd % 60) + 60) % 60).padStart(2, '0');
  return [
    `Rollups are kept by UTC hour, and this time zone's offset is not a whole number of hours: each hour counts in the local day its start falls in, so a day here runs from 00:${minute} to 00:${minute} local time.`,
  ];
}
