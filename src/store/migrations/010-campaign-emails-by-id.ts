// GET /v1/emails?campaign_id= pages a campaign's emails newest first. emails_campaign (campaign_id,
// status) found them but not in id order, so every page read and sorted all of the campaign's
// emails (of that status), on PGlite's one thread, at a cost growing with the campaign (the test
// in list-emails.test.ts saw 10,000 rows read for a page of 50). With id appended, each
// status of a campaign is a run of the index in id order: one status is read straight off it, and
// all of them are merged from one such run per status (list-emails.ts). It replaces the old index
// rather than joining it, so an email's writes keep the same number of index entries.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX emails_campaign_status_id ON emails (campaign_id, status, id DESC) WHERE campaign_id IS NOT NULL`.execute(db);
  await sql`DROP INDEX emails_campaign`.execute(db);
}
