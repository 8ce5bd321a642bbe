// Inbound mail (issue 4): every message the inbound SMTP server accepted, kept raw, and a
// case-insensitive suppression list.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- One row per accepted message, matched or not: nothing that came back is dropped. Unmatched
    -- mail belongs to the installation's default project (there is no other owner to give it to).
    -- raw is bytea: returned mail carries 8-bit bodies and NULs that a text column refuses.
    -- content_hash (of the message without its trace headers) makes ingest idempotent: the same DSN
    -- delivered twice is stored, and turned into events, once.
    CREATE TABLE inbound_messages (
      id uuid PRIMARY KEY,
      project_id uuid NOT NULL,
      email_id uuid,
      kind text NOT NULL,
      mail_from text NOT NULL,
      rcpt_to text[] NOT NULL,
      from_header text,
      subject text,
      content_hash text NOT NULL UNIQUE,
      size_bytes integer NOT NULL,
      event_count integer NOT NULL DEFAULT 0,
      error text,
      raw bytea NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX inbound_messages_project ON inbound_messages (project_id, id DESC);
    CREATE INDEX inbound_messages_email ON inbound_messages (email_id) WHERE email_id IS NOT NULL;

    -- Addresses are compared case-insensitively from now on, and stored lower-case: keep one row
    -- per address (the lower-case one, else the oldest) before lower-casing the rest.
    DELETE FROM suppressions s
    WHERE s.email <> lower(s.email) AND EXISTS (
      SELECT 1 FROM suppressions t
      WHERE t.project_id = s.project_id AND lower(t.email) = lower(s.email) AND t.ctid <> s.ctid
        AND (t.email = lower(t.email) OR t.created_at < s.created_at OR (t.created_at = s.created_at AND t.ctid < s.ctid))
    );
    UPDATE suppressions SET email = lower(email) WHERE email <> lower(email);
  `.execute(db);
}
