// What the admins read when alerts change: one message per evaluation that changed something.
import type { AlertChange } from './evaluate-project.ts';

export function alertMail(changes: readonly AlertChange[], dashboardUrl: string): { subject: string; text: string } {
  const triggered = changes.filter((c) => c.kind === 'triggered');
  const critical = triggered.some((c) => c.alert.level === 'critical');
  const subject = triggered.length > 0
    ? `Sendtrail: ${critical ? 'critical' : 'warning'}: ${triggered[0]!.alert.message}${changes.length > 1 ? ` (+${changes.length - 1} more)` : ''}`
    : `Sendtrail: resolved: ${changes[0]!.alert.message}${changes.length > 1 ? ` (+${changes.length - 1} more)` : ''}`;
  const lines = changes.map((c) => `- ${c.kind === 'triggered' ? c.alert.level.toUpperCase() : 'RESOLVED'}: ${c.alert.message}`);
  const paused = changes.filter((c) => c.kind === 'triggered' && c.alert.rule === 'campaign_hard_bounce_rate' && c.alert.level === 'critical');
  return {
    subject,
    text: [
      'Alerts changed on your Sendtrail installation:',
      '',
      ...lines,
      ...(paused.length > 0 ? ['', 'A campaign whose hard-bounce rate is critical is paused until it is resumed (the Alerts page, or POST /v1/campaigns/{id}/resume).'] : []),
      '',
      `See them: ${dashboardUrl.replace(/\/+$/, '')}/alerts`,
    ].join('\n'),
  };
}
