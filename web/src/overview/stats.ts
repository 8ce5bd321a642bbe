// GET /v1/stats as the Overview reads it: the response's shape, and queries keyed by what they ask.
import { queryOptions, keepPreviousData } from '@tanstack/react-query';
import { api } from '../api.ts';
import type { ResolvedPeriod } from '../period.ts';

export type RateName = 'delivery' | 'open' | 'click_to_open' | 'click_through' | 'reply' | 'bounce' | 'bounce_hard' | 'bounce_soft' | 'complaint' | 'unsubscribe';

type Aggregate<N> = {
  emails: Record<'accepted' | 'sent' | 'delivered' | 'hard_bounced' | 'soft_bounced' | 'rejected' | 'failed' | 'cancelled', N>;
  events: Record<'deferrals' | 'opens' | 'backfilled_opens' | 'clicks' | 'replies' | 'auto_replies', N>;
  people: Record<'openers' | 'clickers' | 'repliers' | 'complainers' | 'unsubscribers', N>;
  machine: Record<'opens' | 'clicks', N>;
  coalesced: Record<'opens' | 'clicks', N>;
};

export type StatsTotals = Aggregate<number> & {
  rates: Record<RateName, number | null>;
  machine_by_why: { opens: Record<string, number>; clicks: Record<string, number> };
};

export type StatsSeries = Aggregate<number[]> & { start: string[]; rates: Record<RateName, Array<number | null>> };

export type StatsReport = {
  period: { from: string; to: string; granularity: 'hour' | 'day'; tz: string };
  totals: StatsTotals;
  series: StatsSeries;
  groups?: Array<{ key: string | null; keys: number; totals: StatsTotals }>;
  notes: string[];
};

const paramsOf = (p: ResolvedPeriod, extra: Record<string, string> = {}) =>
  new URLSearchParams({ from: p.from.toISOString(), to: p.to.toISOString(), granularity: p.granularity, tz: p.tz, ...extra }).toString();

/**
 * `key` names the period as the URL does ("7d", or the custom days), not its instants: a preset's
 * instants move with the clock, and each refetch asks for the period ending now.
 */
export const statsQuery = (key: readonly unknown[], period: () => ResolvedPeriod, extra: Record<string, string> = {}) =>
  queryOptions({
    queryKey: ['stats', ...key, extra],
    queryFn: ({ signal }) => api<StatsReport>(`/v1/stats?${paramsOf(period(), extra)}`, { signal }),
    placeholderData: keepPreviousData,
  });

/** Whether the project has ever accepted an email: a new install gets the first-email lesson. */
export const anyEmailQuery = queryOptions({
  queryKey: ['stats', 'any-email'],
  queryFn: async ({ signal }) => (await api<{ data: unknown[] }>('/v1/emails?limit=1', { signal })).data.length > 0,
});
