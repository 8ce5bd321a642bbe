// Use case: re-run the classifier over stored opens and clicks (after a signature update) and append
// the verdicts that changed. The log is append-only: a changed verdict is a reclassified event, and
// back-filled opens, derived facts, are withdrawn (a reclassified event, not counted) or appended.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { reclassifiedEvent, type NewEvent } from '../../events/index.ts';
import type { ClassifyHit, Hit, Verdict } from '../hit.ts';
import { classifyEmailHits, type ClassifiedHit } from '../classify/classify-email-hits.ts';
import { appendReclassification, loadHitEvents, nextEmailsWithHits, type StoredEvent } from './tracked-hits.repository.ts';

/**
 * `changed`: verdicts superseded, of hits and of back-filled opens kept (a reinstated one too);
 * `backfillsAdded`: back-filled opens appended; `backfillsRemoved`: counted back-filled opens
 * withdrawn. A back-fill that moves to another click is one of each.
 */
export type ReclassifyResult = { emails: number; hits: number; changed: number; backfillsAdded: number; backfillsRemoved: number };

/**
 * Why a back-filled open is withdrawn when its click still counts (the email has a counted open of
 * its own now) or no stored click matches it.
 */
export const BACKFILL_WITHDRAWN = 'backfill_withdrawn';

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

const verdictOf = (v: Verdict): Verdict => (v.counted ? { counted: true } : { counted: false, why: v.why });

const sameVerdict = (meta: Record<string, unknown>, v: Verdict) => meta.counted === v.counted && (v.counted || meta.why === v.why);

const supersede = (e: StoredEvent, v: Verdict): NewEvent =>
  reclassifiedEvent({ eventId: e.id, projectId: e.project_id, emailId: e.email_id, kind: e.event_type as Hit['kind'] }, verdictOf(v));

/** Whether a stored back-filled open is the one `h` derives: from the same click (its time, UA, address, method). */
const sameSource = (old: StoredEvent, h: Hit) =>
  old.created_at.getTime() === h.at.getTime() && old.metadata.ua === h.ua && old.metadata.ip === h.ip && (old.metadata.method ?? 'GET') === h.method;

/**
 * The stored back-fill that `h` keeps, preferring one that already has its verdict; -1 when none
 * does. The preference makes a second run pick what the first left, so it finds nothing to change.
 */
function matchBackfill(candidates: StoredEvent[], h: ClassifiedHit): number {
  let any = -1;
  for (let i = 0; i < candidates.length; i++) {
    if (!sameSource(candidates[i]!, h)) continue;
    if (sameVerdict(candidates[i]!.metadata, h)) return i;
    if (any < 0) any = i;
  }
  return any;
}

/** Why a back-filled open no longer stands: its click's why when the click no longer counts, else BACKFILL_WITHDRAWN. */
function withdrawalWhy(old: StoredEvent, classified: ClassifiedHit[]): string {
  const click = classified.find((h) => h.kind === 'click' && !h.backfilled && sameSource(old, h));
  return click && !click.counted && click.why !== undefined ? click.why : BACKFILL_WITHDRAWN;
}

/** Plans what one email's log needs appended; back-filled opens are derived facts, so they are re-derived too. */
function planEmail(classify: ClassifyHit, events: StoredEvent[], out: NewEvent[], r: ReclassifyResult): void {
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
    out.push(supersede(e, h));
    r.changed += 1;
  }
  const unmatched = [...oldBackfills];
  for (const h of newBackfills) {
    const i = matchBackfill(unmatched, h);
    if (i < 0) {
      const click = hitEvents[h.from]!;
      const v = verdictOf(h);
      out.push({ projectId: click.project_id, emailId: click.email_id, type: 'open', at: h.at, metadata: { ua: h.ua, ip: h.ip, method: h.method, ...v, backfilled: true } });
      r.backfillsAdded += 1;
      continue;
    }
    const [old] = unmatched.splice(i, 1);
    if (sameVerdict(old!.metadata, h)) continue;
    out.push(supersede(old!, h));
    r.changed += 1;
  }
  // Back-fills no click justifies any more. One that counts nowhere already (withdrawn by an
  // earlier run, or folded into a burst) is left as it is: withdrawing it again would change nothing.
  for (const old of unmatched) {
    if (old.metadata.counted !== true) continue;
    out.push(supersede(old, { counted: false, why: withdrawalWhy(old, classified) }));
    r.backfillsRemoved += 1;
  }
}

/**
 * Walks every email with opens or clicks in batches of `emailsPerBatch` (by email id), classifies its
 * hits afresh in time order against the verdicts in force and appends only what changed, in one
 * statement per batch. Hits recorded while it runs are classified by the recorder with the
 * signatures it has loaded.
 */
export async function reclassifyStoredHits(db: Kysely<Database>, classify: ClassifyHit, opts: { emailsPerBatch?: number } = {}): Promise<ReclassifyResult> {
  const r: ReclassifyResult = { emails: 0, hits: 0, changed: 0, backfillsAdded: 0, backfillsRemoved: 0 };
  let after: string | undefined;
  for (;;) {
    const ids = await nextEmailsWithHits(db, after, opts.emailsPerBatch ?? 500);
    if (ids.length === 0) return r;
    after = ids[ids.length - 1];
    const events = await loadHitEvents(db, ids);
    const out: NewEvent[] = [];
    let start = 0;
    for (let i = 1; i <= events.length; i++) {
      if (i === events.length || events[i]!.email_id !== events[start]!.email_id) {
        planEmail(classify, events.slice(start, i), out, r);
        start = i;
      }
    }
    await appendReclassification(db, out);
  }
}
