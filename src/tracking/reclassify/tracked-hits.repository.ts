// SQL for re-classifying stored tracking hits: page through emails with hits, load them with the
// verdicts in force, append what changed.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { appendEvents, verdictsInForce, type NewEvent } from '../../events/index.ts';

/** An open, click, sent or delivered event; an open's or click's metadata carries the verdict in force. */
export type StoredEvent = {
  id: number;
  project_id: string;
  email_id: string;
  event_type: string;
  metadata: Record<string, unknown>;
  created_at: Date;
};

/** The next `limit` emails (by id) that have opens or clicks, after `after`; walks events_email (email_id, id). */
export async function nextEmailsWithHits(db: Kysely<Database>, after: string | undefined, limit: number): Promise<string[]> {
  let q = db.selectFrom('events').select('email_id').distinct().where('event_type', 'in', ['open', 'click']);
  if (after !== undefined) q = q.where('email_id', '>', after);
  const rows = await q.orderBy('email_id').limit(limit).execute();
  return rows.map((r) => r.email_id);
}

/**
 * Opens, clicks and the sent/delivered events of these emails, oldest first per email, each open
 * and click with the verdict in force: the email's reclassified events are read too and applied.
 */
export async function loadHitEvents(db: Kysely<Database>, emailIds: string[]): Promise<StoredEvent[]> {
  if (emailIds.length === 0) return [];
  const rows = await db
    .selectFrom('events')
    .select(['id', 'project_id', 'email_id', 'event_type', 'metadata', 'created_at'])
    .where('email_id', 'in', emailIds)
    .where('event_type', 'in', ['open', 'click', 'sent', 'delivered', 'reclassified'])
    .orderBy('email_id').orderBy('created_at').orderBy('id')
    .execute();
  const events: StoredEvent[] = rows.map((r) => ({ ...r, id: Number(r.id), created_at: new Date(r.created_at) }));
  const out: StoredEvent[] = [];
  let start = 0;
  for (let i = 1; i <= events.length; i++) {
    if (i === events.length || events[i]!.email_id !== events[start]!.email_id) {
      out.push(...withVerdictsInForce(events.slice(start, i)));
      start = i;
    }
  }
  return out;
}

/** One email's events without its reclassified ones, whose verdicts they carry instead. */
function withVerdictsInForce(events: StoredEvent[]): StoredEvent[] {
  if (!events.some((e) => e.event_type === 'reclassified')) return events;
  // The last in id order wins; created_at (a transaction's start) need not follow ids.
  const verdicts = verdictsInForce([...events].sort((a, b) => a.id - b.id));
  return events
    .filter((e) => e.event_type !== 'reclassified')
    .map((e) => {
      const v = verdicts.get(e.id);
      if (!v) return e;
      const { why: _stored, ...rest } = e.metadata;
      return { ...e, metadata: { ...rest, counted: v.counted, ...(v.counted || v.why === undefined ? {} : { why: v.why }) } };
    });
}

/** Appends one batch's reclassified events and new back-filled opens in one statement, so a batch is all or nothing. */
export async function appendReclassification(db: Kysely<Database>, events: readonly NewEvent[]): Promise<void> {
  await appendEvents(db, events);
}
