// What the rules look at, read from the rollups (stats_hourly and stats_project_hourly, tag '' so
// each email counts once), never from the events or the emails: each read is one range of a
// rollup index, a few rows per hour of the window (per sending domain, provider or campaign).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';

export type Tally = { key: string; volume: number; count: number };

const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const num = (v: unknown) => Number(v ?? 0);

/** Complaints (people who complained) per delivered email since `since`, by sending domain or provider. */
export async function complaintsSince(db: Kysely<Database>, projectId: string, since: Date, by: 'sending_domain' | 'provider'): Promise<Tally[]> {
  // Per provider, the project-wide rows (migration 016): one row per hour and provider.
  const { rows } = by === 'provider'
    ? await sql<{ key: string; delivered: string; complainers: string }>`
        SELECT provider AS key, sum(delivered) AS delivered, sum(complainers) AS complainers
        FROM stats_project_hourly WHERE project_id = ${projectId} AND tag = '' AND hour >= ${since}
        GROUP BY provider`.execute(db)
    : await sql<{ key: string; delivered: string; complainers: string }>`
        SELECT sending_domain AS key, sum(delivered) AS delivered, sum(complainers) AS complainers
        FROM stats_hourly WHERE project_id = ${projectId} AND tag = '' AND hour >= ${since}
        GROUP BY sending_domain`.execute(db);
  return rows.filter((r) => r.key !== '').map((r) => ({ key: r.key, volume: num(r.delivered), count: num(r.complainers) }));
}

export type CampaignTally = { campaignId: string; sent: number; hardBounced: number; softBounced: number };

/**
 * The campaigns of the project that sent in the last `activeSince` window, or are paused, each with
 * its whole sending so far (the rollups' campaign index: its hours' rows).
 */
export async function activeCampaigns(db: Kysely<Database>, projectId: string, activeSince: Date): Promise<CampaignTally[]> {
  const { rows } = await sql<{ campaign_id: string; sent: string; hard_bounced: string; soft_bounced: string }>`
    WITH active AS (
      SELECT DISTINCT campaign_id FROM stats_hourly
      WHERE project_id = ${projectId} AND tag = '' AND hour >= ${activeSince} AND campaign_id <> ${NIL_UUID}::uuid
      UNION
      SELECT id FROM campaigns WHERE project_id = ${projectId} AND status = 'paused'
    )
    SELECT s.campaign_id, sum(s.sent) AS sent, sum(s.hard_bounced) AS hard_bounced, sum(s.soft_bounced) AS soft_bounced
    FROM active a JOIN stats_hourly s ON s.campaign_id = a.campaign_id AND s.tag = ''
    GROUP BY s.campaign_id
  `.execute(db);
  return rows.map((r) => ({ campaignId: r.campaign_id, sent: num(r.sent), hardBounced: num(r.hard_bounced), softBounced: num(r.soft_bounced) }));
}

/**
 * Hard bounces over the project's last `sends` sent emails, counted back whole hours from the
 * latest, at most `maxDays` back: the hour that reaches `sends` is counted whole.
 */
export async function recentHardBounces(db: Kysely<Database>, projectId: string, sends: number, maxDays: number, now: Date): Promise<Tally> {
  const since = new Date(now.getTime() - maxDays * 86_400_000);
  const { rows } = await sql<{ sent: string | null; hard_bounced: string | null }>`
    WITH h AS (
      SELECT hour, sum(sent) AS sent, sum(hard_bounced) AS hard_bounced
      FROM stats_project_hourly WHERE project_id = ${projectId} AND tag = '' AND hour >= ${since}
      GROUP BY hour
    ), r AS (
      SELECT sent, hard_bounced, sum(sent) OVER (ORDER BY hour DESC) - sent AS before FROM h
    )
    SELECT sum(sent) AS sent, sum(hard_bounced) AS hard_bounced FROM r WHERE before < ${sends}
  `.execute(db);
  return { key: 'project', volume: num(rows[0]?.sent), count: num(rows[0]?.hard_bounced) };
}

export type ProviderAttempts = { provider: string; recent: Tally; baseline: Tally };

/**
 * Per mailbox provider: attempts (sent plus deferrals) and their failures (deferrals plus soft
 * bounces, where the taxonomy files policy blocks) in the recent window, and over the `baselineDays`
 * before it.
 */
export async function providerAttempts(db: Kysely<Database>, projectId: string, recentSince: Date, baselineDays: number): Promise<ProviderAttempts[]> {
  const baselineSince = new Date(recentSince.getTime() - baselineDays * 86_400_000);
  const { rows } = await sql<{ provider: string; recent: boolean; attempts: string; failures: string }>`
    SELECT provider, hour >= ${recentSince} AS recent, sum(sent + deferrals) AS attempts, sum(deferrals + soft_bounced) AS failures
    FROM stats_project_hourly WHERE project_id = ${projectId} AND tag = '' AND hour >= ${baselineSince}
    GROUP BY 1, 2
  `.execute(db);
  const byProvider = new Map<string, ProviderAttempts>();
  for (const r of rows) {
    const p = byProvider.get(r.provider) ?? { provider: r.provider, recent: { key: r.provider, volume: 0, count: 0 }, baseline: { key: r.provider, volume: 0, count: 0 } };
    const t = r.recent ? p.recent : p.baseline;
    t.volume += num(r.attempts);
    t.count += num(r.failures);
    byProvider.set(r.provider, p);
  }
  return [...byProvider.values()].filter((p) => p.provider !== '');
}
