// Retention (issue 21, part 4): per project, how long message bodies, events and raw inbound mail
// are kept, and the one sanctioned way rows leave the append-only events table.
//
// The retention task (src/retention/) deletes an email's events only inside a transaction that
// has run `SET LOCAL sendtrail.retention = 'on'`: the append-only trigger lets such a DELETE
// through and still refuses every UPDATE, every TRUNCATE, and any DELETE elsewhere. The setting is a
// guard against our own mistakes, not against someone holding the database's password.
//
// An email past events retention is deleted whole (its row and its log), so a late event finds no
// email and is dropped rather than folded against a log missing its first open. Its campaign's
// status counters (migration 008) keep counting it: a campaign's emails per status, which its
// rates divide by, are history like the rollups; the counter trigger skips retention's deletes.
//
// retention_progress: how far each of a project's walks has got (the emails or inbound messages
// before `after_id`, UUIDv7 in creation order, are done), so a daily run reads only what came of
// age since the last one, not the project's whole history again.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE retention_settings (
      project_id uuid PRIMARY KEY REFERENCES projects (id),
      bodies_days integer NOT NULL CHECK (bodies_days BETWEEN 1 AND 3650),
      events_days integer NOT NULL CHECK (events_days BETWEEN 1 AND 3650),
      raw_inbound_days integer NOT NULL CHECK (raw_inbound_days BETWEEN 1 AND 3650),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (events_days >= bodies_days)
    );
    CREATE TABLE retention_progress (
      project_id uuid NOT NULL,
      walk text NOT NULL CHECK (walk IN ('bodies', 'events', 'raw_inbound')),
      after_id uuid NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (project_id, walk)
    );

    -- When the body (html, text, template data, captured copy) was removed; the Content tab says so.
    ALTER TABLE emails ADD COLUMN content_removed_at timestamptz;
    ALTER TABLE inbound_messages ADD COLUMN raw_removed_at timestamptz;

    CREATE OR REPLACE FUNCTION sendtrail_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
      IF TG_OP = 'DELETE' AND current_setting('sendtrail.retention', true) = 'on' THEN
        RETURN NULL;
      END IF;
      RAISE EXCEPTION 'events are append-only: % refused', TG_OP
        USING HINT = 'a changed verdict on a stored hit is a new reclassified event; only the retention task deletes';
    END
    $f$;

    DROP TRIGGER emails_counters_delete ON emails;
    CREATE TRIGGER emails_counters_delete AFTER DELETE ON emails
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
      WHEN (current_setting('sendtrail.retention', true) IS DISTINCT FROM 'on')
      EXECUTE FUNCTION sendtrail_count_statuses();
  `.execute(db);
}
