// Runs the classifier over all the hits of one email in time order, as the recorder would have seen them.
import type { ClassifyHit, EmailHistory, Hit, Verdict } from '../hit.ts';

/** A classified hit; `from` is the input position of a real hit, or of the click a back-filled open came from. */
export type ClassifiedHit = Hit & Verdict & { backfilled?: boolean; from: number };

/**
 * Classifies `hits` (any order; sorted by time, ties kept in input order) and returns the email's
 * full history: every hit with its final verdict (after later revisions) and the back-filled opens
 * the classifier asked for, placed right after their click.
 */
export function classifyEmailHits(
  classify: ClassifyHit,
  hits: readonly Hit[],
  times: { sentAt?: Date; deliveredAt?: Date } = {},
): ClassifiedHit[] {
  const order = hits.map((hit, from) => ({ hit, from })).sort((a, b) => a.hit.at.getTime() - b.hit.at.getTime() || a.from - b.from);
  const done: ClassifiedHit[] = [];
  const history: EmailHistory = { ...times, hits: done };
  for (const { hit, from } of order) {
    const c = classify(hit, history);
    for (const { index, verdict } of c.revised ?? []) {
      const h = done[index];
      if (!h) continue;
      h.counted = verdict.counted;
      if (verdict.why === undefined) delete h.why;
      else h.why = verdict.why;
    }
    done.push({ ...hit, ...c.verdict, from });
    if (c.backfillOpen) {
      const { url: _url, linkIndex: _li, ...rest } = hit;
      done.push({ ...rest, kind: 'open', counted: true, backfilled: true, from });
    }
  }
  return done;
}
