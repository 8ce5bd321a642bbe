// Group-commits delivery outcomes: one transaction per batch instead of one per email, which is
// what lets a worker keep up with ~1,000 SMTP sends a second on PGlite and PostgreSQL alike.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { recordOutcomes, type Outcome } from './queue.repository.ts';

export type OutcomeWriter = {
  /** Resolves once the outcome is committed. */
  write(outcome: Outcome): Promise<void>;
  close(): Promise<void>;
};

type Pending = { outcome: Outcome; done: () => void };

export function createOutcomeWriter(
  db: Kysely<Database>,
  options: { maxBatch?: number; maxDelayMs?: number; onError?: (err: unknown) => void; softBounceSuppressCount?: number } = {},
): OutcomeWriter {
  const maxBatch = options.maxBatch ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 20;
  let pending: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;

  const schedule = () => {
    if (flushing || pending.length === 0) return;
    if (pending.length >= maxBatch) {
      flushing = flush();
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = undefined;
        if (!flushing) flushing = flush();
      }, maxDelayMs);
    }
  };

  async function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = pending.splice(0, maxBatch);
    // Retry until the database takes it: an outcome is a fact about a message already sent, and
    // dropping it would resend the message when its lease expires.
    for (let delay = 100; ; delay = Math.min(delay * 2, 5000)) {
      try {
        await recordOutcomes(db, batch.map((p) => p.outcome), { softBounceSuppressCount: options.softBounceSuppressCount });
        break;
      } catch (err) {
        options.onError?.(err);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
    for (const p of batch) p.done();
    flushing = undefined;
    schedule();
  }

  return {
    write(outcome) {
      return new Promise<void>((done) => {
        pending.push({ outcome, done });
        schedule();
      });
    },
    async close() {
      while (flushing || pending.length > 0) {
        if (!flushing) flushing = flush();
        await flushing;
      }
    },
  };
}
