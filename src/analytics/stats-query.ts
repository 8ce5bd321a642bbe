// Use case: GET /v1/stats: a project's totals and time series from the rollups, filtered, and
// per group when asked.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { AppError } from '../shared/app-error.ts';
import { isUuid } from '../shared/ids.ts';
import { PROVIDERS } from './providers.ts';
import { OPEN_RATE_NOTE } from './rates.ts';
import type { StatsTotals } from './stats-aggregate.ts';
import { MAX_BUCKETS, MAX_GROUPED_BUCKETS, resolvePeriod, type Period, type PeriodInput } from './stats-period.ts';
import { topKeys, type Dimension, type StatsScope } from './stats.repository.ts';
import { addSeries, bucketScope, emptySeries, periodJson, periodNotes, readKeyedSeries, seriesJson, totalsOfSeries, type KeyedSeries, type PeriodJson, type StatsSeries } from './stats-series.ts';
import type { Buckets } from './stats-buckets.repository.ts';

export type StatsRequest = PeriodInput & {
  campaign_id?: string;
  tag?: string;
  provider?: string;
  sending_domain?: string;
  group_by?: Dimension;
};

export type StatsGroup = {
  /** The group's campaign id, tag, provider or sending domain; null for the rest. */
  key: string | null;
  /** Keys summed here: 1, or for the rest, how many. */
  keys: number;
  totals: StatsTotals;
  series: StatsSeries;
};

export type StatsReport = {
  period: PeriodJson;
  filters: { campaign_id: string | null; tag: string | null; provider: string | null; sending_domain: string | null };
  group_by: Dimension | null;
  totals: StatsTotals;
  series: StatsSeries;
  groups?: StatsGroup[];
  notes: string[];
};

/** Groups kept apart; the rest are summed as one (key null). */
export const MAX_GROUPS = 20;
export const DEFAULT_PERIOD_MS = 7 * 86_400_000;

export async function readStats(db: Kysely<Database>, projectId: string, q: StatsRequest, now = new Date()): Promise<StatsReport> {
  const filters = filtersOf(q);
  const maxBuckets = q.group_by ? MAX_GROUPED_BUCKETS : MAX_BUCKETS;
  const period = resolvePeriod(q, { from: (to) => new Date(to.getTime() - DEFAULT_PERIOD_MS), to: now }, maxBuckets);
  const { buckets, scope } = await bucketScope(db, { projectId, ...filters }, period, maxBuckets);

  const report = {
    period: periodJson(period, buckets),
    filters: { campaign_id: filters.campaignId ?? null, tag: filters.tag ?? null, provider: filters.provider ?? null, sending_domain: filters.sendingDomain ?? null },
    group_by: q.group_by ?? null,
    notes: notesFor(q.group_by, period, buckets),
  };
  if (!q.group_by) {
    const all = (await readKeyedSeries(db, scope, period, buckets)).get(null) ?? emptySeries(buckets);
    return { ...report, totals: totalsOfSeries(all), series: seriesJson(buckets, all) };
  }

  const by = q.group_by;
  // Providers are few (PROVIDERS): no need to rank them first.
  const top = by === 'provider' ? undefined : await topKeys(db, scope, by, MAX_GROUPS + 1);
  // Past MAX_GROUPS keys, only the first MAX_GROUPS are read apart; the rest come summed as key null.
  const keep = top && top.keys.length > MAX_GROUPS ? top.keys.slice(0, MAX_GROUPS) : undefined;
  const grouped = await readKeyedSeries(db, scope, period, buckets, { by, keep });
  const groups: StatsGroup[] = [];
  const rest = grouped.get(null);
  for (const [key, s] of grouped) if (key !== null) groups.push(groupOf(key, 1, s, buckets));
  groups.sort((a, b) => b.totals.emails.sent - a.totals.emails.sent || b.totals.emails.accepted - a.totals.emails.accepted || (a.key! < b.key! ? -1 : 1));
  if (rest) groups.push(groupOf(null, (top?.count ?? 0) - groups.length, rest, buckets));

  // Tags overlap (an email with two tags is in both groups, one with none in neither): the totals
  // are read apart. Any other dimension cuts the emails in parts, which add up to the totals.
  const all = by === 'tag' ? (await readKeyedSeries(db, scope, period, buckets)).get(null) ?? emptySeries(buckets) : sumOf(grouped.values(), buckets);
  return { ...report, totals: totalsOfSeries(all), series: seriesJson(buckets, all), groups };
}

function filtersOf(q: StatsRequest): Omit<StatsScope, 'projectId' | 'hours'> {
  if (q.campaign_id !== undefined && !isUuid(q.campaign_id)) throw new AppError('validation_error', 'campaign_id is not a uuid');
  if (q.provider !== undefined && !(PROVIDERS as readonly string[]).includes(q.provider)) {
    throw new AppError('validation_error', `Unknown provider "${q.provider}": one of ${PROVIDERS.join(', ')}`);
  }
  return {
    campaignId: q.campaign_id?.toLowerCase(),
    tag: q.tag,
    provider: q.provider,
    // Rollups keep the From address's domain lowercased.
    sendingDomain: q.sending_domain?.trim().toLowerCase(),
  };
}

function groupOf(key: string | null, keys: number, s: KeyedSeries, buckets: Buckets): StatsGroup {
  return { key, keys, totals: totalsOfSeries(s), series: seriesJson(buckets, s) };
}

function sumOf(parts: Iterable<KeyedSeries>, buckets: Buckets): KeyedSeries {
  const all = emptySeries(buckets);
  for (const s of parts) addSeries(all, s);
  return all;
}

function notesFor(by: Dimension | undefined, period: Period, buckets: Buckets): string[] {
  const notes = [OPEN_RATE_NOTE];
  if (by === 'tag') {
    notes.push('An email with several tags counts in each of their groups, and one without tags in none: groups need not add up to the totals.');
  }
  return [...notes, ...periodNotes(period, buckets)];
}
