// When a failed delivery is tried again (issue 21): about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and
// 10 h after each failure, each with jitter so that the deliveries of a receiver that was down do
// not all come back at the same second; after the last, the delivery is given up (some 28 hours
// after the first attempt). A Retry-After is honoured (never sooner than it asks), up to a cap.

export type RetrySchedule = { delaysMs: readonly number[]; jitter: number; retryAfterCapMs: number };

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = {
  delaysMs: [5 * S, 5 * MIN, 30 * MIN, 2 * H, 5 * H, 10 * H, 10 * H],
  // +-20 %
  jitter: 0.2,
  retryAfterCapMs: 10 * H,
};

/** The next attempt after failed attempt number `attempts` (1 = the first), or 'give_up'. */
export function nextAttemptAt(schedule: RetrySchedule, attempts: number, now: Date, retryAfterMs?: number, random = Math.random): Date | 'give_up' {
  const base = schedule.delaysMs[attempts - 1];
  if (base === undefined) return 'give_up';
  const jittered = base * (1 + schedule.jitter * (2 * random() - 1));
  const wait = retryAfterMs === undefined ? jittered : Math.max(jittered, Math.min(retryAfterMs, schedule.retryAfterCapMs));
  return new Date(now.getTime() + Math.round(wait));
}

/** A Retry-After header (seconds, or an HTTP date) in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d{1,10}$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
