import { describe, expect, it } from 'vitest';
import { RULE_DEFINITIONS, type AlertRule } from './alert-rules.ts';
import { decideLevel, type Observation } from './decide-level.ts';

const at = (rule: AlertRule, o: Observation) => decideLevel(RULE_DEFINITIONS[rule].kind, RULE_DEFINITIONS[rule].defaults, o)?.level ?? 'none';

describe('each default rule decides as its table says', () => {
  // [rule, volume, count, baseline, level]: the row's situation reads in its own words.
  const table: Array<[AlertRule, number, number, number | undefined, string, string]> = [
    ['complaint_rate', 1_999, 100, undefined, 'none', 'below 2,000 delivered: nothing, however many complaints'],
    ['complaint_rate', 2_000, 1, undefined, 'none', '0.05 %: inside the line'],
    ['complaint_rate', 2_000, 2, undefined, 'none', '0.1 % on 2,000: over the line, but 2 is within the noise of a sender at 0.04 %'],
    ['complaint_rate', 2_000, 4, undefined, 'warning', '0.2 % on 2,000: warning'],
    ['complaint_rate', 2_000, 6, undefined, 'warning', '0.3 % on 2,000: over the critical line, within the noise of a sender at 0.15 %'],
    ['complaint_rate', 2_000, 12, undefined, 'critical', '0.6 % on 2,000: critical'],
    ['complaint_rate', 100_000, 90, undefined, 'warning', '0.09 % on 100,000: just over the line is a warning at volume'],
    ['complaint_rate', 100_000, 300, undefined, 'critical', '0.3 % on 100,000: critical'],
    ['campaign_hard_bounce_rate', 499, 499, undefined, 'none', 'before 500 sent: nothing'],
    ['campaign_hard_bounce_rate', 500, 9, undefined, 'none', '1.8 %: inside'],
    ['campaign_hard_bounce_rate', 500, 15, undefined, 'warning', '3 %: warning'],
    ['campaign_hard_bounce_rate', 500, 40, undefined, 'critical', '8 %: critical'],
    ['campaign_hard_bounce_rate', 600, 600, undefined, 'critical', 'every email bounced: critical'],
    ['project_hard_bounce_rate', 999, 999, undefined, 'none', 'below 1,000 sends: nothing'],
    ['project_hard_bounce_rate', 10_000, 150, undefined, 'none', '1.5 % of 10,000: inside'],
    ['project_hard_bounce_rate', 10_000, 260, undefined, 'warning', '2.6 % of 10,000: warning'],
    ['project_hard_bounce_rate', 10_000, 600, undefined, 'critical', '6 % of 10,000: critical'],
    ['provider_deferral_rate', 199, 199, 0, 'none', 'below 200 attempts: nothing'],
    ['provider_deferral_rate', 200, 30, 0.1, 'none', '15 % against a 10 % baseline: inside'],
    ['provider_deferral_rate', 200, 60, 0.1, 'warning', '30 % against 10 %: warning'],
    ['provider_deferral_rate', 200, 120, 0.1, 'critical', '60 % against 10 %: critical'],
    ['provider_deferral_rate', 200, 60, 0.25, 'none', '30 % against a provider that usually defers 25 %: inside'],
    ['auth_refusal', 0, 0, undefined, 'none', 'no refusal'],
    ['auth_refusal', 1, 1, undefined, 'warning', 'one refusal: warning'],
    ['auth_refusal', 10, 10, undefined, 'critical', 'ten refusals: critical'],
    ['campaign_delivery_rate', 500, 10, undefined, 'none', '98 % delivered: inside'],
    ['campaign_delivery_rate', 500, 40, undefined, 'warning', '92 % delivered: warning'],
    ['campaign_delivery_rate', 500, 80, undefined, 'critical', '84 % delivered: critical'],
    ['unsubscribe_not_suppressed', 1, 1, undefined, 'warning', 'one unsubscribe not acted on: warning'],
  ];
  it.each(table)('%s with volume %i and count %i (baseline %s) is %s: %s', (rule, volume, count, baseline, level) => {
    expect(at(rule, { volume, count, baseline })).toBe(level);
  });

  it('a rule turned off says nothing', () => {
    expect(decideLevel('rate_above', { ...RULE_DEFINITIONS.complaint_rate.defaults, enabled: false }, { volume: 10_000, count: 500 })).toBeUndefined();
  });

  it('a delivery rate alert carries the delivery rate and the line it crossed', () => {
    expect(decideLevel('rate_below', RULE_DEFINITIONS.campaign_delivery_rate.defaults, { volume: 1_000, count: 200 })).toEqual({ level: 'critical', value: 0.8, threshold: 0.9 });
  });
});
