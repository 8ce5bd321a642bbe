// Use case: re-run the classifier over stored opens and clicks (after a signature update) and rewrite their verdicts.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import type { ClassifyHit, Hit, Verdict } from '../hit.ts';
import { classifyEmailHits, type ClassifiedHit } from '../classify/classify-email-hits.ts';
import { loadHitEvents, nextEmailsWithHits, rewriteHitEvents, type HitRewrite, type StoredEvent } from './tracked-hits.repository.ts';

export type ReclassifyResult = { emails: number; hits: number; changed: number; backfillsAdded: number; backfillsRemoved: number };

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The stored form agreed with the recorder: metadata {ua, ip, method, url?, link_index?, purpose?, counted, why?, backfilled?}. */
function hitOf(e: StoredEvent): Hit {
  const m = e.metadata;
  return {
    kind: e.event_type as Hit['kind'],
    emailId: e.email_id,
    ua: str(m.ua) ?? '',
    ip: str(m.ip) ?? '',
    method: str(m.method) ?? 'GET',
    ...(str(m.url) !== undefined ? { url: str(m.url) } : {}),
    ...(typeof m.link_index === 'number' ? { linkIndex: m.link_index } : {}),
    ...(str(m.purpose) !== undefined ? { purpose: str(m.purpose) } : {}),
    at: e.created_at,
  };
}

function withVerdict(meta: Record<string, unknown>, v: Verdict): Record<string, unknown> {
  const { why: _old, ...rest } = meta;
  return { ...rest, counted: v.counted, ...(v.counted || v.why === undefined ? {} : { why: v.why }) };
}

const sameVerdict = (meta: Record<string, unknown>, v: Verdict) => meta.counted === v.counted && (v.counted || meta.why === v.why);

/** Plans the rewrite of one email's events; back-filled opens are derived facts, so they are re-derived too. */
function planEmail(classify: ClassifyHit, events: StoredEvent[], w: HitRewrite, r: ReclassifyResult): void {
  const sentAt = events.find((e) => e.event_type === 'sent')?.created_at;
  const deliveredAt = events.find((e) => e.event_type === 'delivered')?.created_at;
  const hitEvents = events.filter((e) => (e.event_type === 'open' || e.event_type === 'click') && e.metadata.backfilled !== true);
  const oldBackfills = events.filter((e) => e.event_type === 'open' && e.metadata.backfilled === true);
  if (hitEvents.length === 0 && oldBackfills.length === 0) return;
  const classified = classifyEmailHits(classify, hitEvents.map(hitOf), { ...(sentAt ? { sentAt } : {}), ...(deliveredAt ? { deliveredAt } : {}) });
  r.emails += 1;
  r.hits += hitEvents.length;
  const newBackfills: ClassifiedHit[] = [];
  for (const h of classified) {
    if (h.backfilled) {
      newBackfills.push(h);
      continue;
    }
    const e = hitEvents[h.from]!;
    if (sameVerdict(e.metadata, h)) continue;
    w.updates.push({ id: e.id, metadata: withVerdict(e.metadata, h), createdAt: e.created_at });
    r.changed += 1;
  }
  newBackfills.forEach((h, i) => {
    const meta = withVerdict({ ua: h.ua, ip: h.ip, method: h.method, backfilled: true }, h);
    const old = oldBackfills[i];
    if (!old) {
      w.inserts.push({ projectId: hitEvents[h.from]!.project_id, emailId: hitEvents[h.from]!.email_id, metadata: meta, createdAt: h.at });
      r.backfillsAdded += 1;
    } else if (!sameVerdict(old.metadata, h) || old.created_at.getTime() !== h.at.getTime() || old.metadata.ip !== h.ip || old.metadata.ua !== h.ua) {
      w.updates.push({ id: old.id, metadata: { ...old.metadata, ...meta }, createdAt: h.at });
      r.changed += 1;
    }
  });
  for (const old of oldBackfills.slice(newBackfills.length)) {
    w.deletes.push(old.id);
    r.backfillsRemoved += 1;
  }
}

/**
 * Walks every email with opens or clicks in batches of `emailsPerBatch` (by email id), classifies its
 * hits afresh in time order and rewrites only what changed, one transaction per batch. Hits recorded
 * while it runs are classified by the recorder with the signatures it has loaded.
 */
export async function reclassifyStoredHits(db: Kysely<Database>, classify: ClassifyHit, opts: { emailsPerBatch?: number } = {}): Promise<ReclassifyResult> {
  const r: ReclassifyResult = { emails: 0, hits: 0, changed: 0, backfillsAdded: 0, backfillsRemoved: 0 };
  let after: string | undefined;
  for (;;) {
    const ids = await nextEmailsWithHits(db, after, opts.emailsPerBatch ?? 500);
    if (ids.length === 0) return r;
    after = ids[ids.length - 1];
    const events = await loadHitEvents(db, ids);
    const w: HitRewrite = { updates: [], deletes: [], inserts: [] };
    let start = 0;
    for (let i = 1; i <= events.length; i++) {
      if (i === events.length || events[i]!.email_id !== events[start]!.email_id) {
        planEmail(classify, events.slice(start, i), w, r);
        start = i;
      }
    }
    await rewriteHitEvents(db, w);
  }
}
