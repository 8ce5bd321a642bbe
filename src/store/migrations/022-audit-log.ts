// The audit log (issue 21, part 3): who did what to what, with what outcome, when and from where,
// for the whole installation, apart from email data (no foreign key to it, and retention never
// touches it).
//
// Tamper-evident: each row's hash is SHA-256 over the previous row's hash and a canonical encoding
// of the row (src/audit/audit-chain.ts). Appends are serialised by audit_chain_head, one row that
// every append locks (FOR UPDATE), reads (last seq and hash) and moves in the transaction of the
// change it records: two processes on one PostgreSQL cannot both extend the same row, so the chain
// never forks, and its order is the order the changes committed.
//
// Append-only in the database, as events are (migration 014): a trigger refuses UPDATE, DELETE and
// TRUNCATE of audit_log. Only the head moves.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE audit_log (
      seq bigint PRIMARY KEY,
      created_at timestamptz NOT NULL,
      -- user | api_key | system; actor_id is the user's or key's id (NULL for the system, or a sign-in
      -- refused for an email with no user), actor_label what a reader recognises (an email, a key's name).
      actor_type text NOT NULL,
      actor_id text,
      actor_label text,
      action text NOT NULL,
      target_type text,
      target_id text,
      -- success | denied | failed; reason is an error code (invalid_credentials, forbidden ...).
      outcome text NOT NULL,
      reason text,
      project_id uuid,
      ip text,
      user_agent text,
      -- Built from an allow-list of fields per action (src/audit/audit-details.ts): never a secret.
      details jsonb NOT NULL DEFAULT '{}',
      prev_hash text NOT NULL,
      hash text NOT NULL
    );
    -- Filters read one index range, newest first, however long the log grows.
    CREATE INDEX audit_log_by_action ON audit_log (action, seq);
    CREATE INDEX audit_log_by_actor ON audit_log (actor_id, seq) WHERE actor_id IS NOT NULL;
    CREATE INDEX audit_log_by_target ON audit_log (target_id, seq) WHERE target_id IS NOT NULL;
    CREATE INDEX audit_log_by_time ON audit_log (created_at, seq);

    CREATE TABLE audit_chain_head (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      seq bigint NOT NULL,
      hash text NOT NULL
    );
    INSERT INTO audit_chain_head (id, seq, hash) VALUES (true, 0, repeat('0', 64));

    CREATE FUNCTION sendtrail_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
      RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP;
    END
    $f$;
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION sendtrail_audit_append_only();
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION sendtrail_audit_append_only();
  `.execute(db);
}
