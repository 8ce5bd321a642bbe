// The recent hit histories of emails being hit now, kept in memory so a batch does not re-read
// them from the database: the classifier needs them for every hit, and re-reading a busy email's
// history per batch made commits cost more than the HTTP work (measured: ~55 ms of a 110 ms batch).
// A commit that revises earlier hits (a burst) changes their verdicts here in place, as it appends
// the reclassified events a re-read from the database applies: cached or re-read, a history holds
// the verdicts in force.
import type { EmailHitHistory } from './tracking-hits.repository.ts';

export type HistoryCache = {
  /** A fresh history, or undefined when absent or older than the time to live. */
  get(emailId: string): EmailHitHistory | undefined;
  /** `ttlMs` overrides the cache's time to live for this entry. */
  set(emailId: string, history: EmailHitHistory, ttlMs?: number): void;
  /** Keeps a history short after a batch grew it (newest hits, and one counted open for back-fill). */
  trim(history: EmailHitHistory): void;
  delete(emailId: string): void;
};

export type HistoryCacheOptions = {
  maxEmails?: number;
  /**
   * Entries are re-read after this long, so hits another tracking process recorded for the same
   * email (several processes on one PostgreSQL) reach the classifier within that delay.
   */
  ttlMs?: number;
  maxHits?: number;
};

export function createHistoryCache(options: HistoryCacheOptions = {}): HistoryCache {
  const maxEmails = options.maxEmails ?? 20_000;
  const ttlMs = options.ttlMs ?? 10_000;
  const maxHits = options.maxHits ?? 30;
  // A Map iterates in insertion order: re-inserting on use makes the first key the least recently used.
  const entries = new Map<string, { history: EmailHitHistory; expiresAt: number }>();
  return {
    get(emailId) {
      const entry = entries.get(emailId);
      if (!entry) return undefined;
      entries.delete(emailId);
      if (Date.now() > entry.expiresAt) return undefined;
      entries.set(emailId, entry);
      return entry.history;
    },
    set(emailId, history, entryTtlMs) {
      entries.delete(emailId);
      entries.set(emailId, { history, expiresAt: Date.now() + (entryTtlMs ?? ttlMs) });
      if (entries.size > maxEmails) entries.delete(entries.keys().next().value!);
    },
    trim(history) {
      if (history.hits.length <= maxHits) return;
      const recent = history.hits.slice(-maxHits);
      // Whether the email already has a counted open decides back-fills: never trim that fact away.
      const firstOpen = history.hits.find((h) => h.kind === 'open' && h.counted);
      history.hits = firstOpen && !recent.includes(firstOpen) ? [firstOpen, ...recent] : recent;
    },
    delete: (emailId) => void entries.delete(emailId),
  };
}
