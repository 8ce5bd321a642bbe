// SQL for a campaign's engagement: counted opens and clicks, machine traffic, replies, complaints, bounces.
// Read from the events of the campaign's emails on each request; rollup tables (DESIGN.md section 2) replace this later.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';

export type EngagementRow = {
  openers: number; opens: number; backfilled_opens: number;
  clickers: number; clicks: number;
  repliers: number; replies: number; auto_replies: number;
  complainers: number; unsubscribers: number;
  bounced: number; hard_bounced: number;
};

/**
 * One pass over the campaign's events (emails_campaign, then events_email). `counted` is the
 * classifier's verdict stored on each open and click (DESIGN.md section 4); a reply with
 * metadata.auto = true is an auto-reply (RFC 3834) and never a reply.
 */
export async function countEngagement(db: Kysely<Database>, campaignId: string): Promise<EngagementRow> {
  const { rows } = await sql<Record<keyof EngagementRow, string | number>>`
    WITH ev AS (
      SELECT ev.email_id, ev.event_type AS t, ev.metadata->'counted' = 'true'::jsonb AS counted, ev.metadata AS m
      FROM emails em JOIN events ev ON ev.email_id = em.id
      WHERE em.campaign_id = ${campaignId}
        AND ev.event_type IN ('open', 'click', 'reply', 'complaint', 'unsubscribe', 'bounced')
    )
    SELECT
      count(DISTINCT email_id) FILTER (WHERE t = 'open' AND counted) AS openers,
      count(*) FILTER (WHERE t = 'open' AND counted) AS opens,
      count(*) FILTER (WHERE t = 'open' AND counted AND m->'backfilled' = 'true'::jsonb) AS backfilled_opens,
      count(DISTINCT email_id) FILTER (WHERE t = 'click' AND counted) AS clickers,
      count(*) FILTER (WHERE t = 'click' AND counted) AS clicks,
      count(DISTINCT email_id) FILTER (WHERE t = 'reply' AND m->'auto' IS DISTINCT FROM 'true'::jsonb) AS repliers,
      count(*) FILTER (WHERE t = 'reply' AND m->'auto' IS DISTINCT FROM 'true'::jsonb) AS replies,
      count(*) FILTER (WHERE t = 'reply' AND m->'auto' = 'true'::jsonb) AS auto_replies,
      count(DISTINCT email_id) FILTER (WHERE t = 'complaint') AS complainers,
      count(DISTINCT email_id) FILTER (WHERE t = 'unsubscribe') AS unsubscribers,
      count(DISTINCT email_id) FILTER (WHERE t = 'bounced') AS bounced,
      count(DISTINCT email_id) FILTER (WHERE t = 'bounced' AND m->>'bounce_type' = 'hard') AS hard_bounced
    FROM ev
  `.execute(db);
  const row = rows[0]!;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as EngagementRow;
}

/** Uncounted opens and clicks by the classifier's `why` (apple_mpp, scanner, network, coalesced ...). */
export async function countUncountedHits(db: Kysely<Database>, campaignId: string): Promise<Array<{ kind: 'open' | 'click'; why: string; n: number }>> {
  const { rows } = await sql<{ kind: 'open' | 'click'; why: string | null; n: string | number }>`
    SELECT ev.event_type AS kind, ev.metadata->>'why' AS why, count(*) AS n
    FROM emails em JOIN events ev ON ev.email_id = em.id
    WHERE em.campaign_id = ${campaignId} AND ev.event_type IN ('open', 'click')
      AND ev.metadata->'counted' IS DISTINCT FROM 'true'::jsonb
    GROUP BY 1, 2
  `.execute(db);
  return rows.map((r) => ({ kind: r.kind, why: r.why ?? 'unknown', n: Number(r.n) }));
}
