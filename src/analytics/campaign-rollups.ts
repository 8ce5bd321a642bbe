// What the rollups say of one campaign: its totals over its whole life, per mailbox provider, a time
// series, and the mail apps and browsers its opens and clicks came from.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { PROVIDERS } from './providers.ts';
import { addMachine, addSums, addTally, emptyTally, totalsOf, type StatsTotals, type Tally } from './stats-aggregate.ts';
import { MAX_BUCKETS, resolvePeriod, type PeriodInput } from './stats-period.ts';
import { sumClients, sumCounters, sumMachine, type StatsScope } from './stats.repository.ts';
import { bucketScope, emptySeries, periodJson, periodNotes, readKeyedSeries, seriesJson, type PeriodJson, type StatsSeries } from './stats-series.ts';

export type ClientCount = { client: string; os: string; device: string; count: number };
export type ProviderStats = { provider: string } & StatsTotals;

export type CampaignRollups = {
  /** Over the campaign's whole life, whatever the series' period. */
  totals: Tally;
  providers: ProviderStats[];
  period: PeriodJson;
  series: StatsSeries;
  clients: { opens: ClientCount[]; clicks: ClientCount[] };
  notes: string[];
};

/** Client rows kept per kind, most hits first. */
export const MAX_CLIENT_ROWS = 100;

/**
 * `life` is the default period: from the campaign's creation (no event of its emails comes earlier)
 * to now. A campaign whose life is too long for its granularity shows its latest buckets.
 */
export async function readCampaignRollups(
  db: Kysely<Database>,
  projectId: string,
  campaignId: string,
  input: PeriodInput,
  life: { from: Date; to: Date },
): Promise<CampaignRollups> {
  const period = resolvePeriod(input, { from: () => life.from, to: life.to }, MAX_BUCKETS);
  const campaign: StatsScope = { projectId, campaignId };
  // Independent statements at once: on PostgreSQL each takes a connection of its own.
  const [[buckets, series], counters, machine, clientRows] = await Promise.all([
    bucketScope(db, campaign, period, MAX_BUCKETS).then(async ({ buckets, scope }) => [buckets, (await readKeyedSeries(db, scope, period, buckets)).get(null) ?? emptySeries(buckets)] as const),
    sumCounters(db, campaign, { by: 'provider' }),
    sumMachine(db, campaign, { by: 'provider' }),
    sumClients(db, projectId, campaignId),
  ]);

  const byProvider = new Map<string, Tally>();
  const tallyOf = (provider: string) => byProvider.get(provider) ?? byProvider.set(provider, emptyTally()).get(provider)!;
  for (const row of counters) addSums(tallyOf(row.key ?? 'other'), row.sums);
  for (const row of machine) addMachine(tallyOf(row.key ?? 'other'), row.kind, row.why, row.n);
  const totals = emptyTally();
  for (const t of byProvider.values()) addTally(totals, t);
  // Every provider, in a fixed order, so that clients can chart them side by side.
  const providers = [...new Set([...PROVIDERS, ...byProvider.keys()])].map((provider) => ({ provider, ...totalsOf(byProvider.get(provider) ?? emptyTally()) }));

  const clients: CampaignRollups['clients'] = { opens: [], clicks: [] };
  for (const r of clientRows) {
    const list = r.kind === 'open' ? clients.opens : r.kind === 'click' ? clients.clicks : undefined;
    if (list && list.length < MAX_CLIENT_ROWS) list.push({ client: r.client, os: r.os, device: r.device, count: r.n });
  }
  return { totals, providers, period: periodJson(period, buckets), series: seriesJson(buckets, series), clients, notes: periodNotes(period, buckets) };
}
