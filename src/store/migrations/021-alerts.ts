// Alerts (issue 21, part 2): each project's rule settings (over the defaults in code), its alerts
// with their state and history, and campaigns paused by an alert.
//
// alert_settings is also where the scheduler takes a project's turn: an evaluation locks the row
// (FOR UPDATE SKIP LOCKED) and runs only when evaluated_at is old enough, so any number of
// schedulers evaluate a project at most once per interval and never twice at once.
//
// An alert is one episode of one rule on one subject (a sending domain, a provider, a campaign, the
// project) over one window: triggered, perhaps changing level, then resolved. The rows are the
// history; the partial unique index keeps at most one open episode per key.
//
// Two rules need what the rollups do not keep: which bounces and deferrals were authentication
// refusals (their codes), and which addresses unsubscribed. The alerts' reader of the log (cursor
// 'alerts', from the end of the log like the webhook outbox's) keeps just those as alert_signals,
// a row per case, so the rules read a few rows, never the events.
//
// A paused campaign's waiting emails keep their status and leave the queue: next_attempt_at NULL
// takes them out of emails_due, so the claim never walks past them (src/campaigns/pause-campaign.ts).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE alert_settings (
      project_id uuid PRIMARY KEY REFERENCES projects (id),
      -- Per rule, the fields that differ from the defaults (src/alerts/alert-rules.ts).
      rules jsonb NOT NULL DEFAULT '{}'::jsonb,
      evaluated_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE alerts (
      id uuid PRIMARY KEY,
      project_id uuid NOT NULL REFERENCES projects (id),
      rule text NOT NULL,
      -- What it is about: 'project', 'sending_domain:shop.example', 'provider:gmail', 'campaign:<id>'.
      subject text NOT NULL,
      "window" text NOT NULL,
      level text NOT NULL CHECK (level IN ('warning', 'critical')),
      state text NOT NULL CHECK (state IN ('triggered', 'resolved')),
      -- The figures at the last evaluation that changed it: the rate (or count), over what volume.
      value double precision NOT NULL,
      volume bigint NOT NULL,
      threshold double precision NOT NULL,
      message text NOT NULL,
      campaign_id uuid,
      triggered_at timestamptz NOT NULL DEFAULT now(),
      resolved_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX alerts_open ON alerts (project_id, rule, subject, "window") WHERE state = 'triggered';
    -- The history, newest first (ids are UUIDv7, in creation order).
    CREATE INDEX alerts_project ON alerts (project_id, id DESC);

    CREATE TABLE alert_signals (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      project_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('auth_refusal', 'unsubscribe')),
      provider text NOT NULL,
      address text NOT NULL,
      email_id uuid NOT NULL,
      code text,
      at timestamptz NOT NULL
    );
    CREATE INDEX alert_signals_project ON alert_signals (project_id, kind, at);
    CREATE INDEX alert_signals_at ON alert_signals (at);

    INSERT INTO rollup_cursors (name, txid, event_id)
    SELECT 'alerts', txid, id FROM events ORDER BY txid DESC, id DESC LIMIT 1
    ON CONFLICT (name) DO NOTHING;

    ALTER TABLE campaigns ADD COLUMN paused_at timestamptz, ADD COLUMN paused_reason text;
  `.execute(db);
}
