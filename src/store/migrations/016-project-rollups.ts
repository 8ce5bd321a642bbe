// Project-wide rollups: stats_hourly and stats_machine_hourly summed over campaigns and sending
// domains, one row per hour x project x tag x mailbox provider.
//
// Most reads name no campaign and no sending domain: a project's overview, its series by provider
// or by tag. Over stats_hourly they sum an hour's rows of every campaign and domain, and summing
// twenty counters per row is what such a read spends most on (a month by provider: 8,000 rows for
// 3,600 sums, 45 ms on PGlite). Here that month is the 3,600 rows themselves, whatever the number
// of campaigns and domains. The scheduler writes both in the same statement, so they never differ.
import { sql, type Kysely } from 'kysely';

// Frozen here, as in 014: a later change of the counters is a later migration.
const COUNTERS = [
  'accepted', 'sent', 'delivered', 'hard_bounced', 'soft_bounced', 'rejected', 'failed', 'cancelled',
  'deferrals', 'opens', 'backfilled_opens', 'clicks', 'replies', 'auto_replies', 'machine_opens', 'machine_clicks',
  'coalesced_opens', 'coalesced_clicks',
  'openers', 'clickers', 'repliers', 'complainers', 'unsubscribers',
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE stats_project_hourly (
      project_id uuid NOT NULL,
      hour timestamptz NOT NULL,
      tag text NOT NULL,
      provider text NOT NULL,
      ${sql.raw(COUNTERS.map((c) => `${c} bigint NOT NULL DEFAULT 0`).join(',\n      '))},
      PRIMARY KEY (project_id, tag, hour, provider)
    );
    CREATE TABLE stats_machine_project_hourly (
      project_id uuid NOT NULL,
      hour timestamptz NOT NULL,
      tag text NOT NULL,
      provider text NOT NULL,
      kind text NOT NULL,
      why text NOT NULL,
      n bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (project_id, tag, hour, provider, kind, why)
    );
    -- What the scheduler folded before this migration (it runs before any role starts).
    INSERT INTO stats_project_hourly (project_id, hour, tag, provider, ${sql.raw(COUNTERS.join(', '))})
      SELECT project_id, hour, tag, provider, ${sql.raw(COUNTERS.map((c) => `sum(${c})`).join(', '))}
      FROM stats_hourly GROUP BY project_id, hour, tag, provider;
    INSERT INTO stats_machine_project_hourly (project_id, hour, tag, provider, kind, why, n)
      SELECT project_id, hour, tag, provider, kind, why, sum(n)
      FROM stats_machine_hourly GROUP BY project_id, hour, tag, provider, kind, why;
  `.execute(db);
}
