// The alerts API as the screens use it: the alerts triggered now (the banner on every screen), the
// history, the rules, and an admin's change of a rule.
import { queryOptions } from '@tanstack/react-query';
import { api } from '../api.ts';

export type Alert = {
  id: string;
  rule: string;
  subject: string;
  window: string;
  level: 'warning' | 'critical';
  state: 'triggered' | 'resolved';
  value: number;
  volume: number;
  threshold: number;
  message: string;
  campaign_id: string | null;
  triggered_at: string;
  resolved_at: string | null;
  updated_at: string;
};

export type Rule = {
  rule: string;
  kind: 'rate_above' | 'excess_above' | 'rate_below' | 'count';
  volume: string;
  windows: string[];
  description: string;
  enabled: boolean;
  min_volume: number;
  warn: number;
  critical: number;
  pause_on_critical?: boolean;
  defaults: { enabled: boolean; min_volume: number; warn: number; critical: number };
};

export const ALERTS_KEY = ['alerts'] as const;

// Alerts are evaluated at most every 30 s: refetching every 15 s shows a change within 45 s.
export const triggeredAlertsQuery = queryOptions({
  queryKey: [...ALERTS_KEY, 'triggered'],
  queryFn: async () => (await api<{ data: Alert[] }>('/v1/alerts?state=triggered&limit=100')).data,
  refetchInterval: 15_000,
});

export const alertHistoryQuery = queryOptions({
  queryKey: [...ALERTS_KEY, 'history'],
  queryFn: async () => (await api<{ data: Alert[] }>('/v1/alerts?state=resolved&limit=50')).data,
  refetchInterval: 15_000,
});

export const rulesQuery = queryOptions({
  queryKey: [...ALERTS_KEY, 'rules'],
  queryFn: async () => (await api<{ data: Rule[] }>('/v1/alert-rules')).data,
});

export const saveRule = (rule: string, change: Partial<Pick<Rule, 'enabled' | 'min_volume' | 'warn' | 'critical'>>) =>
  api<{ data: Rule[] }>('/v1/alert-rules', { method: 'PUT', body: { [rule]: change } });

export const resumeCampaign = (id: string) => api<{ status: string; resumed: number }>(`/v1/campaigns/${encodeURIComponent(id)}/resume`, { method: 'POST' });

/** A rate as people read it (0.003 -> "0.3 %"), or a count. */
export function figure(kind: Rule['kind'] | undefined, value: number): string {
  if (kind === 'count') return String(value);
  const pct = value * 100;
  return `${pct < 1 ? pct.toFixed(2).replace(/0$/, '') : pct.toFixed(1).replace(/\.0$/, '')} %`;
}

export const RULE_NAMES: Record<string, string> = {
  complaint_rate: 'Complaint rate',
  campaign_hard_bounce_rate: 'Campaign hard bounces',
  project_hard_bounce_rate: 'Project hard bounces',
  provider_deferral_rate: 'Deferrals and blocks',
  auth_refusal: 'Authentication refusals',
  campaign_delivery_rate: 'Campaign delivery rate',
  unsubscribe_not_suppressed: 'Unsubscribes not acted on',
};
