// Reading the events table: an email's events, oldest first. Writing goes through append-events.ts.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';

export async function listEmailEvents(db: Kysely<Database>, emailId: string) {
  return db
    .selectFrom('events')
    .select(['id', 'event_type', 'metadata', 'created_at'])
    .where('email_id', '=', emailId)
    .orderBy('id')
    .execute();
}
