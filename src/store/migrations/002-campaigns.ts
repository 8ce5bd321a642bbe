// Campaign drafts: recipients wait in campaign_recipients until the campaign is sent.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // A draft's recipients are not emails yet: an emails row would need a status that is not true
  // ("queued" would be claimed by a worker). Sending moves them into emails and deletes them here.
  // The primary key dedupes a draft's list case-insensitively (addresses are stored lower-cased).
  // No foreign key to campaigns: rows are only written right after locking their campaign row,
  // and a per-row FK check would double the cost of a 100,000-recipient draft.
  await sql`
    CREATE TABLE campaign_recipients (
      campaign_id uuid NOT NULL,
      email text NOT NULL,
      data jsonb,
      PRIMARY KEY (campaign_id, email)
    );
  `.execute(db);
}
