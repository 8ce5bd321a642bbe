// An alert as the API, the webhooks and the admins' email show it.
import type { AlertRow } from './alerts.repository.ts';

export function alertJson(a: AlertRow) {
  return {
    id: a.id,
    rule: a.rule,
    subject: a.subject,
    window: a.window,
    level: a.level,
    state: a.state,
    value: a.value,
    volume: Number(a.volume),
    threshold: a.threshold,
    message: a.message,
    campaign_id: a.campaign_id,
    triggered_at: a.triggered_at.toISOString(),
    resolved_at: a.resolved_at?.toISOString() ?? null,
    updated_at: a.updated_at.toISOString(),
  };
}

export type AlertJson = ReturnType<typeof alertJson>;
