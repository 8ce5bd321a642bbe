// Tracking hits: each open/click/unsubscribe event carries the id of the hit it records, so a hit
// replayed from the disk spool (or committed twice after a timed-out commit) is one event.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Partial: delivery events have no hit id and need no index entry.
  await sql`
    ALTER TABLE events ADD COLUMN hit_id text;
    CREATE UNIQUE INDEX events_hit_id ON events (hit_id) WHERE hit_id IS NOT NULL;
  `.execute(db);
}
