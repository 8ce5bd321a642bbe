// All SQL of tracking hits: an email's history for the classifier (with the verdicts in force), and
// a batch of hit events with the verdicts it supersedes.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { appendEvents, reclassifiedEvent, verdictsInForce, type NewEvent } from '../events/index.ts';
import type { EmailHistory, Hit, Verdict } from './hit.ts';
import { hitFieldsFrom } from './recorded-hit.ts';

export type StoredHit = Hit & Verdict & { backfilled?: boolean; eventId: number; hitId: string | null };
export type EmailHitHistory = {
  projectId: string;
  sentAt?: Date;
  deliveredAt?: Date;
  hits: StoredHit[];
  /** False while the send is not recorded yet (a gateway scanning before the worker's outcome commits). */
  sendRecorded: boolean;
};

// The classifier looks at recent history (coalescing windows, bursts) and whether any open was
// counted; an email hit thousands of times (a forwarded newsletter) must not make a batch slow,
// and the classifier's cost grows with the history it is given.
export const HISTORY_LIMIT = 30;

type HistoryRow = {
  email_id: string;
  project_id: string | null;
  first_attempt_at: Date | null;
  id: number | null;
  event_type: string | null;
  metadata: Record<string, unknown> | null;
  created_at: Date | null;
  hit_id: string | null;
};

/** Histories of the given emails in one query; emails that do not exist are absent from the map. */
export async function loadHistories(db: Kysely<Database>, emailIds: readonly string[]): Promise<Map<string, EmailHitHistory>> {
  // Raw SQL: LATERAL with a per-email LIMIT, which Kysely's builder cannot say clearly. The verdicts
  // appended since (reclassified events) are read apart from that LIMIT, so that many revisions
  // never push hits out of the window. A reclassified event always comes after the hit it names,
  // so those past the window's oldest hit are all that can concern it.
  const { rows } = await sql<HistoryRow>`
    WITH recent AS (
      SELECT e.id AS email_id, e.project_id, e.first_attempt_at, ev.id, ev.event_type, ev.metadata, ev.created_at, ev.hit_id
      FROM emails e
      LEFT JOIN LATERAL (
        SELECT * FROM (
          SELECT id, event_type, metadata, created_at, hit_id FROM events
          WHERE email_id = e.id AND event_type IN ('open', 'click', 'sent', 'delivered')
          ORDER BY id DESC LIMIT ${HISTORY_LIMIT}
        ) newest ORDER BY id
      ) ev ON true
      WHERE e.id = ANY(${[...new Set(emailIds)]}::uuid[])
    )
    SELECT * FROM recent
    UNION ALL
    SELECT r.email_id, NULL::uuid, NULL::timestamptz, r.id, r.event_type, r.metadata, r.created_at, NULL::text
    FROM (SELECT email_id, min(id) AS oldest FROM recent WHERE event_type IN ('open', 'click') GROUP BY email_id) w
    JOIN events r ON r.email_id = w.email_id AND r.id > w.oldest AND r.event_type = 'reclassified'
  `.execute(db);
  const histories = new Map<string, EmailHitHistory>();
  const reclassified = new Map<string, HistoryRow[]>();
  for (const r of rows) {
    if (r.event_type === 'reclassified') {
      const list = reclassified.get(r.email_id);
      if (list) list.push(r);
      else reclassified.set(r.email_id, [r]);
      continue;
    }
    let h = histories.get(r.email_id);
    if (!h) histories.set(r.email_id, (h = { projectId: r.project_id!, hits: [], sendRecorded: false }));
    if (r.id === null || !r.created_at) continue;
    if (r.event_type === 'sent') h.sentAt ??= r.created_at;
    else if (r.event_type === 'delivered') h.deliveredAt ??= r.created_at;
    else h.hits.push(storedHit(r as HistoryRow & { id: number; created_at: Date }));
  }
  for (const r of rows) {
    const h = histories.get(r.email_id);
    if (!h) continue;
    h.sendRecorded = h.sentAt !== undefined || h.deliveredAt !== undefined;
    // A hit can arrive before the worker's outcome is committed (Safe Links scans during the SMTP
    // transaction itself): the claim time is then the best known send time, not "never sent".
    if (!h.sendRecorded && r.first_attempt_at) h.sentAt = r.first_attempt_at;
  }
  for (const [emailId, revisions] of reclassified) {
    const h = histories.get(emailId);
    if (h) applyVerdictsInForce(h.hits, revisions);
  }
  return histories;
}

/** Gives each hit the verdict in force: the last of `revisions` (any order) naming it, else its own. */
function applyVerdictsInForce(hits: StoredHit[], revisions: HistoryRow[]): void {
  const log = hits.map((h) => ({ id: h.eventId, event_type: h.kind as string, metadata: { counted: h.counted, why: h.why } as Record<string, unknown> }));
  for (const r of revisions.sort((a, b) => a.id! - b.id!)) log.push({ id: r.id!, event_type: 'reclassified', metadata: r.metadata ?? {} });
  const verdicts = verdictsInForce(log);
  for (const h of hits) {
    const v = verdicts.get(h.eventId);
    if (!v) continue;
    h.counted = v.counted;
    h.why = v.counted ? undefined : v.why;
  }
}

function storedHit(r: HistoryRow & { id: number; created_at: Date }): StoredHit {
  const m = r.metadata ?? {};
  // Stored metadata names the link index link_index (the API's spelling).
  const fields = hitFieldsFrom({ ...m, linkIndex: m.link_index });
  const hit = { kind: r.event_type as Hit['kind'], emailId: r.email_id, ...fields, at: r.created_at };
  const verdict = { counted: m.counted === true, why: typeof m.why === 'string' ? m.why : undefined };
  return storedHitOf(hit, verdict, m.backfilled === true, r.id, r.hit_id);
}

/**
 * A hit in a history. All fields, always, in one order: histories hold hits read from the database
 * and hits just classified, and one hidden class for both keeps the classifier's loops fast (see
 * recorded-hit.ts).
 */
export function storedHitOf(hit: Hit, verdict: Verdict, backfilled: boolean, eventId: number, hitId: string | null): StoredHit {
  return {
    kind: hit.kind,
    emailId: hit.emailId,
    url: hit.url,
    linkIndex: hit.linkIndex,
    ua: hit.ua,
    ip: hit.ip,
    method: hit.method,
    purpose: hit.purpose,
    at: hit.at,
    counted: verdict.counted,
    why: verdict.counted ? undefined : verdict.why,
    backfilled: backfilled || undefined,
    eventId,
    hitId,
  };
}

export const asEmailHistory = (h: EmailHitHistory): EmailHistory => ({ sentAt: h.sentAt, deliveredAt: h.deliveredAt, hits: h.hits });

export type HitEventRow = { hitId: string; projectId: string; emailId: string; type: 'open' | 'click' | 'unsubscribe'; metadata: Record<string, unknown>; at: Date };

/** A stored hit whose verdict changes: its event id must be known (see findHitEventIds). */
export type RevisedHit = { eventId: number; projectId: string; emailId: string; kind: 'open' | 'click'; verdict: Verdict };

/**
 * Appends hit events and the verdicts that supersede earlier hits' in one statement; a hit id
 * already stored is skipped (idempotent replay).
 */
export async function appendHitEvents(db: Kysely<Database>, rows: readonly HitEventRow[], revised: readonly RevisedHit[] = []): Promise<void> {
  const events: NewEvent[] = rows.map((r) => ({ hitId: r.hitId, projectId: r.projectId, emailId: r.emailId, type: r.type, metadata: r.metadata, at: r.at }));
  for (const r of revised) events.push(reclassifiedEvent(r, r.verdict));
  await appendEvents(db, events);
}

/** The event ids of stored hits, by hit id (the recorder knows its own hits by hit id only). */
export async function findHitEventIds(db: Kysely<Database>, hitIds: readonly string[]): Promise<Map<string, number>> {
  if (hitIds.length === 0) return new Map();
  const { rows } = await sql<{ id: number; hit_id: string }>`SELECT id, hit_id FROM events WHERE hit_id = ANY(${[...hitIds]}::text[])`.execute(db);
  return new Map(rows.map((r) => [r.hit_id, r.id]));
}

export async function findEmailRecipient(db: Kysely<Database>, emailId: string): Promise<{ projectId: string; to: string } | undefined> {
  const row = await db.selectFrom('emails').select(['project_id', 'to_address']).where('id', '=', emailId).executeTakeFirst();
  return row && { projectId: row.project_id, to: row.to_address };
}
