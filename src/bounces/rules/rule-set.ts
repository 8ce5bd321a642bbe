// Owns the rule set classification reads by default, and the sets without one corpus family's rules that
// the leave-one-source-out benchmark scores that family with.
import { ADDRESS_VERDICT_RULES, BOUNCE_RULES } from './bounce-rules.ts';
import type { BounceRuleSet, RuleProvenance } from './bounce-rule-types.ts';
import { SMTP_STAGE_RULES } from './smtp-stage-rules.ts';

export const ALL_BOUNCE_RULES: BounceRuleSet = { text: BOUNCE_RULES, verdicts: ADDRESS_VERDICT_RULES, stages: SMTP_STAGE_RULES };

/** Whether a rule's only evidence is the given family's files: such a rule says nothing about how the
 * rules generalise to that family's unseen files. */
export function comesOnlyFrom(rule: RuleProvenance, family: string): boolean {
  return rule.sources.length === 1 && rule.sources[0] === family;
}

/** The rules without those whose only source is `family`. */
export function rulesWithout(family: string, rules: BounceRuleSet = ALL_BOUNCE_RULES): BounceRuleSet {
  const kept = <T extends RuleProvenance>(rows: readonly T[]): T[] => rows.filter((rule) => !comesOnlyFrom(rule, family));
  return { text: kept(rules.text), verdicts: kept(rules.verdicts), stages: kept(rules.stages) };
}
