// SQL for a campaign's bounces by reason: its latest bounced emails, their bounce events grouped.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';

export type BounceReasonRow = { bounce_type: string | null; reason: string | null; emails: number; example: string | null };

/**
 * Reads at most `maxEmails` bounced emails, newest first, along emails_campaign_status_id, and
 * their `bounced` events along events_email: the cost stays bounded on a campaign of millions.
 * Raw SQL: jsonb fields and a LIMIT inside the join are clearer here than in the builder.
 */
export async function readBounceReasons(db: Kysely<Database>, projectId: string, campaignId: string, maxEmails: number): Promise<{ rows: BounceReasonRow[]; emailsRead: number }> {
  const result = await sql<{ bounce_type: string | null; reason: string | null; emails: string; example: string | null; read: string }>`
    WITH bounced AS (
      SELECT id FROM emails
      WHERE campaign_id = ${campaignId} AND status = 'bounced' AND project_id = ${projectId}
      ORDER BY id DESC LIMIT ${maxEmails}
    )
    SELECT ev.metadata->>'bounce_type' AS bounce_type, ev.metadata->>'reason' AS reason,
           count(DISTINCT ev.email_id) AS emails, min(ev.metadata->>'diagnostic') AS example,
           (SELECT count(*) FROM bounced) AS read
    FROM bounced b JOIN events ev ON ev.email_id = b.id AND ev.event_type = 'bounced'
    GROUP BY 1, 2
    ORDER BY count(DISTINCT ev.email_id) DESC, 1, 2
  `.execute(db);
  const emailsRead = result.rows.length > 0 ? Number(result.rows[0]!.read) : 0;
  return { rows: result.rows.map((r) => ({ bounce_type: r.bounce_type, reason: r.reason, emails: Number(r.emails), example: r.example })), emailsRead };
}
