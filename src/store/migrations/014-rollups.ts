// Rollups of the event log, and the log made append-only.
//
// The database refuses any UPDATE, DELETE or TRUNCATE of events: a changed verdict on a stored hit
// is a `reclassified` event (src/events/hit-verdicts.ts), so whatever follows the log (rollups, the
// live stream, later webhooks) sees every change. Retention (a later migration) will be the one
// documented exception.
//
// What counts (a counted open, a unique person, a back-filled open, a human reply) is decided in
// TypeScript (src/analytics/counting-policy.ts) by the scheduler role, which folds the log into the
// stats_* tables below, exactly once, behind rollup_cursor. Migration 008's engagement triggers,
// which decided it in PL/pgSQL, go. Its status counters stay: they mirror emails.status (the
// queue's own state, like migration 011's queue counters), decide nothing, and a campaign's
// progress must be exact the moment a status moves.
//
// Grain: one row per hour x project x campaign x tag x sending domain x mailbox provider. An hour
// is the finest step a time series offers and lets a day be cut at any whole-hour time zone's
// midnight; the four dimensions are the ones stats are filtered and grouped by, and per hour they
// stay few (a campaign sends from one or two domains to five providers). An email with tags
// counts once in the row of tag '' (every email, what untagged queries read) and once in each of
// its tags' rows (tags are non-empty, so '' names no real tag). campaign_id is the nil uuid for
// an email of no campaign, so that it can be part of the key.
import { sql, type Kysely } from 'kysely';

// Frozen here: a later change of the counters is a later migration.
const STATS_HOURLY_COUNTERS = [
  // Emails (each once, in the hour of the event that made it so).
  'accepted', 'sent', 'delivered', 'hard_bounced', 'soft_bounced', 'rejected', 'failed', 'cancelled',
  // Events.
  'deferrals', 'opens', 'backfilled_opens', 'clicks', 'replies', 'auto_replies', 'machine_opens', 'machine_clicks',
  'coalesced_opens', 'coalesced_clicks',
  // People (each email once, in the hour of its first counted open, click, human reply ...).
  'openers', 'clickers', 'repliers', 'complainers', 'unsubscribers',
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION sendtrail_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
      RAISE EXCEPTION 'events are append-only: % refused', TG_OP
        USING HINT = 'a changed verdict on a stored hit is a new reclassified event';
    END
    $f$;
    CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
      FOR EACH STATEMENT EXECUTE FUNCTION sendtrail_events_append_only();
    CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
      FOR EACH STATEMENT EXECUTE FUNCTION sendtrail_events_append_only();
    -- Readers of an email's hits (the recorder's histories, reclassify) look up the verdicts that
    -- supersede them without walking the email's other events.
    CREATE INDEX events_reclassified ON events (email_id, id) WHERE event_type = 'reclassified';

    DROP TRIGGER events_counters_insert ON events;
    DROP TRIGGER events_counters_update ON events;
    DROP TRIGGER events_counters_delete ON events;
    DROP FUNCTION sendtrail_count_engagement();
    DROP FUNCTION sendtrail_apply_engagement(jsonb);
    DROP TABLE email_engagement;
    DELETE FROM campaign_counters WHERE counter NOT LIKE 'status:%';

    -- The last event (in log order: txid, id) each reader has folded in.
    CREATE TABLE rollup_cursors (
      name text PRIMARY KEY,
      txid xid8 NOT NULL,
      event_id bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE stats_hourly (
      project_id uuid NOT NULL,
      hour timestamptz NOT NULL,
      campaign_id uuid NOT NULL,
      tag text NOT NULL,
      sending_domain text NOT NULL,
      provider text NOT NULL,
      ${sql.raw(STATS_HOURLY_COUNTERS.map((c) => `${c} bigint NOT NULL DEFAULT 0`).join(',\n      '))},
      PRIMARY KEY (project_id, tag, hour, campaign_id, sending_domain, provider)
    );
    CREATE INDEX stats_hourly_campaign ON stats_hourly (campaign_id, tag, hour);

    -- Machine opens and clicks by the classifier's why (apple_mpp, scanner ...): the breakdown of
    -- stats_hourly's machine_opens and machine_clicks, read for totals, never per hour.
    CREATE TABLE stats_machine_hourly (
      project_id uuid NOT NULL,
      hour timestamptz NOT NULL,
      campaign_id uuid NOT NULL,
      tag text NOT NULL,
      sending_domain text NOT NULL,
      provider text NOT NULL,
      kind text NOT NULL,
      why text NOT NULL,
      n bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (project_id, tag, hour, campaign_id, sending_domain, provider, kind, why)
    );
    CREATE INDEX stats_machine_hourly_campaign ON stats_machine_hourly (campaign_id, tag, hour);

    -- Counted opens and clicks by the mail app or browser, OS and device type that made them, per UTC day.
    CREATE TABLE stats_clients (
      project_id uuid NOT NULL,
      campaign_id uuid NOT NULL,
      day date NOT NULL,
      kind text NOT NULL,
      client text NOT NULL,
      os text NOT NULL,
      device text NOT NULL,
      n bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (project_id, campaign_id, day, kind, client, os, device)
    );
    CREATE INDEX stats_clients_campaign ON stats_clients (campaign_id, day);

    -- Counted clicks and clickers per link of a campaign (the link's index in the campaign's HTML).
    CREATE TABLE stats_links (
      project_id uuid NOT NULL,
      campaign_id uuid NOT NULL,
      link_index integer NOT NULL,
      url text NOT NULL,
      clicks bigint NOT NULL DEFAULT 0,
      clickers bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (campaign_id, link_index)
    );

    -- Mailbox provider of a recipient domain, by its name or its MX, looked up once.
    CREATE TABLE mailbox_providers (
      domain text PRIMARY KEY,
      provider text NOT NULL,
      mx text,
      looked_up_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}
