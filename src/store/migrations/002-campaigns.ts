// Campaign recipient lists waiting to become emails: drafts, and lists the expander has not reached.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One row per chunk of up to a few thousand recipients, in column form (addresses, JSON data as
  // text): writing 100,000 recipients is 50 rows, ~0.3 s, where a row per recipient with a unique
  // index took ~2 s (issue 2: a 100,000-recipient campaign is accepted in < 3 s). Addresses are
  // deduplicated before they are written (add-recipients.ts), so no index over them is needed.
  // No foreign key: chunks are written only under a lock on their campaign row.
  await sql`
    CREATE TABLE campaign_recipient_chunks (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      campaign_id uuid NOT NULL,
      emails text[] NOT NULL,
      data text[] NOT NULL
    );
    CREATE INDEX campaign_recipient_chunks_campaign ON campaign_recipient_chunks (campaign_id, id);
  `.execute(db);
}
