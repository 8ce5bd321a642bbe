// What a campaign does with a recipient whose data lacks a field its templates name: 'send' (the
// placeholder renders empty and the email's first event lists the missing fields) or 'reject' (the
// email is rejected, never sent). Existing campaigns keep what they did: send.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE campaigns ADD COLUMN on_missing_field text NOT NULL DEFAULT 'send' CHECK (on_missing_field IN ('send', 'reject'))`.execute(db);
}
