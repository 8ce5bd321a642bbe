// Time series of the rollups, as columns: the buckets' starts and, for each counter and rate, one
// array with a value per bucket (empty buckets as zeros), per group when the sums are grouped. The
// shape chart libraries take (uPlot's [xs, ys ...]), and a fifth of the bytes of an object per point
// for a month of hours. A series sums to its totals.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { addByWhy, addMachine, emptyTally, totalsOf, EMAIL_COUNTERS, EVENT_COUNTERS, PEOPLE_COUNTERS, SUMMED_COUNTERS, type ByWhy, type StatsTotals, type SummedCounter } from './stats-aggregate.ts';
import { listBuckets, startLabel, type Buckets } from './stats-buckets.repository.ts';
import { rateColumns, type RateName } from './rates.ts';
import { sumCounters, sumMachine, type CounterRow, type MachineRow, type StatsScope, type SumOptions } from './stats.repository.ts';
import type { Granularity, Period } from './stats-period.ts';

type Columns<K extends string, V = number> = Record<K, V[]>;
export type StatsSeries = {
  /** Each bucket's start, at the time zone's offset then. */
  start: string[];
  emails: Columns<(typeof EMAIL_COUNTERS)[number]>;
  events: Columns<(typeof EVENT_COUNTERS)[number]>;
  people: Columns<(typeof PEOPLE_COUNTERS)[number]>;
  machine: Columns<'opens' | 'clicks'>;
  coalesced: Columns<'opens' | 'clicks'>;
  rates: Columns<RateName, number | null>;
};
/** The period as answered: widened to whole buckets, bounds at the time zone's offset. */
export type PeriodJson = { from: string; to: string; granularity: Granularity; tz: string };
/**
 * A series as it is summed: a column per counter, in SUMMED_COUNTERS' order, with a sum per bucket
 * position; machine traffic by why over the period (for the totals).
 */
export type KeyedSeries = { columns: number[][]; byWhy: ByWhy };

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

/** Sums go to their bucket's place in their counter's column; machine rows (summed over the period) to the totals. */
export function layOut(buckets: Buckets, counters: readonly CounterRow[], machine: readonly MachineRow[]): Map<string | null, KeyedSeries> {
  const position = new Map(buckets.starts.map((start, i) => [start, i]));
  const byKey = new Map<string | null, KeyedSeries>();
  const seriesOf = (key: string | null) => byKey.get(key) ?? byKey.set(key, emptySeries(buckets)).get(key)!;
  for (const { key, bucket, sums } of counters) {
    const i = position.get(Number(bucket));
    if (i === undefined) continue;
    const { columns } = seriesOf(key);
    for (let k = 0; k < sums.length; k += 2) columns[sums[k]!]![i]! += sums[k + 1]!;
  }
  for (const row of machine) addMachine(seriesOf(row.key), row.kind, row.why, row.n);
  return byKey;
}

export const emptySeries = (buckets: Buckets): KeyedSeries => ({
  columns: SUMMED_COUNTERS.map(() => new Array<number>(buckets.starts.length).fill(0)),
  byWhy: { opens: {}, clicks: {} },
});

/** Adds `from`'s columns and machine traffic into `into`'s (both on the same buckets). */
export function addSeries(into: KeyedSeries, from: KeyedSeries): void {
  into.columns.forEach((column, k) => {
    const other = from.columns[k]!;
    for (let i = 0; i < column.length; i++) column[i]! += other[i]!;
  });
  addByWhy(into, from);
}

/** The series' totals: each column summed, machine traffic by why beside. */
export function totalsOfSeries(s: KeyedSeries): StatsTotals {
  const t = emptyTally();
  s.columns.forEach((column, k) => {
    let n = 0;
    for (const v of column) n += v;
    t.counters[SUMMED_COUNTERS[k]!] = n;
  });
  t.byWhy = s.byWhy;
  return totalsOf(t);
}

/** The columns as the API shows them, with a column per rate. The counters' arrays are shared, not copied. */
export function seriesJson(buckets: Buckets, s: KeyedSeries): StatsSeries {
  const named = Object.fromEntries(SUMMED_COUNTERS.map((c, k) => [c, s.columns[k]!])) as Columns<SummedCounter>;
  const pick = <K extends SummedCounter>(names: readonly K[]) => Object.fromEntries(names.map((c) => [c, named[c]])) as Columns<K>;
  return {
    start: labelsOf(buckets),
    emails: pick(EMAIL_COUNTERS),
    events: pick(EVENT_COUNTERS),
    people: pick(PEOPLE_COUNTERS),
    machine: { opens: named.machine_opens, clicks: named.machine_clicks },
    coalesced: { opens: named.coalesced_opens, clicks: named.coalesced_clicks },
    rates: rateColumns(named, buckets.starts.length),
  };
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
