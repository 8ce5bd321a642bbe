// One evaluation of one project's alerts, in one transaction under its evaluation turn: the rules
// over the rollups, the alerts that change (triggered, a new level, resolved) with their webhooks
// queued in the outbox, and the campaigns a critical hard-bounce rate pauses. A crash anywhere
// leaves none of it; the next turn evaluates again.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { newId } from '../shared/ids.ts';
import { pauseCampaign, pauseStragglers } from '../campaigns/index.ts';
import { queueAlertDeliveries, type AlertPayload } from '../webhooks/index.ts';
import { projectRules, type RuleOverrides } from './alert-rules.ts';
import { diffAlerts } from './diff-alerts.ts';
import { findFindings } from './find-findings.ts';
import { insertAlert, listOpenAlerts, markEvaluated, relevelAlert, resolveAlert, takeEvaluationTurn, type AlertRow } from './alerts.repository.ts';
import { alertJson } from './alert-json.ts';

export type AlertChange = { kind: 'triggered' | 'resolved'; alert: AlertRow };
export type Evaluation = { evaluated: boolean; changes: AlertChange[]; paused: string[] };

export type EvaluateOptions = {
  /** At most one evaluation per project per this long (default 30 s). */
  intervalMs?: number;
  /** Evaluate now whatever the interval (tests; after rules change). */
  force?: boolean;
  now?: Date;
};

export const EVALUATION_INTERVAL_MS = 30_000;

export async function evaluateProject(db: Kysely<Database>, projectId: string, options: EvaluateOptions = {}): Promise<Evaluation> {
  const now = options.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const turn = await takeEvaluationTurn(trx, projectId, options.intervalMs ?? EVALUATION_INTERVAL_MS, options.force ?? false);
    if (!turn) return { evaluated: false, changes: [], paused: [] };
    const rules = projectRules(turn.rules as RuleOverrides);
    const { findings, evaluated } = await findFindings(trx, projectId, rules, now);
    const open = await listOpenAlerts(trx, projectId);
    const diff = diffAlerts(open, findings, evaluated);

    const changes: AlertChange[] = [];
    for (const f of diff.trigger) changes.push({ kind: 'triggered', alert: await insertAlert(trx, projectId, newId(), f) });
    // A new level is told as alert.triggered again, with the level it now has.
    for (const { alert, finding } of diff.relevel) changes.push({ kind: 'triggered', alert: await relevelAlert(trx, alert.id, finding) });
    for (const a of diff.resolve) changes.push({ kind: 'resolved', alert: await resolveAlert(trx, a.id) });

    const paused: string[] = [];
    if (rules.campaign_hard_bounce_rate.pause_on_critical) {
      for (const { kind, alert } of changes) {
        if (kind !== 'triggered' || alert.rule !== 'campaign_hard_bounce_rate' || alert.level !== 'critical' || !alert.campaign_id) continue;
        const p = await pauseCampaign(trx, projectId, alert.campaign_id, alert.message);
        if (p.paused) paused.push(p.id);
      }
    }
    // An attempt in flight at the pause may have set a retry since: out of the queue again.
    for (const a of open) if (a.campaign_id && !paused.includes(a.campaign_id)) await pauseStragglersIfPaused(trx, projectId, a.campaign_id);

    await queueAlertDeliveries(trx, projectId, changes.map(payloadOf));
    await markEvaluated(trx, projectId);
    return { evaluated: true, changes, paused };
  });
}

async function pauseStragglersIfPaused(trx: Kysely<Database>, projectId: string, campaignId: string): Promise<void> {
  const c = await trx.selectFrom('campaigns').select('status').where('project_id', '=', projectId).where('id', '=', campaignId).executeTakeFirst();
  if (c?.status === 'paused') await pauseStragglers(trx, campaignId);
}

function payloadOf(change: AlertChange): AlertPayload {
  return { type: change.kind === 'triggered' ? 'alert.triggered' : 'alert.resolved', created_at: change.alert.updated_at.toISOString(), data: alertJson(change.alert) };
}
