// Every rule of a project over the rollups: what each observes now, and the findings that reach a
// level. The reads are few and bounded (observe.repository.ts); the decisions are decideLevel's.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { RULE_DEFINITIONS, type AlertRule, type ProjectRules } from './alert-rules.ts';
import { decideLevel, type Observation } from './decide-level.ts';
import type { Finding } from './diff-alerts.ts';
import { activeCampaigns, complaintsSince, providerAttempts, recentHardBounces } from './observe.repository.ts';
import { authRefusalsSince, unsuppressedUnsubscribes } from './signals.repository.ts';
import { SIGNALS_KEPT_MS } from './collect-signals.ts';

const HOUR_MS = 3_600_000;
const WINDOW_MS: Record<string, number> = { '24h': 24 * HOUR_MS, '7d': 7 * 24 * HOUR_MS };
export const PROJECT_SENDS = 10_000;
export const PROJECT_SENDS_MAX_DAYS = 90;
export const BASELINE_DAYS = 14;

export type RuleResults = { findings: Finding[]; evaluated: Set<AlertRule> };

export async function findFindings(db: Kysely<Database>, projectId: string, rules: ProjectRules, now: Date): Promise<RuleResults> {
  const findings: Finding[] = [];
  const evaluated = new Set<AlertRule>();
  const judge = (rule: AlertRule, subject: string, window: string, o: Observation, describe: string, campaignId?: string) => {
    const d = decideLevel(RULE_DEFINITIONS[rule].kind, rules[rule], o);
    if (!d) return;
    findings.push({ rule, subject, window, level: d.level, value: d.value, volume: o.volume, threshold: d.threshold, campaignId, message: messageOf(rule, describe, window, o, d.level, d.value, d.threshold) });
  };
  const on = (rule: AlertRule) => {
    if (!rules[rule].enabled) return false;
    evaluated.add(rule);
    return true;
  };
  // A rule turned off resolves its open alerts (diffAlerts resolves those of evaluated rules).
  for (const rule of Object.keys(rules) as AlertRule[]) if (!rules[rule].enabled) evaluated.add(rule);

  if (on('complaint_rate')) {
    for (const window of ['24h', '7d']) {
      const since = new Date(now.getTime() - WINDOW_MS[window]!);
      for (const by of ['sending_domain', 'provider'] as const) {
        for (const t of await complaintsSince(db, projectId, since, by)) {
          judge('complaint_rate', `${by}:${t.key}`, window, { volume: t.volume, count: t.count }, `${by === 'provider' ? 'provider' : 'sending domain'} ${t.key}`);
        }
      }
    }
  }
  const bounces = on('campaign_hard_bounce_rate');
  if (on('campaign_delivery_rate') || bounces) {
    for (const c of await activeCampaigns(db, projectId, new Date(now.getTime() - 24 * HOUR_MS))) {
      judge('campaign_hard_bounce_rate', `campaign:${c.campaignId}`, 'campaign', { volume: c.sent, count: c.hardBounced }, `campaign ${c.campaignId}`, c.campaignId);
      judge('campaign_delivery_rate', `campaign:${c.campaignId}`, 'campaign', { volume: c.sent, count: c.hardBounced + c.softBounced }, `campaign ${c.campaignId}`, c.campaignId);
    }
  }
  if (on('project_hard_bounce_rate')) {
    const t = await recentHardBounces(db, projectId, PROJECT_SENDS, PROJECT_SENDS_MAX_DAYS, now);
    judge('project_hard_bounce_rate', 'project', 'last_10000', { volume: t.volume, count: t.count }, 'the project');
  }
  if (on('provider_deferral_rate')) {
    // The last hour: the previous whole hour and the current one (rollups are hourly).
    const recentSince = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS);
    for (const p of await providerAttempts(db, projectId, recentSince, BASELINE_DAYS)) {
      const baseline = p.baseline.volume > 0 ? p.baseline.count / p.baseline.volume : 0;
      judge('provider_deferral_rate', `provider:${p.provider}`, '1h', { volume: p.recent.volume, count: p.recent.count, baseline }, `provider ${p.provider}`);
    }
  }
  if (on('auth_refusal')) {
    for (const r of await authRefusalsSince(db, projectId, new Date(now.getTime() - WINDOW_MS['24h']!))) {
      const codes = r.codes.length > 0 ? ` (${r.codes.join(', ')})` : '';
      judge('auth_refusal', `provider:${r.provider}`, '24h', { volume: r.n, count: r.n }, `provider ${r.provider}${codes}`);
    }
  }
  if (on('unsubscribe_not_suppressed')) {
    // Unsubscribes older than 24 hours (and at most as old as the signals kept) not on the list.
    const n = await unsuppressedUnsubscribes(db, projectId, new Date(now.getTime() - SIGNALS_KEPT_MS), new Date(now.getTime() - WINDOW_MS['24h']!));
    judge('unsubscribe_not_suppressed', 'project', '24h', { volume: n, count: n }, 'the project');
  }
  return { findings, evaluated };
}

const WINDOW_WORDS: Record<string, string> = { '24h': 'over 24 hours', '7d': 'over 7 days', campaign: 'so far', last_10000: 'over the last 10,000 sends', '1h': 'in the last hour' };
const RULE_WORDS: Record<AlertRule, string> = {
  complaint_rate: 'Complaint rate',
  campaign_hard_bounce_rate: 'Hard-bounce rate',
  project_hard_bounce_rate: 'Hard-bounce rate',
  provider_deferral_rate: 'Deferral and block rate',
  auth_refusal: 'Authentication refusals',
  campaign_delivery_rate: 'Delivery rate',
  unsubscribe_not_suppressed: 'Unsubscribes not acted on',
};

const pct = (r: number) => `${(r * 100).toFixed(r < 0.01 ? 2 : 1)} %`;

function messageOf(rule: AlertRule, subject: string, window: string, o: Observation, level: string, value: number, threshold: number): string {
  const kind = RULE_DEFINITIONS[rule].kind;
  const figure = kind === 'count' ? String(value) : pct(value);
  const line = kind === 'count' ? String(threshold) : pct(threshold);
  const base = kind === 'count' ? '' : ` (${o.count.toLocaleString('en')} of ${o.volume.toLocaleString('en')} ${RULE_DEFINITIONS[rule].volume}${o.baseline !== undefined ? `, usually ${pct(o.baseline)}` : ''})`;
  return `${RULE_WORDS[rule]} ${figure} for ${subject} ${WINDOW_WORDS[window] ?? window}${base}: ${level} at ${kind === 'rate_below' ? 'or below ' : ''}${line}`;
}
