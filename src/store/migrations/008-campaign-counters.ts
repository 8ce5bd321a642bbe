// Campaign counters (rollups): GET /v1/campaigns/:id/stats reads a few rows
// instead of counting a campaign's emails and joining their events on every request, which took
// 180 ms after a 100,000-recipient campaign on PGlite (npm run bench:send), on the thread that
// also sends, and grew with the campaign.
//
// Kept by statement-level triggers, in the transaction of each write: every writer of emails and
// events (worker, expansion, cancel, inbound, tracking, reclassify, a hand-run UPDATE) keeps them
// exact with no code of its own, and a batch costs one aggregate per statement, not one per row.
// Distinct counts (openers, clickers ...) go through email_engagement, one row per engaged email:
// its upsert serializes concurrent writers of one email, so an opener is counted once even when two
// processes store its first opens at the same moment.
// Lock order, for PostgreSQL's concurrent writers: email_engagement rows, then engagement counters,
// then status counters, each in key order. The worker's outcome statement (UPDATE emails in a WITH,
// INSERT INTO events) fires the events trigger first (seen on PostgreSQL 15 and PGlite), and inbound
// writes its events before the status, so no two writers wait on each other in a cycle; were that
// order to change, PostgreSQL would abort one of them and both retry (outcome writer, SMTP 4xx).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE campaign_counters (
      campaign_id uuid NOT NULL,
      -- status:<status>, opens, backfilled_opens, clicks, replies, auto_replies, openers, clickers,
      -- repliers, complainers, unsubscribers, bounced, hard_bounced, uncounted:<open|click>:<why>
      counter text NOT NULL,
      n bigint NOT NULL,
      PRIMARY KEY (campaign_id, counter)
    );

    -- Per engaged campaign email: counted opens, counted clicks, human replies, complaints,
    -- unsubscribes, bounces (hard among them). Zero to positive makes a person; back to zero unmakes one.
    CREATE TABLE email_engagement (
      email_id uuid PRIMARY KEY,
      campaign_id uuid NOT NULL,
      opens integer NOT NULL,
      clicks integer NOT NULL,
      replies integer NOT NULL,
      complaints integer NOT NULL,
      unsubscribes integer NOT NULL,
      bounces integer NOT NULL,
      hard_bounces integer NOT NULL
    );

    -- Adds signed counts; ordered by key so that concurrent statements lock counter rows in one
    -- order. PL/pgSQL rather than SQL functions: their statements' plans are cached per connection.
    CREATE FUNCTION sendtrail_add_counters(d jsonb) RETURNS void LANGUAGE plpgsql AS $f$
    BEGIN
      INSERT INTO campaign_counters AS cc (campaign_id, counter, n)
      SELECT (x->>'c')::uuid, x->>'k', sum((x->>'n')::bigint)
      FROM jsonb_array_elements(d) x
      GROUP BY 1, 2 HAVING sum((x->>'n')::bigint) <> 0
      ORDER BY 1, 2
      ON CONFLICT (campaign_id, counter) DO UPDATE SET n = cc.n + excluded.n;
    END
    $f$;

    -- d: [{e: email id, s: +1 or -1, t: event type, m: metadata}] of engagement events only.
    CREATE FUNCTION sendtrail_apply_engagement(d jsonb) RETURNS void LANGUAGE plpgsql AS $f$
    DECLARE counts jsonb;
    BEGIN
      WITH ev AS (
        SELECT em.campaign_id, em.id AS email_id, (x->>'s')::int AS s, x->>'t' AS t, x->'m' AS m,
               x->'m'->'counted' = 'true'::jsonb AS counted
        FROM jsonb_array_elements(d) x JOIN emails em ON em.id = (x->>'e')::uuid
        WHERE em.campaign_id IS NOT NULL
      ),
      per_email AS (
        SELECT email_id, campaign_id,
          coalesce(sum(s) FILTER (WHERE t = 'open' AND counted), 0)::int AS opens,
          coalesce(sum(s) FILTER (WHERE t = 'click' AND counted), 0)::int AS clicks,
          coalesce(sum(s) FILTER (WHERE t = 'reply' AND m->'auto' IS DISTINCT FROM 'true'::jsonb), 0)::int AS replies,
          coalesce(sum(s) FILTER (WHERE t = 'complaint'), 0)::int AS complaints,
          coalesce(sum(s) FILTER (WHERE t = 'unsubscribe'), 0)::int AS unsubscribes,
          coalesce(sum(s) FILTER (WHERE t = 'bounced'), 0)::int AS bounces,
          coalesce(sum(s) FILTER (WHERE t = 'bounced' AND m->>'bounce_type' = 'hard'), 0)::int AS hard_bounces
        FROM ev GROUP BY 1, 2
      ),
      after AS (
        -- Machine opens (Apple's proxy fetches every pixel) change no person: no row for them.
        INSERT INTO email_engagement AS ee
        SELECT * FROM per_email
        WHERE (opens, clicks, replies, complaints, unsubscribes, bounces, hard_bounces) <> (0, 0, 0, 0, 0, 0, 0)
        ORDER BY email_id
        ON CONFLICT (email_id) DO UPDATE SET
          opens = ee.opens + excluded.opens, clicks = ee.clicks + excluded.clicks,
          replies = ee.replies + excluded.replies, complaints = ee.complaints + excluded.complaints,
          unsubscribes = ee.unsubscribes + excluded.unsubscribes, bounces = ee.bounces + excluded.bounces,
          hard_bounces = ee.hard_bounces + excluded.hard_bounces
        RETURNING ee.*
      ),
      -- Who became (+1) or stopped being (-1) an opener, clicker ...: after > 0 against before > 0.
      people AS (
        SELECT a.campaign_id, k.counter, (k.now > 0)::int - (k.now - k.delta > 0)::int AS n
        FROM after a JOIN per_email p USING (email_id)
        CROSS JOIN LATERAL (VALUES
          ('openers', a.opens, p.opens), ('clickers', a.clicks, p.clicks), ('repliers', a.replies, p.replies),
          ('complainers', a.complaints, p.complaints), ('unsubscribers', a.unsubscribes, p.unsubscribes),
          ('bounced', a.bounces, p.bounces), ('hard_bounced', a.hard_bounces, p.hard_bounces)
        ) AS k(counter, now, delta)
      ),
      totals AS (
        SELECT campaign_id,
          CASE
            WHEN t = 'open' AND counted THEN 'opens'
            WHEN t = 'click' AND counted THEN 'clicks'
            WHEN t IN ('open', 'click') THEN 'uncounted:' || t || ':' || coalesce(m->>'why', 'unknown')
            WHEN t = 'reply' AND m->'auto' = 'true'::jsonb THEN 'auto_replies'
            WHEN t = 'reply' THEN 'replies'
          END AS counter, s AS n
        FROM ev WHERE t IN ('open', 'click', 'reply')
        UNION ALL
        SELECT campaign_id, 'backfilled_opens', s FROM ev WHERE t = 'open' AND counted AND m->'backfilled' = 'true'::jsonb
      )
      SELECT jsonb_agg(jsonb_build_object('c', campaign_id, 'k', counter, 'n', n)) INTO counts
      FROM (SELECT * FROM people WHERE n <> 0 UNION ALL SELECT * FROM totals) x;
      IF counts IS NOT NULL THEN PERFORM sendtrail_add_counters(counts); END IF;
    END
    $f$;

    -- Status moves per campaign, summed in the statement's own rows before anything is written.
    CREATE FUNCTION sendtrail_count_statuses() RETURNS trigger LANGUAGE plpgsql AS $f$
    DECLARE d jsonb;
    BEGIN
      IF TG_OP = 'INSERT' THEN
        SELECT jsonb_agg(jsonb_build_object('c', campaign_id, 'k', 'status:' || status, 'n', n)) INTO d
        FROM (SELECT campaign_id, status, count(*) AS n FROM new_rows WHERE campaign_id IS NOT NULL GROUP BY 1, 2) x;
      ELSIF TG_OP = 'UPDATE' THEN
        -- Claims and lease renewals move no status: nothing is added and no counter row is locked.
        SELECT jsonb_agg(jsonb_build_object('c', campaign_id, 'k', 'status:' || status, 'n', n)) INTO d
        FROM (SELECT o.campaign_id, m.status, sum(m.n) AS n
              FROM old_rows o JOIN new_rows w USING (id)
              CROSS JOIN LATERAL (VALUES (o.status, -1), (w.status, 1)) AS m(status, n)
              WHERE o.campaign_id IS NOT NULL AND o.status <> w.status
              GROUP BY 1, 2) x;
      ELSE
        SELECT jsonb_agg(jsonb_build_object('c', campaign_id, 'k', 'status:' || status, 'n', -n)) INTO d
        FROM (SELECT campaign_id, status, count(*) AS n FROM old_rows WHERE campaign_id IS NOT NULL GROUP BY 1, 2) x;
      END IF;
      IF d IS NOT NULL THEN PERFORM sendtrail_add_counters(d); END IF;
      RETURN NULL;
    END
    $f$;

    CREATE FUNCTION sendtrail_count_engagement() RETURNS trigger LANGUAGE plpgsql AS $f$
    DECLARE d jsonb;
    BEGIN
      -- Sent, delivered, queued ... (nearly every event) are filtered out before any other work.
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT jsonb_agg(jsonb_build_object('e', email_id, 's', -1, 't', event_type, 'm', metadata)) INTO d
        FROM old_rows WHERE event_type IN ('open', 'click', 'reply', 'complaint', 'unsubscribe', 'bounced');
        IF d IS NOT NULL THEN PERFORM sendtrail_apply_engagement(d); END IF;
      END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') THEN
        SELECT jsonb_agg(jsonb_build_object('e', email_id, 's', 1, 't', event_type, 'm', metadata)) INTO d
        FROM new_rows WHERE event_type IN ('open', 'click', 'reply', 'complaint', 'unsubscribe', 'bounced');
        IF d IS NOT NULL THEN PERFORM sendtrail_apply_engagement(d); END IF;
      END IF;
      RETURN NULL;
    END
    $f$;

    CREATE TRIGGER emails_counters_insert AFTER INSERT ON emails
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sendtrail_count_statuses();
    CREATE TRIGGER emails_counters_update AFTER UPDATE ON emails
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sendtrail_count_statuses();
    CREATE TRIGGER emails_counters_delete AFTER DELETE ON emails
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sendtrail_count_statuses();
    CREATE TRIGGER events_counters_insert AFTER INSERT ON events
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sendtrail_count_engagement();
    CREATE TRIGGER events_counters_update AFTER UPDATE ON events
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sendtrail_count_engagement();
    CREATE TRIGGER events_counters_delete AFTER DELETE ON events
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sendtrail_count_engagement();
  `.execute(db);

  // What the database already holds, counted once (the triggers count from here on).
  await sql`
    INSERT INTO campaign_counters (campaign_id, counter, n)
    SELECT campaign_id, 'status:' || status, count(*) FROM emails WHERE campaign_id IS NOT NULL GROUP BY 1, 2
  `.execute(db);
  await sql`
    SELECT sendtrail_apply_engagement(jsonb_agg(jsonb_build_object('e', ev.email_id, 's', 1, 't', ev.event_type, 'm', ev.metadata)))
    FROM events ev JOIN emails em ON em.id = ev.email_id
    WHERE em.campaign_id IS NOT NULL AND ev.event_type IN ('open', 'click', 'reply', 'complaint', 'unsubscribe', 'bounced')
    GROUP BY em.campaign_id
  `.execute(db);
}
