// From what the rules decide now and the alerts open before, the changes to make: alerts to
// trigger, to move to another level, and to resolve. Pure.
import type { AlertRule } from './alert-rules.ts';
import type { AlertLevel } from './decide-level.ts';

/** One rule's verdict on one subject over one window (only those that reached a level). */
export type Finding = {
  rule: AlertRule;
  subject: string;
  window: string;
  level: AlertLevel;
  value: number;
  volume: number;
  threshold: number;
  message: string;
  campaignId?: string;
};

export type OpenAlert = { id: string; rule: string; subject: string; window: string; level: AlertLevel };

export type AlertChanges = {
  trigger: Finding[];
  /** Open alerts whose level changed (warning to critical, or back). */
  relevel: Array<{ alert: OpenAlert; finding: Finding }>;
  resolve: OpenAlert[];
};

const keyOf = (a: { rule: string; subject: string; window: string }) => `${a.rule}\u0000${a.subject}\u0000${a.window}`;

/**
 * `evaluated` lists the rules that were evaluated: an open alert of a rule not evaluated this time
 * (turned off, or its data unavailable) is left as it is, except a disabled rule's, which resolve.
 */
export function diffAlerts(open: readonly OpenAlert[], findings: readonly Finding[], evaluated: ReadonlySet<string>): AlertChanges {
  const openByKey = new Map(open.map((a) => [keyOf(a), a]));
  const found = new Set<string>();
  const changes: AlertChanges = { trigger: [], relevel: [], resolve: [] };
  for (const f of findings) {
    const key = keyOf(f);
    found.add(key);
    const alert = openByKey.get(key);
    if (!alert) changes.trigger.push(f);
    else if (alert.level !== f.level) changes.relevel.push({ alert, finding: f });
  }
  for (const a of open) {
    if (!found.has(keyOf(a)) && evaluated.has(a.rule)) changes.resolve.push(a);
  }
  return changes;
}
