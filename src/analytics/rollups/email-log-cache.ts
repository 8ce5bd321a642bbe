// The logs of emails the scheduler folded recently, kept between its batches: an email being sent
// and read has events in many consecutive batches, and reading its whole log again for each one
// cost the live rollups more than twice their catch-up (bench:stats). A cached log holds exactly
// the email's events up to the cursor the cache was left at, so it is used only when the batch
// starts there: another scheduler that moved the cursor meanwhile, or a batch that failed after
// the cache was left, makes the next batch read from the database again.
import { isBefore, type LogCursor } from '../../events/index.ts';
import type { EmailTally } from '../counting-policy.ts';
import type { EmailDimensions, LoggedEmailEvent } from './email-log.repository.ts';

export type CachedEmail = {
  dims: EmailDimensions;
  log: readonly LoggedEmailEvent[];
  /** The tally of `log`, when known: the next batch's "before", so it is not counted twice. */
  tally?: EmailTally;
};

export type EmailLogCache = {
  /** The cached emails, if the cache is at `cursor`; else nothing (and the cache is emptied). */
  at(cursor: LogCursor): Map<string, CachedEmail>;
  /**
   * After a batch from `from` to `to` committed: these emails' logs up to `to`, where the cache now
   * is. A cache that was not at `from` (another scheduler moved the cursor meanwhile) is emptied
   * first: its other emails' logs would miss what that scheduler folded.
   */
  advance(from: LogCursor, to: LogCursor, emails: ReadonlyMap<string, CachedEmail>): void;
};

const same = (a: LogCursor, b: LogCursor) => !isBefore(a, b) && !isBefore(b, a);

export function createEmailLogCache(maxEmails = 10_000): EmailLogCache {
  let cursor: LogCursor | undefined;
  // Insertion order is recency: an email folded again moves to the end; the oldest go first.
  const emails = new Map<string, CachedEmail>();
  return {
    at(c) {
      if (!cursor || !same(cursor, c)) {
        emails.clear();
        cursor = undefined;
      }
      return emails;
    },
    advance(from, to, folded) {
      if (!cursor || !same(cursor, from)) emails.clear();
      for (const [id, e] of folded) {
        emails.delete(id);
        emails.set(id, e);
      }
      for (const id of emails.keys()) {
        if (emails.size <= maxEmails) break;
        emails.delete(id);
      }
      cursor = to;
    },
  };
}
