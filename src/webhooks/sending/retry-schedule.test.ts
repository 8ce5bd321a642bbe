// The retry schedule as a table: each failure's wait, jitter within bounds, Retry-After honoured up to a cap.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE, nextAttemptAt, parseRetryAfter } from './retry-schedule.ts';

const now = new Date('2030-01-01T00:00:00Z');
const waitAfter = (attempts: number, random: number, retryAfterMs?: number) => {
  const at = nextAttemptAt(DEFAULT_RETRY_SCHEDULE, attempts, now, retryAfterMs, () => random);
  return at === 'give_up' ? at : at.getTime() - now.getTime();
};

describe('the webhook retry schedule', () => {
  it.each([
    [1, 5_000], [2, 300_000], [3, 1_800_000], [4, 7_200_000], [5, 18_000_000], [6, 36_000_000], [7, 36_000_000],
  ])('waits about %s -> %s ms, within 20 %% either way', (attempts, ms) => {
    expect(waitAfter(attempts, 0.5)).toBe(ms);
    expect(waitAfter(attempts, 0)).toBe(ms * 0.8);
    expect(waitAfter(attempts, 1)).toBe(ms * 1.2);
  });

  it('gives up after the eighth attempt', () => {
    expect(waitAfter(8, 0.5)).toBe('give_up');
  });

  it('waits at least what Retry-After asks, capped at 10 hours', () => {
    expect(waitAfter(1, 0.5, 60_000)).toBe(60_000);
    expect(waitAfter(2, 0.5, 1_000)).toBe(300_000);
    expect(waitAfter(1, 0.5, 7 * 86_400_000)).toBe(36_000_000);
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 01 Jan 2030 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
