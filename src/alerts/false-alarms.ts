// Each default rule's false-alarm rate at its minimum volume: the chance that a sender whose true
// rate is well inside the line (half of it; for deferrals, half way from a 5 % baseline) reaches a
// warning, with and without the noise guard of decideLevel. docs/alerts.md gives the figures this
// computes (the test checks they still match).
import { RULE_DEFINITIONS, type AlertRule } from './alert-rules.ts';
import { binomialTail } from './binomial.ts';
import { decideLevel } from './decide-level.ts';

export const DEFERRAL_BASELINE = 0.05;

export type FalseAlarm = { rule: AlertRule; volume: number; insideRate: number; naive: number; guarded: number; detected: number };

/**
 * naive: P(rate >= warn) for a sender at the inside rate; guarded: P(decideLevel warns or worse);
 * detected: the same for a sender at twice the line (for deferrals, baseline + 2 x line).
 */
export function falseAlarmRate(rule: AlertRule): FalseAlarm | undefined {
  const def = RULE_DEFINITIONS[rule];
  if (def.kind === 'count') return undefined;
  const n = def.defaults.min_volume;
  const baseline = def.kind === 'excess_above' ? DEFERRAL_BASELINE : 0;
  const line = def.kind === 'rate_below' ? 1 - def.defaults.warn : baseline + def.defaults.warn;
  const inside = baseline + (line - baseline) / 2;
  const bad = Math.min(baseline + 2 * (line - baseline), 1);
  const naive = binomialTail(n, inside, Math.ceil(line * n - 1e-9));
  const alarmsAt = (p: number) => {
    // The smallest count decideLevel alarms at; the chance of at least that many.
    for (let k = 0; k <= n; k++) {
      if (decideLevel(def.kind, def.defaults, { volume: n, count: k, baseline })) return binomialTail(n, p, k);
    }
    return 0;
  };
  return { rule, volume: n, insideRate: def.kind === 'rate_below' ? 1 - inside : inside, naive, guarded: alarmsAt(inside), detected: alarmsAt(bad) };
}
