// What the HTTP edge and the campaigns domain may use of analytics' read side.
export { ratesOf, ratio, OPEN_RATE_NOTE, RATE_NAMES, type RateCounts, type RateName, type Rates } from './rates.ts';
export { aggregateOf, totalsOf, emptyTally, EMAIL_COUNTERS, EVENT_COUNTERS, PEOPLE_COUNTERS, type StatsAggregate, type StatsTotals, type Tally } from './stats-aggregate.ts';
export { GRANULARITIES, MAX_BUCKETS, MAX_GROUPED_BUCKETS, HOURLY_BY_DEFAULT_MS, type Granularity, type PeriodInput } from './stats-period.ts';
export { DIMENSIONS, readLinks, type Dimension, type LinkRow } from './stats.repository.ts';
export { type PeriodJson, type StatsSeries } from './stats-series.ts';
export { readStats, MAX_GROUPS, DEFAULT_PERIOD_MS, type StatsGroup, type StatsReport, type StatsRequest } from './stats-query.ts';
export { readCampaignRollups, MAX_CLIENT_ROWS, type CampaignRollups, type ClientCount, type ProviderStats } from './campaign-rollups.ts';
export { PROVIDERS } from './providers.ts';
export { startStatsFeed, type StatsFeed, type StatsWatch } from './stats-feed.ts';
export { providerOfDomain } from './providers.ts';
