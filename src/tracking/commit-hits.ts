// Use case: commit one batch of tracking hits in one transaction: read the emails' histories in
// one query, classify each hit in order against them, append the events and the revised verdicts.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import type { ClassifyHit, Verdict } from './hit.ts';
import type { RecordedHit } from './recorded-hit.ts';
import {
  asEmailHistory, insertHitEvents, loadHistories, updateVerdicts,
  type EmailHitHistory, type HitEventRow, type StoredHit,
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

export type CommitResult = { stored: number; unknownEmail: number; duplicate: number };

export async function commitHits(db: Kysely<Database>, classify: ClassifyHit, hits: readonly RecordedHit[]): Promise<CommitResult> {
  const result: CommitResult = { stored: 0, unknownEmail: 0, duplicate: 0 };
  if (hits.length === 0) return result;
  await db.transaction().execute(async (trx) => {
    const histories = await loadHistories(trx, hits.map((h) => h.emailId));
    const known = new Set([...histories.values()].flatMap((h) => h.hits.map((s) => s.hitId)));
    const rows: HitEventRow[] = [];
    // In-batch hits have no event id yet: a revision of one rewrites its row before the insert.
    const rowOf = new Map<StoredHit, HitEventRow>();
    const revisedStored = new Map<number, Verdict>();
    for (const hit of hits) {
      const history = histories.get(hit.emailId);
      if (!history) {
        result.unknownEmail++;
        continue;
      }
      if (known.has(hit.id)) {
        result.duplicate++;
        continue;
      }
      known.add(hit.id);
      const c = classify(hit, asEmailHistory(history));
      for (const r of c.revised ?? []) {
        const earlier = history.hits[r.index];
        if (!earlier) continue;
        earlier.counted = r.verdict.counted;
        earlier.why = r.verdict.why;
        const row = rowOf.get(earlier);
        if (row) row.metadata = { ...row.metadata, counted: r.verdict.counted, why: r.verdict.counted ? undefined : r.verdict.why };
        else revisedStored.set(earlier.eventId, r.verdict);
      }
      append(history, hit, c.verdict, false, rows, rowOf);
      if (c.backfillOpen && hit.kind === 'click') {
        append(history, { ...hit, kind: 'open', id: `${hit.id}:open`, url: undefined, linkIndex: undefined }, { counted: true }, true, rows, rowOf);
      }
      result.stored++;
    }
    await insertHitEvents(trx, rows);
    await updateVerdicts(trx, [...revisedStored].map(([eventId, verdict]) => ({ eventId, verdict })));
  });
  return result;
}

function append(
  history: EmailHitHistory, hit: RecordedHit, verdict: Verdict, backfilled: boolean,
  rows: HitEventRow[], rowOf: Map<StoredHit, HitEventRow>,
): void {
  const stored: StoredHit = { ...hit, ...verdict, backfilled: backfilled || undefined, eventId: -1, hitId: hit.id };
  const row: HitEventRow = { hitId: hit.id, projectId: history.projectId, emailId: hit.emailId, type: hit.kind, metadata: hitMetadata(hit, verdict, backfilled), at: hit.at };
  history.hits.push(stored);
  rows.push(row);
  rowOf.set(stored, row);
}
