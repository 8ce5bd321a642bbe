// Use case: commit one batch of tracking hits in one transaction: read the emails' histories in
// one query, classify each hit in order against them, append the events and, as reclassified
// events, the verdicts they revise on hits stored earlier (the log is append-only).
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import type { ClassifyHit, Verdict } from './hit.ts';
import type { RecordedHit } from './recorded-hit.ts';
import { createHistoryCache, type HistoryCache } from './history-cache.ts';
import {
  appendHitEvents, asEmailHistory, findHitEventIds, loadHistories, storedHitOf,
  type EmailHitHistory, type HitEventRow, type RevisedHit, type StoredHit,
} from './tracking-hits.repository.ts';

/** The stored metadata of an open or click (the form `tracking reclassify` reads back). */
export function hitMetadata(hit: RecordedHit, verdict: Verdict, backfilled?: boolean): Record<string, unknown> {
  const m: Record<string, unknown> = { ua: hit.ua, ip: hit.ip, method: hit.method };
  if (hit.kind === 'click' && !backfilled) {
    m.url = hit.url;
    m.link_index = hit.linkIndex;
  }
  if (hit.purpose) m.purpose = hit.purpose;
  m.counted = verdict.counted;
  if (!verdict.counted && verdict.why) m.why = verdict.why;
  if (backfilled) m.backfilled = true;
  return m;
}

// Long enough to spare a busy email a read per batch, short enough to learn its send time quickly.
const UNSENT_HISTORY_TTL_MS = 1000;

export type CommitResult = { stored: number; unknownEmail: number; duplicate: number };

/**
 * Commits a batch. Histories come from `cache` when fresh, else from the database in one query;
 * on failure the cache entries the batch touched are dropped, since they now hold unstored hits.
 */
export async function commitHits(
  db: Kysely<Database>, classify: ClassifyHit, hits: readonly RecordedHit[], cache: HistoryCache = createHistoryCache({ ttlMs: 0 }),
): Promise<CommitResult> {
  const touched = [...new Set(hits.map((h) => h.emailId))];
  try {
    return await db.transaction().execute((trx) => classifyAndStore(trx, classify, hits, touched, cache));
  } catch (err) {
    for (const id of touched) cache.delete(id);
    throw err;
  }
}

async function classifyAndStore(
  trx: Kysely<Database>, classify: ClassifyHit, hits: readonly RecordedHit[], touched: string[], cache: HistoryCache,
): Promise<CommitResult> {
  const result: CommitResult = { stored: 0, unknownEmail: 0, duplicate: 0 };
  const histories = new Map<string, EmailHitHistory>();
  const missing: string[] = [];
  for (const id of touched) {
    const cached = cache.get(id);
    if (cached) histories.set(id, cached);
    else missing.push(id);
  }
  if (missing.length > 0) {
    for (const [id, h] of await loadHistories(trx, missing)) {
      histories.set(id, h);
      // Until the send is recorded the history lacks its send/delivery times: read it again soon.
      cache.set(id, h, h.sendRecorded ? undefined : UNSENT_HISTORY_TTL_MS);
    }
  }
  const rows: HitEventRow[] = [];
  // In-batch hits are not stored yet: a revision of one rewrites its row before the insert.
  const rowOf = new Map<StoredHit, HitEventRow>();
  // Stored hits this batch revises, with the verdict in force before the batch.
  const revisedStored = new Map<StoredHit, Verdict>();
  for (const hit of hits) {
    const history = histories.get(hit.emailId);
    if (!history) {
      result.unknownEmail++;
      continue;
    }
    if (history.hits.some((h) => h.hitId === hit.id)) {
      result.duplicate++;
      continue;
    }
    const c = classify(hit, asEmailHistory(history));
    for (const r of c.revised ?? []) {
      const earlier = history.hits[r.index];
      if (!earlier || sameVerdict(earlier, r.verdict)) continue;
      const row = rowOf.get(earlier);
      if (!row && !revisedStored.has(earlier)) revisedStored.set(earlier, { counted: earlier.counted, why: earlier.why });
      // The history (cached too) holds the verdict in force from now on.
      earlier.counted = r.verdict.counted;
      earlier.why = r.verdict.counted ? undefined : r.verdict.why;
      if (row) row.metadata = { ...row.metadata, counted: r.verdict.counted, why: earlier.why };
    }
    append(history, hit, c.verdict, false, rows, rowOf);
    if (c.backfillOpen && hit.kind === 'click') {
      append(history, { ...hit, kind: 'open', id: `${hit.id}:open`, url: undefined, linkIndex: undefined }, { counted: true }, true, rows, rowOf);
    }
    result.stored++;
  }
  await appendHitEvents(trx, rows, await revisionsOf(trx, revisedStored, histories));
  for (const h of histories.values()) cache.trim(h);
  return result;
}

const sameVerdict = (a: Verdict, b: Verdict) => a.counted === b.counted && (a.counted || a.why === b.why);

/**
 * The revisions to append: those whose verdict still differs from the one in force before the
 * batch. Hits this recorder stored itself are known by hit id only: their event ids are read in one
 * query, only for batches that revise such hits, and kept in the history for the next revision.
 */
async function revisionsOf(
  trx: Kysely<Database>, revisedStored: ReadonlyMap<StoredHit, Verdict>, histories: ReadonlyMap<string, EmailHitHistory>,
): Promise<RevisedHit[]> {
  const changed = [...revisedStored].filter(([hit, before]) => !sameVerdict(hit, before)).map(([hit]) => hit);
  const unknown = changed.filter((h) => h.eventId < 0 && h.hitId !== null).map((h) => h.hitId!);
  if (unknown.length > 0) {
    const ids = await findHitEventIds(trx, unknown);
    for (const h of changed) if (h.eventId < 0 && h.hitId !== null) h.eventId = ids.get(h.hitId) ?? -1;
  }
  return changed
    .filter((h) => h.eventId >= 0)
    .map((h) => ({ eventId: h.eventId, projectId: histories.get(h.emailId)!.projectId, emailId: h.emailId, kind: h.kind, verdict: { counted: h.counted, why: h.why } }));
}

function append(
  history: EmailHitHistory, hit: RecordedHit, verdict: Verdict, backfilled: boolean,
  rows: HitEventRow[], rowOf: Map<StoredHit, HitEventRow>,
): void {
  const stored = storedHitOf(hit, verdict, backfilled, -1, hit.id);
  const row: HitEventRow = { hitId: hit.id, projectId: history.projectId, emailId: hit.emailId, type: hit.kind, metadata: hitMetadata(hit, verdict, backfilled), at: hit.at };
  history.hits.push(stored);
  rows.push(row);
  rowOf.set(stored, row);
}
