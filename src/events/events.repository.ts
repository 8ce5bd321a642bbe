// All SQL on the append-only events table.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/database.ts';
import type { EventType } from './event-types.ts';

export type NewEvent = {
  projectId: string;
  emailId: string;
  type: EventType;
  metadata?: Record<string, unknown>;
};

/** Appends events in one statement whatever their number (unnest keeps it one round trip). */
export async function appendEvents(db: Kysely<Database>, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await insertEventsStatement(events).execute(db);
}

/**
 * The INSERT of `appendEvents` as a statement to compose: another repository may run it as the
 * main statement after a data-modifying WITH, one statement (and no transaction) instead of three.
 */
export function insertEventsStatement(events: readonly NewEvent[]): RawBuilder<unknown> {
  // Raw SQL: Kysely has no unnest batch insert, and one multi-row VALUES per 100k rows is far slower.
  return sql`
    INSERT INTO events (project_id, email_id, event_type, metadata)
    SELECT * FROM unnest(${events.map((e) => e.projectId)}::uuid[], ${events.map((e) => e.emailId)}::uuid[],
                         ${events.map((e) => e.type)}::text[], ${events.map((e) => JSON.stringify(e.metadata ?? {}))}::jsonb[])
  `;
}

export async function listEmailEvents(db: Kysely<Database>, emailId: string) {
  return db
    .selectFrom('events')
    .select(['id', 'event_type', 'metadata', 'created_at'])
    .where('email_id', '=', emailId)
    .orderBy('id')
    .execute();
}
