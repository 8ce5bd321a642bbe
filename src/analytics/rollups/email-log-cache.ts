// The logs of emails the scheduler folded recently, kept between its batches: an email being sent
// and read has events in many consecutive batches, and reading its log back for each one cost the
// live rollups more than their catch-up (bench:stats), and a large campaign's sender more than the
// fold itself (bench:send on PGlite). A cached log holds exactly the email's events up to the
// cursor the cache was left at, so it is used only when the batch starts there: another scheduler
// that moved the cursor meanwhile, or a batch that failed after the cache was left, makes the next
// batch read from the database again.
//
// Two tiers. Most emails of a campaign wait in the queue with one event, the queued (or scheduled)
// one written with the email: those are kept as that event's few fields and a shared breakdown, so
// a whole campaign fits and its `sent` events need no read-back. Emails with more events keep their
// log and its tally, fewer of them.
import { isBefore, type LogCursor } from '../../events/index.ts';
import type { EmailTally } from '../counting-policy.ts';
import type { LoggedEmailEvent } from './email-log.repository.ts';
import type { FoldDims } from './fold-dims.ts';

export type CachedEmail = {
  dims: FoldDims;
  log: readonly LoggedEmailEvent[];
  /** The tally of `log`, when known: the next batch's "before", so it is not counted twice. */
  tally?: EmailTally;
};

/** The events that begin an email's log: written with the email itself, never later. */
export const FIRST_EVENTS: ReadonlySet<string> = new Set(['queued', 'scheduled']);

export type CachedLogs = { get(emailId: string): CachedEmail | undefined };

export type EmailLogCache = {
  /** The cached emails, if the cache is at `cursor`; else none (and the cache is emptied). */
  at(cursor: LogCursor): CachedLogs;
  /**
   * After a batch from `from` to `to` committed: these emails' logs up to `to`, where the cache now
   * is. A cache that was not at `from` (another scheduler moved the cursor meanwhile) is emptied
   * first: its other emails' logs would miss what that scheduler folded.
   */
  advance(from: LogCursor, to: LogCursor, emails: ReadonlyMap<string, CachedEmail>): void;
};

/** An email whose log is its first event alone. The counting policy reads only its type and time. */
type FirstOnly = { dims: FoldDims; type: string; id: number; txid: string; at: number };

const same = (a: LogCursor, b: LogCursor) => !isBefore(a, b) && !isBefore(b, a);
const NO_METADATA: Record<string, unknown> = Object.freeze({});

/**
 * `maxLogs` emails with longer logs and `maxFirstOnly` with their first event alone (about 200
 * bytes each with its id, so 100,000 take some 20 MB at most); the least recently folded go first.
 */
export function createEmailLogCache(maxLogs = 10_000, maxFirstOnly = 100_000): EmailLogCache {
  let cursor: LogCursor | undefined;
  // Insertion order is recency: an email folded again moves to the end; the oldest go first.
  const logs = new Map<string, CachedEmail>();
  const firstOnly = new Map<string, FirstOnly>();
  const clear = () => {
    logs.clear();
    firstOnly.clear();
    cursor = undefined;
  };
  const view: CachedLogs = {
    get(id) {
      const cached = logs.get(id);
      if (cached) return cached;
      const f = firstOnly.get(id);
      if (!f) return undefined;
      return { dims: f.dims, log: [{ id: f.id, txid: f.txid, event_type: f.type, metadata: NO_METADATA, created_at: new Date(f.at) }] };
    },
  };
  return {
    at(c) {
      if (!cursor || !same(cursor, c)) clear();
      return view;
    },
    advance(from, to, folded) {
      if (!cursor || !same(cursor, from)) clear();
      for (const [id, e] of folded) {
        logs.delete(id);
        firstOnly.delete(id);
        const only = e.log.length === 1 ? e.log[0]! : undefined;
        if (only && FIRST_EVENTS.has(only.event_type) && Object.keys(only.metadata).length === 0) {
          firstOnly.set(id, { dims: e.dims, type: only.event_type, id: only.id, txid: only.txid, at: only.created_at.getTime() });
        } else {
          logs.set(id, e);
        }
      }
      trim(logs, maxLogs);
      trim(firstOnly, maxFirstOnly);
      cursor = to;
    },
  };
}

function trim(map: Map<string, unknown>, max: number): void {
  for (const id of map.keys()) {
    if (map.size <= max) break;
    map.delete(id);
  }
}
