// The alert rules, their defaults (issue 21, part 2) and a project's settings over them. A rule
// names what it watches; its settings say from what volume it speaks and where its lines are.
import { AppError } from '../shared/app-error.ts';

export const ALERT_RULES = [
  'complaint_rate',
  'campaign_hard_bounce_rate',
  'project_hard_bounce_rate',
  'provider_deferral_rate',
  'auth_refusal',
  'campaign_delivery_rate',
  'unsubscribe_not_suppressed',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/**
 * How a rule's value meets its lines: `rate_above` (a rate at or above the line, e.g. complaints
 * per delivered), `excess_above` (a rate above the subject's own baseline by at least the line),
 * `rate_below` (a rate at or below the line: delivery rate) and `count` (a number of cases).
 */
export type RuleKind = 'rate_above' | 'excess_above' | 'rate_below' | 'count';

export type RuleSettings = {
  enabled: boolean;
  /** Below this volume (delivered, sent or attempts, per rule) the rule says nothing. */
  min_volume: number;
  warn: number;
  critical: number;
  /** campaign_hard_bounce_rate only: a critical pauses the campaign. */
  pause_on_critical?: boolean;
};

export type RuleDefinition = {
  kind: RuleKind;
  /** What min_volume counts, and over which window(s): for the docs, the API and the dashboard. */
  volume: string;
  windows: readonly string[];
  description: string;
  defaults: RuleSettings;
};

export const RULE_DEFINITIONS: Record<AlertRule, RuleDefinition> = {
  complaint_rate: {
    kind: 'rate_above',
    volume: 'delivered',
    windows: ['24h', '7d'],
    description: 'Spam complaints per delivered email, per sending domain and per mailbox provider (Gmail and Yahoo ask bulk senders to stay under 0.3 %).',
    defaults: { enabled: true, min_volume: 2_000, warn: 0.0008, critical: 0.003 },
  },
  campaign_hard_bounce_rate: {
    kind: 'rate_above',
    volume: 'sent',
    windows: ['campaign'],
    description: 'Hard bounces per sent email of a campaign as it sends; a critical pauses the campaign until it is resumed.',
    defaults: { enabled: true, min_volume: 500, warn: 0.02, critical: 0.05, pause_on_critical: true },
  },
  project_hard_bounce_rate: {
    kind: 'rate_above',
    volume: 'sent',
    windows: ['last_10000'],
    description: 'Hard bounces per sent email over the project\'s last 10,000 sends (whole hours, at most 90 days back).',
    defaults: { enabled: true, min_volume: 1_000, warn: 0.02, critical: 0.05 },
  },
  provider_deferral_rate: {
    kind: 'excess_above',
    volume: 'attempts',
    windows: ['1h'],
    description: 'Deferrals and soft bounces (policy blocks, 4xx and 5.7.x) per attempt at a mailbox provider in the last hour, above that provider\'s 14-day baseline by at least the line.',
    defaults: { enabled: true, min_volume: 200, warn: 0.1, critical: 0.25 },
  },
  auth_refusal: {
    kind: 'count',
    volume: 'refusals',
    windows: ['24h'],
    description: 'Mail refused for failed authentication (SPF, DKIM, DMARC: 5.7.26, 5.7.515, 4.7.32 and kin), per mailbox provider.',
    defaults: { enabled: true, min_volume: 1, warn: 1, critical: 10 },
  },
  campaign_delivery_rate: {
    kind: 'rate_below',
    volume: 'sent',
    windows: ['campaign'],
    description: 'Emails of a campaign accepted by the recipient\'s server (sent minus hard and soft bounces) per sent email.',
    defaults: { enabled: true, min_volume: 500, warn: 0.95, critical: 0.9 },
  },
  unsubscribe_not_suppressed: {
    kind: 'count',
    volume: 'unsubscribes',
    windows: ['24h'],
    description: 'Unsubscribes more than 24 hours old whose address is not on the suppression list (Gmail and Yahoo require honouring one within two days).',
    defaults: { enabled: true, min_volume: 1, warn: 1, critical: 10 },
  },
};

export type ProjectRules = Record<AlertRule, RuleSettings>;
export type RuleOverrides = Partial<Record<AlertRule, Partial<RuleSettings>>>;

/** A project's rules: the defaults with its stored overrides (unknown rules and fields ignored). */
export function projectRules(overrides: RuleOverrides | null | undefined): ProjectRules {
  const out = {} as ProjectRules;
  for (const rule of ALERT_RULES) {
    const stored = overrides?.[rule] ?? {};
    const merged: RuleSettings = { ...RULE_DEFINITIONS[rule].defaults };
    for (const key of Object.keys(merged) as Array<keyof RuleSettings>) {
      if (stored[key] !== undefined) (merged as Record<string, unknown>)[key] = stored[key];
    }
    out[rule] = merged;
  }
  return out;
}

/**
 * Checks a PUT of rules (the whole set, or some rules, each whole or in part) against the defaults
 * and the rule's kind, and returns the overrides to store. Refuses with validation_error.
 */
export function checkRuleChanges(current: RuleOverrides, changes: Record<string, Partial<RuleSettings>>): RuleOverrides {
  const next: RuleOverrides = structuredClone(current);
  for (const [rule, change] of Object.entries(changes)) {
    if (!(ALERT_RULES as readonly string[]).includes(rule)) throw invalid(`/${rule}`, `${rule} is not an alert rule`);
    const r = rule as AlertRule;
    const merged = { ...projectRules(next)[r], ...change };
    checkSettings(r, merged);
    if (change.pause_on_critical !== undefined && r !== 'campaign_hard_bounce_rate') throw invalid(`/${r}/pause_on_critical`, 'only campaign_hard_bounce_rate pauses');
    next[r] = diffFromDefaults(r, merged);
  }
  return next;
}

function checkSettings(rule: AlertRule, s: RuleSettings): void {
  const { kind } = RULE_DEFINITIONS[rule];
  if (!Number.isInteger(s.min_volume) || s.min_volume < 1 || s.min_volume > 10_000_000) throw invalid(`/${rule}/min_volume`, 'min_volume is a whole number from 1 to 10,000,000');
  if (kind === 'count') {
    for (const k of ['warn', 'critical'] as const) {
      if (!Number.isInteger(s[k]) || s[k] < 1 || s[k] > 1_000_000) throw invalid(`/${rule}/${k}`, `${k} is a whole number of cases from 1`);
    }
  } else {
    for (const k of ['warn', 'critical'] as const) {
      if (!(s[k] > 0 && s[k] < 1)) throw invalid(`/${rule}/${k}`, `${k} is a rate between 0 and 1 (0.003 is 0.3 %)`);
    }
  }
  const ordered = kind === 'rate_below' ? s.critical <= s.warn : s.critical >= s.warn;
  if (!ordered) throw invalid(`/${rule}/critical`, kind === 'rate_below' ? 'critical must not be above warn for a rate that alarms when low' : 'critical must not be below warn');
}

function diffFromDefaults(rule: AlertRule, s: RuleSettings): Partial<RuleSettings> {
  const defaults = RULE_DEFINITIONS[rule].defaults;
  const out: Partial<RuleSettings> = {};
  for (const key of Object.keys(defaults) as Array<keyof RuleSettings>) {
    if (s[key] !== defaults[key]) (out as Record<string, unknown>)[key] = s[key];
  }
  return out;
}

const invalid = (path: string, message: string) => new AppError('validation_error', message, [{ path }]);
