// Adds a batch's deltas to the rollup tables: one statement per table (and its project-wide sums), the whole batch as one JSON
// parameter (one round trip, and far cheaper to encode than arrays per column).
import { sql, type Kysely } from 'kysely';
import type { Database, StatsHourlyCounter } from '../../store/database.ts';
import type { RollupDeltas } from './fold-batch.ts';

export const STATS_HOURLY_COUNTERS: readonly StatsHourlyCounter[] = [
  'accepted', 'sent', 'delivered', 'hard_bounced', 'soft_bounced', 'rejected', 'failed', 'cancelled',
  'deferrals', 'opens', 'backfilled_opens', 'clicks', 'replies', 'auto_replies', 'machine_opens', 'machine_clicks',
  'coalesced_opens', 'coalesced_clicks',
  'openers', 'clickers', 'repliers', 'complainers', 'unsubscribers',
];

// Column names are ours (the list above), never input.
const COUNTER_TYPES = sql.raw(STATS_HOURLY_COUNTERS.map((c) => `${c} bigint`).join(', '));
const COUNTER_COLUMNS = sql.raw(STATS_HOURLY_COUNTERS.join(', '));
const COUNTER_VALUES = sql.raw(STATS_HOURLY_COUNTERS.map((c) => `coalesce(r.${c}, 0)`).join(', '));
const COUNTER_TOTALS = sql.raw(STATS_HOURLY_COUNTERS.map((c) => `coalesce(sum(r.${c}), 0)`).join(', '));
const COUNTER_SUMS = sql.raw(STATS_HOURLY_COUNTERS.map((c) => `${c} = s.${c} + excluded.${c}`).join(', '));

export async function writeDeltas(db: Kysely<Database>, d: RollupDeltas): Promise<void> {
  // Each statement also adds its rows, summed over campaigns and sending domains, to the
  // project-wide table (migration 016), so the two never differ.
  if (d.hourly.size > 0) {
    const rows = [...d.hourly.values()].map(({ counters, ...key }) => ({ ...key, ...counters }));
    await sql`
      WITH r AS MATERIALIZED (
        SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          AS r(project_id uuid, hour timestamptz, campaign_id uuid, tag text, sending_domain text, provider text, ${COUNTER_TYPES})
      ), detail AS (
        INSERT INTO stats_hourly AS s (project_id, hour, campaign_id, tag, sending_domain, provider, ${COUNTER_COLUMNS})
        SELECT r.project_id, r.hour, r.campaign_id, r.tag, r.sending_domain, r.provider, ${COUNTER_VALUES}
        FROM r
        ORDER BY 1, 4, 2, 3, 5, 6
        ON CONFLICT (project_id, tag, hour, campaign_id, sending_domain, provider) DO UPDATE SET ${COUNTER_SUMS}
      )
      INSERT INTO stats_project_hourly AS s (project_id, hour, tag, provider, ${COUNTER_COLUMNS})
      SELECT r.project_id, r.hour, r.tag, r.provider, ${COUNTER_TOTALS}
      FROM r
      GROUP BY 1, 2, 3, 4
      ORDER BY 1, 3, 2, 4
      ON CONFLICT (project_id, tag, hour, provider) DO UPDATE SET ${COUNTER_SUMS}
    `.execute(db);
  }
  if (d.machine.size > 0) {
    await sql`
      WITH r AS MATERIALIZED (
        SELECT * FROM jsonb_to_recordset(${JSON.stringify([...d.machine.values()])}::jsonb)
          AS r(project_id uuid, hour timestamptz, campaign_id uuid, tag text, sending_domain text, provider text, kind text, why text, n bigint)
      ), detail AS (
        INSERT INTO stats_machine_hourly AS s (project_id, hour, campaign_id, tag, sending_domain, provider, kind, why, n)
        SELECT * FROM r
        ORDER BY 1, 4, 2, 3, 5, 6, 7, 8
        ON CONFLICT (project_id, tag, hour, campaign_id, sending_domain, provider, kind, why) DO UPDATE SET n = s.n + excluded.n
      )
      INSERT INTO stats_machine_project_hourly AS s (project_id, hour, tag, provider, kind, why, n)
      SELECT project_id, hour, tag, provider, kind, why, sum(n) FROM r
      GROUP BY 1, 2, 3, 4, 5, 6
      ORDER BY 1, 3, 2, 4, 5, 6
      ON CONFLICT (project_id, tag, hour, provider, kind, why) DO UPDATE SET n = s.n + excluded.n
    `.execute(db);
  }
  if (d.clients.size > 0) {
    await sql`
      INSERT INTO stats_clients AS s (project_id, campaign_id, day, kind, client, os, device, n)
      SELECT * FROM jsonb_to_recordset(${JSON.stringify([...d.clients.values()])}::jsonb)
        AS r(project_id uuid, campaign_id uuid, day date, kind text, client text, os text, device text, n bigint)
      ORDER BY 1, 2, 3, 4, 5, 6, 7
      ON CONFLICT (project_id, campaign_id, day, kind, client, os, device) DO UPDATE SET n = s.n + excluded.n
    `.execute(db);
  }
  if (d.links.size > 0) {
    await sql`
      INSERT INTO stats_links AS s (project_id, campaign_id, link_index, url, clicks, clickers)
      SELECT * FROM jsonb_to_recordset(${JSON.stringify([...d.links.values()])}::jsonb)
        AS r(project_id uuid, campaign_id uuid, link_index integer, url text, clicks bigint, clickers bigint)
      ORDER BY 2, 3
      ON CONFLICT (campaign_id, link_index) DO UPDATE SET
        clicks = s.clicks + excluded.clicks, clickers = s.clickers + excluded.clickers,
        url = CASE WHEN s.url = '' THEN excluded.url ELSE s.url END
    `.execute(db);
  }
}
