// What an attempt's result means for its delivery and its endpoint (issue 21): only a 2xx is a
// success; a 3xx is a failure (never followed); 410 Gone gives the delivery up and disables the
// endpoint; anything else is retried on the schedule, Retry-After honoured, until given up.
import type { PostResult } from './post-webhook.ts';
import { nextAttemptAt, parseRetryAfter, type RetrySchedule } from './retry-schedule.ts';

export type Decision = {
  ok: boolean;
  outcome: { state: 'delivered' | 'failed' } | { state: 'pending'; nextAt: Date };
  /** Why the endpoint is to be disabled, when it is. */
  disable?: string;
  error: string | null;
};

export function decideDelivery(result: PostResult, attempts: number, now: Date, schedule: RetrySchedule): Decision {
  if (result.kind === 'answered' && result.status >= 200 && result.status < 300) {
    return { ok: true, outcome: { state: 'delivered' }, error: null };
  }
  if (result.kind === 'answered' && result.status === 410) {
    return { ok: false, outcome: { state: 'failed' }, disable: 'the receiver answered 410 Gone', error: 'HTTP 410 Gone: endpoint disabled' };
  }
  const error = result.kind === 'no_answer' ? result.error
    : result.status >= 300 && result.status < 400 ? `HTTP ${result.status}: redirects are not followed` : `HTTP ${result.status}`;
  const retryAfterMs = result.kind === 'answered' ? parseRetryAfter(result.retryAfter, now) : undefined;
  const next = nextAttemptAt(schedule, attempts, now, retryAfterMs);
  return next === 'give_up'
    ? { ok: false, outcome: { state: 'failed' }, error: `${error} (given up after ${attempts} attempts)` }
    : { ok: false, outcome: { state: 'pending', nextAt: next }, error };
}

/** An endpoint failing without a success for this long is disabled (issue 21). */
export const DISABLE_AFTER_FAILING_MS = 5 * 86_400_000;
