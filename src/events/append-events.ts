// The one way events are written: appended in one statement whatever their number, and announced
// on EVENTS_CHANNEL when their transaction commits (NOTIFY, which PostgreSQL delivers to every
// process listening and PGlite to its own listeners), so the live stream and, later, rollups
// learn of them without polling the table.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/database.ts';
import type { EventType } from './event-types.ts';

export const EVENTS_CHANNEL = 'sendtrail_events';

export type NewEvent = {
  projectId: string;
  emailId: string;
  type: EventType;
  metadata?: Record<string, unknown>;
  /** A tracking hit's id: an event whose hit is already stored is skipped (a replayed spool line). */
  hitId?: string;
  /** When it happened, when not now (a tracking hit is stored a moment after it was answered). */
  at?: Date;
};

/**
 * Appends `events` and announces them, in one statement. `alongside` is a data-modifying statement
 * of the caller's run in the same statement (as a WITH, which always runs to completion), such as
 * the status moves the events record: one round trip, and atomic without a transaction.
 */
export function appendEventsStatement(events: readonly NewEvent[], alongside?: RawBuilder<unknown>): RawBuilder<unknown> {
  // Raw SQL: the whole batch as one JSON parameter is one round trip, and one JSON.stringify costs
  // far less than pg's escaping of six arrays element by element. ON CONFLICT names the partial
  // unique index of hit ids.
  const batch = JSON.stringify(events.map((e) => ({ h: e.hitId ?? null, p: e.projectId, e: e.emailId, t: e.type, m: e.metadata ?? {}, a: e.at ?? null })));
  const before = alongside ? sql`alongside AS (${alongside}),` : sql``;
  return sql`
    WITH ${before} appended AS (
      INSERT INTO events (hit_id, project_id, email_id, event_type, metadata, created_at)
      SELECT r.h, r.p, r.e, r.t, r.m, coalesce(r.a, now())
      FROM jsonb_to_recordset(${batch}::jsonb) AS r(h text, p uuid, e uuid, t text, m jsonb, a timestamptz)
      ON CONFLICT (hit_id) WHERE hit_id IS NOT NULL DO NOTHING
      RETURNING 1
    )
    SELECT pg_notify(${EVENTS_CHANNEL}, '') FROM (SELECT 1 FROM appended LIMIT 1) AS any_appended
  `;
}

/** Appends and announces events (see appendEventsStatement). */
export async function appendEvents(db: Kysely<Database>, events: readonly NewEvent[], alongside?: RawBuilder<unknown>): Promise<void> {
  if (events.length === 0) {
    if (alongside) await alongside.execute(db);
    return;
  }
  await appendEventsStatement(events, alongside).execute(db);
}
