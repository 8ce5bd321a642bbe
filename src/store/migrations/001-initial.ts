// The first schema: projects, keys, domains, campaigns, the emails queue and the append-only events log.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE projects (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE api_keys (
      id uuid PRIMARY KEY,
      project_id uuid NOT NULL REFERENCES projects(id),
      name text NOT NULL,
      key_hash text NOT NULL UNIQUE,
      key_prefix text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    );
    CREATE TABLE domains (
      id uuid PRIMARY KEY,
      project_id uuid NOT NULL REFERENCES projects(id),
      name text NOT NULL,
      selector text NOT NULL,
      algorithm text NOT NULL,
      private_key text NOT NULL,
      public_key text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (project_id, name)
    );
    CREATE TABLE campaigns (
      id uuid PRIMARY KEY,
      project_id uuid NOT NULL REFERENCES projects(id),
      name text NOT NULL,
      from_address text NOT NULL,
      reply_to text,
      subject text NOT NULL,
      html text,
      text text,
      headers jsonb,
      tags jsonb,
      track_opens boolean NOT NULL DEFAULT true,
      track_clicks boolean NOT NULL DEFAULT true,
      status text NOT NULL,
      scheduled_at timestamptz,
      recipient_count integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX campaigns_project ON campaigns (project_id, id DESC);

    -- The emails table is the queue: a row is due when next_attempt_at <= now()
    -- and no live lease (locked_until) holds it. No foreign keys here: campaigns insert emails by
    -- the hundred thousand, the per-row checks cost a third of that, and only our code writes rows.
    -- No index on message_id either: ours is <email id@domain>, so the id is read from it.
    CREATE TABLE emails (
      id uuid PRIMARY KEY,
      project_id uuid NOT NULL,
      campaign_id uuid,
      from_address text NOT NULL,
      to_address text NOT NULL,
      cc jsonb,
      bcc jsonb,
      reply_to jsonb,
      subject text,
      html text,
      text text,
      headers jsonb,
      tags jsonb,
      metadata jsonb,
      data jsonb,
      track_opens boolean NOT NULL DEFAULT true,
      track_clicks boolean NOT NULL DEFAULT true,
      status text NOT NULL,
      priority smallint NOT NULL,
      scheduled_at timestamptz,
      next_attempt_at timestamptz,
      locked_by text,
      locked_until timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      first_attempt_at timestamptz,
      message_id text NOT NULL,
      transport text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX emails_due ON emails (priority, next_attempt_at) WHERE next_attempt_at IS NOT NULL;
    CREATE INDEX emails_project ON emails (project_id, id DESC);
    CREATE INDEX emails_project_to ON emails (project_id, to_address, id DESC);
    CREATE INDEX emails_campaign ON emails (campaign_id, status) WHERE campaign_id IS NOT NULL;

    CREATE TABLE events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      project_id uuid NOT NULL,
      email_id uuid NOT NULL,
      event_type text NOT NULL,
      metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX events_email ON events (email_id, id);

    CREATE TABLE idempotency_keys (
      project_id uuid NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      response jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (project_id, key)
    );
    CREATE TABLE suppressions (
      project_id uuid NOT NULL,
      email text NOT NULL,
      reason text NOT NULL,
      source_email_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (project_id, email)
    );
    CREATE TABLE captured_messages (
      email_id uuid PRIMARY KEY,
      project_id uuid NOT NULL,
      raw text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}
