// What one observation of one rule means: nothing, a warning or a critical. Volume-aware: a rate
// must cross the line and its count must be more than the noise of a sender whose true rate is
// well inside the line (half way from the baseline to it), so a small sender whose few complaints
// happen to land in one window is not alarmed. Pure: the tests state it as a table.
import type { RuleKind, RuleSettings } from './alert-rules.ts';
import { noiseCeiling } from './binomial.ts';

export type AlertLevel = 'warning' | 'critical';

export type Observation = {
  /** Emails the rate is over (delivered, sent, attempts), or cases for a count rule. */
  volume: number;
  /** Cases among them (complaints, hard bounces, deferrals, failed deliveries; refusals). */
  count: number;
  /** excess_above: the subject's usual rate, which the line is added to. */
  baseline?: number;
};

/** The chance a sender well inside the line is alarmed at any volume: at most 1 %. */
export const NOISE_ALPHA = 0.01;

export type Decision = { level: AlertLevel; value: number; threshold: number } | undefined;

export function decideLevel(kind: RuleKind, s: RuleSettings, o: Observation): Decision {
  if (!s.enabled || o.volume < s.min_volume) return undefined;
  if (kind === 'count') {
    if (o.count >= s.critical) return { level: 'critical', value: o.count, threshold: s.critical };
    if (o.count >= s.warn) return { level: 'warning', value: o.count, threshold: s.warn };
    return undefined;
  }
  const rate = o.count / o.volume;
  // rate_below watches the failures (1 - rate): a delivery rate at or below 95 % is failures at or above 5 %.
  const failureLine = (line: number) => (kind === 'rate_below' ? 1 - line : line);
  const baseline = kind === 'excess_above' ? Math.min(o.baseline ?? 0, 0.99) : 0;
  const value = kind === 'rate_below' ? 1 - rate : rate;
  for (const level of ['critical', 'warning'] as const) {
    const line = level === 'critical' ? s.critical : s.warn;
    const casesLine = Math.min(baseline + failureLine(line), 1);
    if (rate < casesLine) continue;
    const inside = baseline + (casesLine - baseline) / 2;
    if (o.count < noiseCeiling(o.volume, inside, NOISE_ALPHA)) continue;
    return { level, value, threshold: kind === 'excess_above' ? casesLine : line };
  }
  return undefined;
}
