// Webhooks (issue 21, part 1): endpoints per project, the outbox of deliveries fed from the event
// log, and every attempt at a delivery.
//
// Secrets are HMAC keys, so they must be recoverable: each is stored encrypted (AES-256-GCM under a
// key derived from the installation's secret, src/webhooks/secret-box.ts), never in clear. A
// rotation keeps the previous secret, which also signs until previous_secret_until.
//
// webhook_deliveries is a lease queue (src/store/lease-queue.ts): next_attempt_at is its due time,
// NULL once the delivery succeeded or was given up. One row per (event, endpoint), written in the
// transaction that moves the outbox's cursor (rollup_cursors, name 'webhooks'); the unique index
// keeps a second write of the same pair out should a batch ever be folded twice. `seq` orders an
// email's deliveries to one endpoint: a delivery waits while an earlier one of its email to that
// endpoint is still pending (webhook_deliveries_pending_email finds those).
//
// The outbox's cursor starts at the end of the log: no endpoint exists yet, and an endpoint hears
// only of events logged after it was made, so an installation with years of events does not walk
// them all once to queue nothing.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE webhook_endpoints (
      id uuid PRIMARY KEY,
      project_id uuid NOT NULL REFERENCES projects (id),
      url text NOT NULL,
      description text NOT NULL DEFAULT '',
      -- email.* names; empty: every type.
      event_types text[] NOT NULL DEFAULT '{}',
      counted_only boolean NOT NULL DEFAULT false,
      enabled boolean NOT NULL DEFAULT true,
      disabled_reason text,
      secret_sealed text NOT NULL,
      previous_secret_sealed text,
      previous_secret_until timestamptz,
      -- Since when every attempt failed (NULL after a success): 5 days of it disables the endpoint.
      failing_since timestamptz,
      deleted_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX webhook_endpoints_project ON webhook_endpoints (project_id, created_at) WHERE deleted_at IS NULL;

    CREATE TABLE webhook_deliveries (
      id uuid PRIMARY KEY,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id),
      project_id uuid NOT NULL,
      event_id bigint,
      email_id uuid,
      event_type text NOT NULL,
      payload jsonb NOT NULL,
      -- 'pending' (queued or being sent), 'delivered', 'failed' (given up).
      state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz,
      locked_by text,
      locked_until timestamptz,
      last_status integer,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    );
    CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries (endpoint_id, event_id) WHERE event_id IS NOT NULL;
    -- The claim's order: due first, then the log's.
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, seq) WHERE next_attempt_at IS NOT NULL;
    CREATE INDEX webhook_deliveries_pending_email ON webhook_deliveries (endpoint_id, email_id, seq) WHERE state = 'pending';
    -- The delivery log, newest first: ids are UUIDv7, in creation order.
    CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id DESC);
    CREATE INDEX webhook_deliveries_held_by ON webhook_deliveries (locked_by) WHERE locked_by IS NOT NULL;

    CREATE TABLE webhook_attempts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id),
      attempted_at timestamptz NOT NULL DEFAULT now(),
      -- NULL when no answer came (refused address, connect error, timeout).
      status integer,
      duration_ms integer NOT NULL,
      -- At most 4 KiB of the answer's body.
      response_excerpt text,
      error text
    );
    CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

    INSERT INTO rollup_cursors (name, txid, event_id)
    SELECT 'webhooks', txid, id FROM events ORDER BY txid DESC, id DESC LIMIT 1
    ON CONFLICT (name) DO NOTHING;
  `.execute(db);
}
