// `sendtrail tracking replay`: the live classifier over recorded hits, with per-email counts users can audit.
import type { ClassifyHit, Verdict } from '../hit.ts';
import { classifyEmailHits, type ClassifiedHit } from '../classify/classify-email-hits.ts';
import { parseHitLine, type RecordedHit } from './parse-hit-line.ts';

/**
 * Per email (one recipient), so "unique" is 0 or 1: unique_opens = 1 when any open was counted
 * (a back-filled one included), total_opens = counted open events (back-filled ones included, as
 * they are stored), open_backfilled = how many of those were inferred from a click, apple_mpp_opens
 * = pixel loads by Apple MPP (never counted). Per destination URL: unique = 1 when any click on it
 * counted, total = counted clicks; a URL only machines followed is listed with zeros.
 */
export type MessageCounts = {
  unique_opens: number;
  total_opens: number;
  open_backfilled: number;
  apple_mpp_opens: number;
  clicks: Record<string, { unique: number; total: number }>;
};
export type ReplayOutput = {
  messages: Record<string, MessageCounts>;
  hits: Array<{ line: number; counted: boolean; why: string | null }>;
};
export type LineProblem = { line: number; problem: string };
export type NumberedHit = { line: number; rec: RecordedHit };

/** Hits of a replay are placed on a time line that starts when each email was sent. */
const SENT_AT = new Date(0);
const at = (seconds: number) => new Date(SENT_AT.getTime() + seconds * 1000);

/** Classifies every email's hits; returns them as stored (back-filled opens included) per email, in first-seen order. */
export function classifyRecorded(entries: readonly NumberedHit[], classify: ClassifyHit): Map<string, Array<ClassifiedHit & { line: number }>> {
  const byMessage = new Map<string, NumberedHit[]>();
  for (const e of entries) {
    const list = byMessage.get(e.rec.message);
    if (list) list.push(e);
    else byMessage.set(e.rec.message, [e]);
  }
  const out = new Map<string, Array<ClassifiedHit & { line: number }>>();
  for (const [message, list] of byMessage) {
    const delivered = list.find((e) => e.rec.deliveredSecondsAfterSend !== undefined)?.rec.deliveredSecondsAfterSend;
    const hits = list.map((e) => ({ ...e.rec.hit, emailId: message, at: at(e.rec.secondsAfterSend) }));
    const times = { sentAt: SENT_AT, ...(delivered !== undefined ? { deliveredAt: at(delivered) } : {}) };
    out.set(message, classifyEmailHits(classify, hits, times).map((h) => ({ ...h, line: list[h.from]!.line })));
  }
  return out;
}

export function countMessage(hits: readonly (ClassifiedHit & Verdict)[]): MessageCounts {
  const counted = hits.filter((h) => h.kind === 'open' && h.counted);
  const clicks: MessageCounts['clicks'] = {};
  for (const h of hits) {
    if (h.kind !== 'click') continue;
    const c = (clicks[h.url ?? ''] ??= { unique: 0, total: 0 });
    if (h.counted) c.total += 1;
    c.unique = c.total > 0 ? 1 : 0;
  }
  return {
    unique_opens: counted.length > 0 ? 1 : 0,
    total_opens: counted.length,
    open_backfilled: counted.filter((h) => h.backfilled).length,
    apple_mpp_opens: hits.filter((h) => h.kind === 'open' && h.why === 'apple_mpp').length,
    clicks,
  };
}

/** Replays lines (1-based numbering; blank lines skipped); bad lines are returned as problems, not thrown. */
export async function replayHits(lines: AsyncIterable<string> | Iterable<string>, classify: ClassifyHit): Promise<{ output: ReplayOutput; problems: LineProblem[] }> {
  const entries: NumberedHit[] = [];
  const problems: LineProblem[] = [];
  let n = 0;
  for await (const raw of lines) {
    n += 1;
    if (raw.trim() === '') continue;
    const r = parseHitLine(raw);
    if (r.ok) entries.push({ line: n, rec: r.value });
    else problems.push({ line: n, problem: r.problem });
  }
  const output: ReplayOutput = { messages: {}, hits: [] };
  for (const [message, hits] of classifyRecorded(entries, classify)) {
    output.messages[message] = countMessage(hits);
    for (const h of hits) if (!h.backfilled) output.hits.push({ line: h.line, counted: h.counted, why: h.counted ? null : (h.why ?? null) });
  }
  output.hits.sort((a, b) => a.line - b.line);
  return { output, problems };
}
