import { describe, expect, it } from 'vitest';
import { decideRetry, retryDelayMs } from './retry-policy.ts';

const policy = { baseMs: 1000, maxDelayMs: 8000, lifetimeMs: 20_000 };

describe('retry policy', () => {
  it('doubles the delay each attempt up to the maximum', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 9].map((a) => retryDelayMs(policy, a, mid))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('gives up once the next attempt would fall past the lifetime', () => {
    const first = new Date('2030-01-01T00:00:00Z');
    expect(decideRetry(policy, 1, first, new Date(first.getTime() + 1000)).kind).toBe('retry');
    expect(decideRetry(policy, 5, first, new Date(first.getTime() + 19_000)).kind).toBe('expired');
  });
});
