// All SQL of alerts: a project's settings row (also its evaluation turn), its alerts and their history.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { AlertsTable, Database } from '../store/database.ts';
import { transact } from '../store/transact.ts';
import type { RuleOverrides } from './alert-rules.ts';
import type { Finding, OpenAlert } from './diff-alerts.ts';

export type AlertRow = Selectable<AlertsTable>;

/**
 * Takes the project's evaluation turn: its settings row, locked until the transaction ends, when no
 * other scheduler holds it and its last evaluation is at least `intervalMs` old (or `force`).
 * Undefined: not this time.
 */
export async function takeEvaluationTurn(trx: Kysely<Database>, projectId: string, intervalMs: number, force: boolean): Promise<{ rules: RuleOverrides } | undefined> {
  await sql`INSERT INTO alert_settings (project_id) VALUES (${projectId}) ON CONFLICT (project_id) DO NOTHING`.execute(trx);
  // Raw SQL: FOR UPDATE SKIP LOCKED, so a second scheduler passes on rather than waiting.
  const { rows } = await sql<{ rules: RuleOverrides }>`
    SELECT rules FROM alert_settings
    WHERE project_id = ${projectId}
      AND (${force}::boolean OR evaluated_at IS NULL OR evaluated_at <= now() - make_interval(secs => ${intervalMs / 1000}::float8))
    FOR UPDATE SKIP LOCKED
  `.execute(trx);
  return rows[0];
}

export async function markEvaluated(trx: Kysely<Database>, projectId: string): Promise<void> {
  await trx.updateTable('alert_settings').set({ evaluated_at: sql<Date>`now()` }).where('project_id', '=', projectId).execute();
}

export async function readRuleOverrides(db: Kysely<Database>, projectId: string): Promise<RuleOverrides> {
  const row = await db.selectFrom('alert_settings').select('rules').where('project_id', '=', projectId).executeTakeFirst();
  return (row?.rules ?? {}) as RuleOverrides;
}

/** Stores the overrides under the row's lock (two admins saving at once: the later wins whole). */
export async function saveRuleOverrides(db: Kysely<Database>, projectId: string, change: (current: RuleOverrides) => RuleOverrides): Promise<RuleOverrides> {
  return transact(db, async (trx) => {
    await sql`INSERT INTO alert_settings (project_id) VALUES (${projectId}) ON CONFLICT (project_id) DO NOTHING`.execute(trx);
    const row = await trx.selectFrom('alert_settings').select('rules').where('project_id', '=', projectId).forUpdate().executeTakeFirstOrThrow();
    const next = change((row.rules ?? {}) as RuleOverrides);
    // Evaluated again at the next turn, with the new lines.
    await trx.updateTable('alert_settings').set({ rules: JSON.stringify(next), evaluated_at: null, updated_at: new Date() }).where('project_id', '=', projectId).execute();
    return next;
  });
}

export async function listOpenAlerts(db: Kysely<Database>, projectId: string): Promise<Array<OpenAlert & { campaign_id: string | null }>> {
  return db.selectFrom('alerts').select(['id', 'rule', 'subject', 'window', 'level', 'campaign_id']).where('project_id', '=', projectId).where('state', '=', 'triggered').execute();
}

export async function insertAlert(trx: Kysely<Database>, projectId: string, id: string, f: Finding): Promise<AlertRow> {
  return trx.insertInto('alerts').values({
    id, project_id: projectId, rule: f.rule, subject: f.subject, window: f.window, level: f.level, state: 'triggered',
    value: f.value, volume: f.volume, threshold: f.threshold, message: f.message, campaign_id: f.campaignId ?? null,
  }).returningAll().executeTakeFirstOrThrow();
}

export async function relevelAlert(trx: Kysely<Database>, id: string, f: Finding): Promise<AlertRow> {
  return trx.updateTable('alerts').set({ level: f.level, value: f.value, volume: f.volume, threshold: f.threshold, message: f.message, updated_at: new Date() })
    .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function resolveAlert(trx: Kysely<Database>, id: string): Promise<AlertRow> {
  return trx.updateTable('alerts').set({ state: 'resolved', resolved_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export type AlertFilter = { state?: 'triggered' | 'resolved'; rule?: string; level?: 'warning' | 'critical'; campaignId?: string; beforeId?: string; limit: number };

/** A project's alerts, newest first (ids are UUIDv7). */
export async function listAlerts(db: Kysely<Database>, projectId: string, f: AlertFilter): Promise<AlertRow[]> {
  let q = db.selectFrom('alerts').selectAll().where('project_id', '=', projectId);
  if (f.state) q = q.where('state', '=', f.state);
  if (f.rule) q = q.where('rule', '=', f.rule);
  if (f.level) q = q.where('level', '=', f.level);
  if (f.campaignId) q = q.where('campaign_id', '=', f.campaignId);
  if (f.beforeId) q = q.where('id', '<', f.beforeId);
  return q.orderBy('id', 'desc').limit(f.limit).execute();
}

export async function listProjectIds(db: Kysely<Database>): Promise<string[]> {
  return (await db.selectFrom('projects').select('id').execute()).map((r) => r.id);
}
