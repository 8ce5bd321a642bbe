// What the dashboard's API keys and Domains screens need (issue 20): when each key was last used,
// and the bounce domain a sending domain was added with.
//
// last_used_at is written at most once a minute per key and process (projects/api-key-usage.ts), not
// per request: sending and tracking are measured in thousands of requests a second. bounce_domain is
// null when none was given: the records then use the installation's BOUNCE_DOMAIN of the moment.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz;
    ALTER TABLE domains ADD COLUMN bounce_domain text;
  `.execute(db);
}
