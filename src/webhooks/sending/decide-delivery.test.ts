// What each answer does to a delivery, as a table.
import { describe, expect, it } from 'vitest';
import { decideDelivery } from './decide-delivery.ts';
import { DEFAULT_RETRY_SCHEDULE } from './retry-schedule.ts';
import type { PostResult } from './post-webhook.ts';

const now = new Date('2030-01-01T00:00:00Z');
const answered = (status: number, retryAfter?: string): PostResult => ({ kind: 'answered', status, excerpt: '', durationMs: 3, ...(retryAfter ? { retryAfter } : {}) });

describe('deciding a delivery', () => {
  it.each([200, 201, 204, 299])('a %s is delivered', (status) => {
    expect(decideDelivery(answered(status), 1, now, DEFAULT_RETRY_SCHEDULE)).toMatchObject({ ok: true, outcome: { state: 'delivered' } });
  });

  it.each([301, 302, 307, 400, 404, 429, 500, 503])('a %s is retried', (status) => {
    const d = decideDelivery(answered(status), 1, now, DEFAULT_RETRY_SCHEDULE);
    expect(d.ok).toBe(false);
    expect(d.outcome.state).toBe('pending');
    if (status < 400) expect(d.error).toContain('redirects are not followed');
  });

  it('a 410 gives the delivery up and disables the endpoint', () => {
    expect(decideDelivery(answered(410), 1, now, DEFAULT_RETRY_SCHEDULE)).toMatchObject({ outcome: { state: 'failed' }, disable: expect.stringContaining('410') });
  });

  it('no answer is retried, and the eighth failure gives up', () => {
    const noAnswer: PostResult = { kind: 'no_answer', error: 'connect ECONNREFUSED', durationMs: 1 };
    expect(decideDelivery(noAnswer, 7, now, DEFAULT_RETRY_SCHEDULE).outcome.state).toBe('pending');
    const last = decideDelivery(noAnswer, 8, now, DEFAULT_RETRY_SCHEDULE);
    expect(last.outcome.state).toBe('failed');
    expect(last.error).toContain('given up after 8 attempts');
  });

  it('a 503 with Retry-After waits as asked', () => {
    const d = decideDelivery(answered(503, '600'), 1, now, DEFAULT_RETRY_SCHEDULE);
    expect(d.outcome).toEqual({ state: 'pending', nextAt: new Date(now.getTime() + 600_000) });
  });
});
